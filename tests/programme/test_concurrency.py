"""Races on the programme's single-use things: one Prakerja code redeemed by two learners at
once, and one verification return loaded twice at once."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.clock import utcnow
from lms.extensions import db
from lms.learning import services
from lms.learning.models import Enrollment
from lms.pacing.models import AttendanceVerification
from lms.programme import verification
from lms.programme.models import ProgrammeVerification
from tests import factories
from tests.concurrency import race
from tests.programme import support


def test_one_programme_code_redeemed_twice_at_once_enrolls_one_learner(prakerja, app, clock):
    support.programme_course()
    first, second = factories.learner().id, factories.learner().id

    def redeem(user_id):
        return lambda: services.redeem_code(db.session.get(User, user_id), "PRAT-RACE")

    answers = race(app, [redeem(first), redeem(second)])
    assert sorted(answers) == ["code_already_used", "ok"]
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_one_return_loaded_twice_at_once_counts_the_day_once(prakerja, app, clock, auth,
                                                              client):
    support.programme_course()
    learner = factories.learner()
    auth.login(learner.email)
    client.post("/api/v1/enrollments", json={"code": "PRAT-TWICE"})
    target = client.post("/programme/verify").headers["Location"]
    support.face_check(target)
    state = db.session.scalar(select(ProgrammeVerification.state))
    learner_id = learner.id

    def come_back():
        verification.complete(db.session.get(User, learner_id), state, utcnow())

    answers = race(app, [come_back, come_back])
    assert sorted(answers) == ["ok", "verification_used"]
    assert db.session.scalar(select(func.count()).select_from(AttendanceVerification)) == 1
