"""Factories for certificates and ratings. Completion goes through the real
`lms.learning.completion` path, so the `course_completed` signal opens the completion, whose
check (run at the commit in tests) verifies it and issues the certificate just as it does for
a learner; each factory commits (the PDF is rendered on commit in tests)."""
from __future__ import annotations

from datetime import datetime, timezone

from lms.accounts.models import User
from lms.catalog.models import Course
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.reviews import services as reviews
from lms.reviews.models import Rating
from tests import factories, factories_verification

REVIEW = "Clear videos and useful exercises for my new job."


def finish_all_but_last(enrollment: Enrollment) -> None:
    """Complete every module but the last, leaving the enrollment active."""
    for position in range(1, len(enrollment.version.modules)):
        factories.complete_module(enrollment, position)


def complete(enrollment: Enrollment, now: datetime | None = None,
             actor: User | None = None, render: bool = True) -> Enrollment:
    """Complete the enrollment's last module (the others first) through the completion rule.
    `render=False` skips the PDF (tests of anything else than the PDF stay fast)."""
    finish_all_but_last(enrollment)
    last = enrollment.version.modules[-1]
    completion.mark_module_completed(enrollment, last, now or datetime.now(timezone.utc),
                                     actor=actor)
    if not render:
        db.session.info.pop(certificates.PENDING_RENDERS, None)
    db.session.commit()
    return enrollment


def completed_enrollment(learner: User | None = None, course: Course | None = None,
                         now: datetime | None = None, render: bool = True,
                         **learner_fields) -> Enrollment:
    learner = learner or factories.learner(**learner_fields)
    course = course or factories.course()
    return complete(factories.enrollment(learner, course), now, render=render)


def certificate(learner: User | None = None, course: Course | None = None,
                now: datetime | None = None, render: bool = True,
                **learner_fields) -> Certificate:
    """A learner's issued certificate, with its PDF rendered (HUEY_IMMEDIATE runs the task at
    the commit) unless `render=False`."""
    enrollment = completed_enrollment(learner, course, now, render, **learner_fields)
    issued = certificates.certificate_of(enrollment)
    assert issued is not None, "completing the course did not issue a certificate"
    return issued


def completed_without_certificate(learner: User | None = None,
                                  course: Course | None = None) -> Enrollment:
    """An enrollment marked completed directly, without the completion signal (so no
    certificate, no PDF), its completion already verified: for tests of what only needs the
    status, such as ratings, and of asking for a certificate the signal did not issue."""
    enrollment = factories.enrollment(learner or factories.learner(), course or factories.course())
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = datetime.now(timezone.utc)
    factories_verification.completion(enrollment)
    return enrollment


def rating(enrollment: Enrollment, stars: int = 4, review: str = REVIEW) -> Rating:
    made = reviews.rate_course(enrollment.user, enrollment, stars, review)
    db.session.commit()
    return made
