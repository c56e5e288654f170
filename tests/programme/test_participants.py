"""Under the Prakerja connector "once per person" is once per the programme's participant:
two Alur accounts redeeming codes of one programme participant share its reference, and only
the first verified, rated completion is eligible."""
from __future__ import annotations

import requests
from sqlalchemy import select

from lms.extensions import db
from lms.incentives.models import EligibilityItem, EligibilityStatus as S
from lms.learning.models import Enrollment
from lms.verification import presenters
from lms.verification.models import Completion
from tests import factories, factories_certificates
from tests.factories_assessments import R
from tests.programme import support

PARTICIPANT = "PRJ-PARTICIPANT-7"


def _code_of(standin, code: str, participant) -> None:
    requests.post(standin.url + "/standin/codes", timeout=5, json={
        "redeem_code": code, "course_code": support.COURSE_CODE, "participant_ref": participant})


def _redeemed(client, auth, code: str) -> Enrollment:
    """A new account redeems the code through the API, as a learner does."""
    learner = factories.learner()
    auth.login(learner.email)
    response = client.post("/api/v1/enrollments", json={"code": code})
    assert response.status_code == 201, response.get_json()
    auth.logout()
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == learner.id))


def _item(enrollment: Enrollment) -> EligibilityItem:
    db.session.expire_all()
    return db.session.scalar(select(EligibilityItem)
                             .where(EligibilityItem.enrollment_id == enrollment.id))


def test_two_accounts_of_one_programme_participant_get_one_incentive(prakerja, client, auth):
    # Readings only: completing them through the completion rule needs no graded work.
    support.programme_course(kinds=(R, R))
    _code_of(prakerja, "PRAT-FIRST-1", PARTICIPANT)
    _code_of(prakerja, "PRAT-SECOND-1", PARTICIPANT)
    first = _redeemed(client, auth, "PRAT-FIRST-1")
    second = _redeemed(client, auth, "PRAT-SECOND-1")
    assert first.user_id != second.user_id
    assert first.user.participant_ref == second.user.participant_ref == PARTICIPANT

    for enrollment in (first, second):
        factories_certificates.complete(enrollment, render=False)
        factories_certificates.rating(enrollment)

    assert (_item(first).participant_ref, _item(first).status) == (PARTICIPANT, S.ELIGIBLE)
    assert (_item(second).participant_ref, _item(second).status, _item(second).reason) == \
        (PARTICIPANT, S.NOT_ELIGIBLE, "not_first")
    completion = db.session.scalar(select(Completion)
                                   .where(Completion.enrollment_id == second.id))
    assert presenters.participant_ref(completion) == PARTICIPANT


def test_an_answer_without_a_participant_keeps_the_accounts_own_reference(prakerja, client,
                                                                           auth):
    # Falling back to the redeem code would make each code a participant of its own.
    support.programme_course()
    _code_of(prakerja, "PRAT-NOREF-1", None)
    enrollment = _redeemed(client, auth, "PRAT-NOREF-1")
    own = enrollment.user.participant_ref
    assert own.startswith("ALR-")
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).user.participant_ref == own
