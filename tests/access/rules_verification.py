"""Access rows for the completion review: the admin queue, timeline and decision pages, their
API twins, and certificate revocation through the API."""
from __future__ import annotations

from datetime import datetime, timezone

from lms.catalog.models import ModuleKind
from lms.learning.models import EnrollmentStatus
from lms.verification.models import CompletionStatus
from tests import factories, factories_verification
from tests.access.matrix import UNAUTH, Case, signed_in


def extend_world(world: dict) -> None:
    """A flagged completion of the learner in a course of provider A."""
    course = factories.course(world["provider_a"], kinds=(ModuleKind.READING,),
                              slug="review-matrix-course")
    enrollment = factories.enrollment(world["users"]["learner"], course)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = datetime.now(timezone.utc)
    completion = factories_verification.completion(
        enrollment, CompletionStatus.FLAGGED,
        flags=[{"code": "rapid_answers", "detail": "quiz in 2 s", "params": {}}])
    world["completion_id"] = completion.id


ADMIN_PAGE = signed_in(403, admin=200)
ADMIN_API = signed_in(403, anonymous=UNAUTH, admin=200)

CASES = [
    Case("verification_admin.queue", "GET", "/admin/completions/", ADMIN_PAGE),
    Case("verification_admin.detail", "GET", "/admin/completions/{completion_id}", ADMIN_PAGE),
    Case("verification_admin.decide", "POST", "/admin/completions/{completion_id}/decision",
         signed_in(403, admin=422), data={}),
    Case("api.verification_api.list_completions", "GET", "/api/v1/completions", ADMIN_API),
    Case("api.verification_api.get_completion", "GET", "/api/v1/completions/{completion_id}",
         ADMIN_API),
    Case("api.verification_api.decide", "POST",
         "/api/v1/completions/{completion_id}/decision",
         signed_in(403, anonymous=UNAUTH, admin=422), json={}),
    Case("api.certificates.revoke", "POST", "/api/v1/certificates/{cert_number}/revocation",
         signed_in(403, anonymous=UNAUTH, admin=422), json={}),
]
