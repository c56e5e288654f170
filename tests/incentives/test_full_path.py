"""The whole incentive path as the payer lives it: completion → certificate → rating →
eligible → signed webhooks → the payer marks it paid (again: no-op; otherwise: 409); a second
course is not eligible; a revocation after payment asks for the money back."""
from __future__ import annotations

from lms.certificates import services as certificates
from lms.clock import utcnow
from lms.extensions import db
from lms.incentives.models import EligibilityStatus as S
from tests import factories, factories_certificates
from tests.incentives.helpers import completed, deliver_all, item_of, rate, revoke


def _api_item(client, headers, item_id, status=None):
    query = f"?status={status}" if status else ""
    answer = client.get(f"/api/v1/eligibility{query}", headers=headers)
    assert answer.status_code == 200
    return next((i for i in answer.get_json()["items"] if i["eligibility_id"] == item_id), None)


def test_honest_learner_is_paid_once_and_the_payer_hears_every_change(app, client, receiver,
                                                                       payer):
    learner = factories.learner()
    enrollment, item = completed(learner)
    assert item.status == S.PENDING_RATING and item.participant_ref == learner.participant_ref

    headers = factories.api_token(learner)
    answer = client.post(f"/api/v1/enrollments/{enrollment.id}/rating", headers=headers,
                         json={"stars": 5, "review": "Very practical, thank you."})
    assert answer.status_code == 201
    assert item_of(enrollment).status == S.ELIGIBLE

    deliver_all(app)
    assert receiver.rejected == []
    assert receiver.types() == ["eligibility.pending_rating", "eligibility.eligible"]
    data = [r.event["data"] for r in receiver.requests]
    assert {d["eligibility_id"] for d in data} == {item.id}
    assert data[-1]["participant_ref"] == learner.participant_ref
    assert data[-1]["certificate_number"] == item.certificate_number

    payer_headers = factories.api_token(payer)
    listed = _api_item(client, payer_headers, item.id, "eligible")
    assert listed["status"] == "eligible" and listed["course_slug"] == enrollment.course.slug

    paid = {"status": "paid", "reference": "TRF-2024-0001"}
    first = client.post(f"/api/v1/eligibility/{item.id}/status", headers=payer_headers, json=paid)
    assert first.status_code == 200 and first.get_json()["status"] == "paid"
    again = client.post(f"/api/v1/eligibility/{item.id}/status", headers=payer_headers, json=paid)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    for conflicting in ({"status": "rejected", "reference": "TRF-2024-0001"},
                        {"status": "paid", "reference": "TRF-OTHER"}):
        answer = client.post(f"/api/v1/eligibility/{item.id}/status", headers=payer_headers,
                             json=conflicting)
        assert answer.status_code == 409
        assert answer.get_json()["error"] == "status_conflict"
        assert answer.get_json()["current_status"] == "paid"

    deliver_all(app)
    # The repeated report was a no-op: one paid event, no more.
    assert receiver.types() == ["eligibility.pending_rating", "eligibility.eligible",
                                "eligibility.paid"]
    assert _api_item(client, payer_headers, item.id, "paid")["payer_reference"] == "TRF-2024-0001"

    # A second course of the same participant: a verified completion, never a second payment.
    second, second_item = completed(learner)
    assert (second_item.status, second_item.reason) == (S.NOT_ELIGIBLE, "not_first")
    rate(second)
    assert item_of(second).status == S.NOT_ELIGIBLE

    # The first certificate is revoked after payment: clawed back, the money to be recovered.
    revoke(enrollment)
    clawed = item_of(enrollment)
    assert (clawed.status, clawed.recovery_required) == (S.CLAWED_BACK, True)
    deliver_all(app)
    assert receiver.types()[-2:] == ["eligibility.not_eligible", "eligibility.clawed_back"]
    last = receiver.requests[-1].event
    assert last["data"]["recovery_required"] is True and last["data"]["status"] == "clawed_back"


def test_two_accounts_of_one_participant_get_one_incentive(app):
    first = factories.learner()
    second = factories.learner(participant_ref=first.participant_ref)
    one, item_one = completed(first)
    two, item_two = completed(second)
    rate(one)
    rate(two)
    assert item_of(one).status == S.ELIGIBLE
    assert (item_of(two).status, item_of(two).reason) == (S.NOT_ELIGIBLE, "not_first")


def test_rating_before_the_certificate_makes_the_item_eligible_at_once(app):
    learner = factories.learner()
    enrollment = factories_certificates.completed_without_certificate(learner)
    rate(enrollment)
    assert item_of(enrollment) is None
    certificates.issue_certificate(enrollment, utcnow())
    db.session.info.pop(certificates.PENDING_RENDERS, None)
    db.session.commit()
    assert item_of(enrollment).status == S.ELIGIBLE


def test_revocation_before_payment_claws_back_without_recovery(app):
    enrollment, _ = completed(factories.learner())
    rate(enrollment)
    revoke(enrollment)
    item = item_of(enrollment)
    assert (item.status, item.recovery_required, item.reason) == \
        (S.CLAWED_BACK, False, "certificate_revoked")


def test_the_enrollment_api_tells_the_learner_their_eligibility_status(app, client):
    learner = factories.learner()
    enrollment, _ = completed(learner)
    headers = factories.api_token(learner)
    answer = client.get(f"/api/v1/enrollments/{enrollment.id}", headers=headers)
    assert answer.get_json()["eligibility_status"] == "pending_rating"
    rate(enrollment)
    answer = client.get(f"/api/v1/enrollments/{enrollment.id}", headers=headers)
    assert answer.get_json()["eligibility_status"] == "eligible"
