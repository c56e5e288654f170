"""50 verifications (certificates issued) and then 50 ratings at the same moment, spread over
five participants of ten accounts each: exactly one eligible item per participant."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from lms.catalog.models import ModuleKind
from lms.certificates import services as certificates
from lms.clock import utcnow
from lms.extensions import db
from lms.incentives.models import EligibilityItem
from lms.incentives.models import EligibilityStatus as S
from lms.learning import completion
from lms.learning.models import Enrollment
from lms.outbox.models import OutboxEvent
from lms.reviews import services as reviews
from lms.verification import services as verification
from lms.verification.models import Completion, CompletionStatus
from tests import factories
from tests.concurrency import race

PARTICIPANTS = 5
ACCOUNTS = 10


def _pending_completion(enrollment_id: int) -> int:
    """The enrollment completed, its completion left pending: its check is what will race."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    completion.mark_module_completed(enrollment, enrollment.version.modules[-1], utcnow())
    db.session.info.pop(verification.PENDING_CHECKS, None)
    return db.session.scalars(select(Completion.id)
                              .where(Completion.enrollment_id == enrollment_id)).one()


def _verify(completion_id: int):
    def call():
        verification.check_completion(completion_id)
        # The PDFs are not what races here; rendering them inline (the tests' immediate task
        # mode) would take a second pooled connection per thread.
        db.session.info.pop(certificates.PENDING_RENDERS, None)
    return call


def _rate(enrollment_id: int):
    def call():
        enrollment = db.session.get(Enrollment, enrollment_id)
        reviews.rate_course(enrollment.user, enrollment, 5, "A clear and useful course.")
    return call


# On SQLite the 50 writers queue for the one write lock, one after the other.
RACE_SECONDS = 180


@pytest.fixture
def app_settings() -> dict:
    # Each of the 50 threads holds a pooled connection while it waits for the write lock.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 60, "max_overflow": 0,
                                          "pool_timeout": RACE_SECONDS}}


@pytest.mark.timeout(2 * RACE_SECONDS + 120)
def test_fifty_racing_verifications_and_ratings_leave_one_eligible_item_each(app):
    course = factories.course(kinds=(ModuleKind.READING,))
    enrollments = []
    for _ in range(PARTICIPANTS):
        first = factories.learner()
        for n in range(ACCOUNTS):
            account = first if n == 0 else factories.learner(
                participant_ref=first.participant_ref)
            enrollments.append(factories.enrollment(account, course).id)

    completions = [_pending_completion(e) for e in enrollments]
    answers = race(app, [_verify(c) for c in completions], timeout=RACE_SECONDS)
    assert answers == ["ok"] * len(enrollments)
    db.session.expire_all()
    statuses = Counter(db.session.scalars(select(Completion.status)))
    assert statuses == {CompletionStatus.VERIFIED: len(enrollments)}
    items = list(db.session.scalars(select(EligibilityItem)))
    assert len(items) == len(enrollments)
    firsts = Counter(i.participant_ref for i in items if i.status == S.PENDING_RATING)
    assert sorted(firsts.values()) == [1] * PARTICIPANTS
    assert Counter(i.status for i in items)[S.NOT_ELIGIBLE] == len(items) - PARTICIPANTS

    answers = race(app, [_rate(e) for e in enrollments], timeout=RACE_SECONDS)
    assert answers == ["ok"] * len(enrollments)
    db.session.expire_all()
    items = list(db.session.scalars(select(EligibilityItem)))
    eligible = Counter(i.participant_ref for i in items if i.status == S.ELIGIBLE)
    assert sorted(eligible.values()) == [1] * PARTICIPANTS
    assert Counter(i.status for i in items) == {S.ELIGIBLE: PARTICIPANTS,
                                                S.NOT_ELIGIBLE: len(items) - PARTICIPANTS}
    # Every change has its one event, and change numbers are unique and gap-free per commit.
    events = Counter(e.event_type for e in db.session.scalars(select(OutboxEvent)))
    assert events == {"eligibility.pending_rating": PARTICIPANTS,
                      "eligibility.not_eligible": len(items) - PARTICIPANTS,
                      "eligibility.eligible": PARTICIPANTS}
    seqs = sorted(i.change_seq for i in items)
    assert len(set(seqs)) == len(seqs)
