"""Access rows for certificates (verification, the holder's page and PDF, admin revocation)
and ratings (the learner's form, provider staff's reading)."""
from __future__ import annotations

from datetime import datetime, timezone

from lms.catalog.models import ModuleKind
from lms.certificates import services as certificates
from lms.extensions import db
from lms.learning.models import EnrollmentStatus
from lms.reviews import services as reviews
from tests import factories
from tests import factories_verification as fv
from tests.access.matrix import LOGIN, UNAUTH, Case, everyone, signed_in


def extend_world(world: dict) -> None:
    """A course of provider A the learner has completed, with its certificate and rating."""
    learner = world["users"]["learner"]
    course = factories.course(world["provider_a"], kinds=(ModuleKind.READING,),
                              slug="cert-matrix-course")
    enrollment = factories.enrollment(learner, course)
    now = datetime.now(timezone.utc)
    enrollment.status, enrollment.completed_at = EnrollmentStatus.COMPLETED, now
    fv.completion(enrollment, commit=False)
    certificate = certificates.issue_certificate(enrollment, now)
    reviews.rate_course(learner, enrollment, 4, "Useful and well paced course.")
    # The rows are about access, not the PDF: skipping the render keeps every world cheap
    # (the holder's download then answers 202 "being prepared" instead of 200).
    db.session.info.pop(certificates.PENDING_RENDERS, None)
    db.session.commit()
    world.update(cert_number=certificate.number, cert_enrollment_id=enrollment.id,
                 cert_course_slug=course.slug)


HOLDER_ONLY = signed_in(404, learner=200)
ADMIN_ONLY = signed_in(403, admin=200)
STAFF_AND_ADMIN = signed_in(403, staff=200, other_staff=200, admin=200)

CASES = [
    # Public verification
    Case("certificates.verify_form", "GET", "/verify", everyone(200)),
    Case("certificates.verify", "GET", "/verify/{cert_number}", everyone(200)),
    Case("certificates.published_keys", "GET", "/.well-known/alur-keys.json", everyone(200)),
    Case("api.certificates.verify", "GET", "/api/v1/certificates/{cert_number}", everyone(200)),
    # The holder's certificate
    Case("certificates.mine", "GET", "/enrollments/{cert_enrollment_id}/certificate",
         HOLDER_ONLY),
    Case("certificates.request_mine", "POST", "/enrollments/{cert_enrollment_id}/certificate",
         signed_in(404, learner=302), data={}),
    Case("certificates.download_pdf", "GET", "/certificates/{cert_number}/pdf",
         signed_in(403, anonymous=LOGIN, learner=202, admin=202)),
    Case("api.certificates.get_for_enrollment", "GET",
         "/api/v1/enrollments/{cert_enrollment_id}/certificate",
         signed_in(404, anonymous=UNAUTH, learner=200)),
    Case("api.certificates.issue_for_enrollment", "POST",
         "/api/v1/enrollments/{cert_enrollment_id}/certificate",
         signed_in(404, anonymous=UNAUTH, learner=200), json={}),
    # Admin
    Case("certificates_admin.index", "GET", "/admin/certificates/", ADMIN_ONLY),
    Case("certificates_admin.detail", "GET", "/admin/certificates/{cert_number}", ADMIN_ONLY),
    Case("certificates_admin.revoke", "POST", "/admin/certificates/{cert_number}/revoke",
         signed_in(403, admin=422), data={}),
    # Ratings
    Case("reviews.rate", "GET", "/enrollments/{cert_enrollment_id}/rating", HOLDER_ONLY),
    Case("reviews.rate", "POST", "/enrollments/{cert_enrollment_id}/rating",
         signed_in(404, learner=422), data={}),
    Case("reviews.overview", "GET", "/provider/ratings", STAFF_AND_ADMIN),
    Case("reviews.course", "GET", "/provider/ratings/{cert_course_slug}",
         signed_in(403, staff=200, other_staff=404, admin=200)),
    Case("api.reviews.get_rating", "GET", "/api/v1/enrollments/{cert_enrollment_id}/rating",
         signed_in(404, anonymous=UNAUTH, learner=200)),
    Case("api.reviews.create_rating", "POST", "/api/v1/enrollments/{cert_enrollment_id}/rating",
         signed_in(404, anonymous=UNAUTH, learner=409), json={}),
]
