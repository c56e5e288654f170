"""The completion review API: the list, one completion with its evidence, the decision (a
reason required, repeating is a no-op, a different decision after one is refused, two admins
at once give one decision), and certificate revocation."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.admin.models import AuditEntry
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.verification import services
from lms.verification.models import Completion, CompletionStatus
from tests import factories
from tests import factories_certificates as fc
from tests.concurrency import race

FLAG = {"code": "shared_device", "detail": "10 learners studied on one device",
        "params": {"learners": 10, "kind": "device_id", "device": "x"}}


def _flagged(**learner) -> Completion:
    enrollment = fc.completed_without_certificate(learner=factories.learner(**learner))
    row = db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id))
    row.status, row.flags, row.flag_codes = CompletionStatus.FLAGGED, [FLAG], FLAG["code"]
    db.session.commit()
    return row


def _admin():
    return factories.api_token(factories.admin())


def test_the_list_pages_newest_first_and_filters_by_status(app, client):
    rows = [_flagged() for _ in range(3)]
    verified = fc.completed_without_certificate()
    headers = _admin()
    everything = client.get("/api/v1/completions", headers=headers).get_json()
    assert len(everything["items"]) == 4 and everything["next_cursor"] is None
    flagged = client.get("/api/v1/completions?status=flagged", headers=headers).get_json()
    assert {i["completion_id"] for i in flagged["items"]} == {r.id for r in rows}
    item = flagged["items"][0]
    assert set(item) >= {"completion_id", "enrollment_id", "participant_ref", "course_slug",
                         "completed_at", "status", "flags"}
    assert item["flags"] == [{"code": "shared_device", "detail": FLAG["detail"]}]
    # The ledger's participant, not an account number: a reviewer and the payer name one person.
    shown = {r.id: r.user.participant_ref for r in rows}
    assert item["participant_ref"] == shown[item["completion_id"]]
    mine = client.get("/api/v1/completions?status=verified", headers=headers).get_json()
    assert [i["enrollment_id"] for i in mine["items"]] == [verified.id]
    bad = client.get("/api/v1/completions?status=odd", headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"] == "invalid_filter"
    garbage = client.get("/api/v1/completions?cursor=%%%", headers=headers)
    assert garbage.status_code == 422 and garbage.get_json()["error"] == "invalid_cursor"


def test_the_cursor_walks_every_item_once(app, client):
    ids = {_flagged().id for _ in range(5)}
    admin, seen, cursor = factories.admin(), [], None
    for _ in range(10):
        items, cursor = services.api_page(admin, services.QueueFilter(status="flagged"),
                                          cursor, limit=2)
        seen += [c.id for c in items]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids)


def test_one_completion_answers_its_evidence_and_decision(app, client):
    row = _flagged()
    headers = _admin()
    answer = client.get(f"/api/v1/completions/{row.id}", headers=headers)
    body = answer.get_json()
    assert answer.status_code == 200 and body["decision"] is None
    assert body["status"] == "flagged" and "evidence" in body
    missing = client.get("/api/v1/completions/999999", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"] == "completion_not_found"


def test_the_decision_needs_a_reason_repeats_as_a_no_op_and_refuses_a_change(app, client):
    row = _flagged()
    headers = _admin()
    url = f"/api/v1/completions/{row.id}/decision"
    no_reason = client.post(url, headers=headers, json={"decision": "verified", "reason": " "})
    assert no_reason.status_code == 422 and no_reason.get_json()["error"] == "reason_required"
    odd = client.post(url, headers=headers, json={"decision": "maybe", "reason": "x"})
    assert odd.status_code == 422 and odd.get_json()["error"] == "invalid_decision"
    assert client.post(url, headers=headers, data="{").status_code == 400
    body = {"decision": "rejected", "reason": "Ten accounts on one phone."}
    first = client.post(url, headers=headers, json=body)
    assert first.status_code == 200
    assert first.get_json()["decision"]["reason"] == "Ten accounts on one phone."
    audits = db.session.scalar(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "completion.rejected"))
    again = client.post(url, headers=headers, json=body)
    assert again.status_code == 200 and again.get_json()["status"] == "rejected"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "completion.rejected")) == audits == 1
    change = client.post(url, headers=headers, json={"decision": "verified", "reason": "Oops."})
    assert change.status_code == 409 and change.get_json()["error"] == "decision_conflict"


def test_verifying_an_automatically_verified_completion_is_a_no_op(app, client):
    enrollment = fc.completed_without_certificate()
    row = db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id))
    url = f"/api/v1/completions/{row.id}/decision"
    headers = _admin()
    assert client.post(url, headers=headers,
                       json={"decision": "verified", "reason": "Fine."}).status_code == 200
    assert client.post(url, headers=headers,
                       json={"decision": "rejected", "reason": "No."}).status_code == 409


def test_two_admins_deciding_at_once_give_one_decision(app):
    row = _flagged()
    first, second = factories.admin(), factories.admin()
    completion_id = row.id

    def decide(admin_id: int, decision: str):
        def call():
            admin = db.session.get(type(first), admin_id)
            services.decide(admin, db.session.get(Completion, completion_id), decision,
                            f"{decision} by {admin_id}")
        return call

    answers = race(app, [decide(first.id, "verified"), decide(second.id, "rejected")])
    assert sorted(answers) == ["decision_conflict", "ok"], answers
    db.session.expire_all()
    decided = db.session.get(Completion, completion_id)
    assert decided.status in ("verified", "rejected") and decided.decided_at is not None
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.subject_type == "completion", AuditEntry.subject_id == str(completion_id),
        AuditEntry.action.in_(["completion.verified", "completion.rejected"]))).all()
    assert len(entries) == 1 and entries[0].action == f"completion.{decided.status}"


def test_the_same_decision_twice_at_once_is_one_decision_and_one_certificate(app):
    row = _flagged()
    admins = [factories.admin() for _ in range(4)]
    completion_id, enrollment_id = row.id, row.enrollment_id

    def verify(admin_id: int):
        def call():
            admin = db.session.get(type(admins[0]), admin_id)
            services.decide(admin, db.session.get(Completion, completion_id), "verified",
                            "Looked at the recording.")
        return call

    assert race(app, [verify(a.id) for a in admins]) == ["ok"] * 4
    db.session.expire_all()
    from_db = db.session.scalar(select(func.count()).select_from(AuditEntry)
                                .where(AuditEntry.action == "completion.verified"))
    assert from_db == 1
    assert db.session.scalar(select(func.count()).select_from(Certificate)
                             .where(Certificate.enrollment_id == enrollment_id)) == 1


def test_revocation_through_the_api_repeats_as_a_no_op(app, client):
    certificate = fc.certificate(render=False)
    headers = _admin()
    url = f"/api/v1/certificates/{certificate.number}/revocation"
    empty = client.post(url, headers=headers, json={})
    assert empty.status_code == 422 and empty.get_json()["error"] == "reason_required"
    first = client.post(url, headers=headers, json={"reason": "Issued to the wrong person."})
    assert first.status_code == 200
    assert first.get_json() | {"revoked_at": None} == {
        "number": certificate.number, "status": "revoked", "revoked_at": None,
        "revocation_reason": "Issued to the wrong person."}
    again = client.post(url, headers=headers, json={"reason": "Another reason."})
    assert again.status_code == 200
    assert again.get_json()["revocation_reason"] == "Issued to the wrong person."
    public = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert public["status"] == "revoked"
    learner = factories.api_token(certificate.holder)
    assert client.post(url, headers=learner, json={"reason": "mine"}).status_code == 403
