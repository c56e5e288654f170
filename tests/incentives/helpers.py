"""Building ledger situations the way they happen: completion through the real completion
rule (so the certificate is issued and its event creates the item), ratings through the
learner's service, revocations through the admin's."""
from __future__ import annotations

from sqlalchemy import select

from lms.certificates import services as certificates
from lms.clock import utcnow
from lms.extensions import db
from lms.incentives.models import EligibilityItem
from lms.outbox.delivery import deliver_due
from tests import factories, factories_certificates


def completed(learner, course=None):
    """The learner completes a (new) course: enrollment, certificate, eligibility item."""
    enrollment = factories_certificates.completed_enrollment(learner, course, render=False)
    return enrollment, item_of(enrollment)


def item_of(enrollment) -> EligibilityItem | None:
    db.session.expire_all()
    return db.session.scalar(select(EligibilityItem)
                             .where(EligibilityItem.enrollment_id == enrollment.id))


def rate(enrollment) -> None:
    factories_certificates.rating(enrollment)


def revoke(certificate_enrollment, admin=None) -> None:
    certificate = certificates.certificate_of(certificate_enrollment)
    certificates.revoke_certificate(admin or factories.admin(), certificate,
                                    "Evidence showed the course was not followed.")
    db.session.commit()


def deliver(app, now=None) -> int:
    """One pass of the worker's outbox loop, as the worker runs it."""
    attempted = deliver_due(app.config, now or utcnow())
    db.session.expire_all()
    return attempted


def deliver_all(app, passes: int = 20) -> None:
    for _ in range(passes):
        if deliver(app) == 0:
            return
