"""The payer's listing walks the ledger in change order: never skipping or repeating an item
while new ones arrive; bad input answers 422 in the contract's shape."""
from __future__ import annotations

import pytest

from lms.incentives.services import encode_cursor
from tests import factories
from tests.incentives.helpers import completed, item_of, rate


def _eligible(n: int) -> list[int]:
    ids = []
    for _ in range(n):
        enrollment, _ = completed(factories.learner())
        rate(enrollment)
        ids.append(item_of(enrollment).id)
    return ids


def _walk(client, headers, status, limit, between=None):
    seen, cursor, pages = [], None, 0
    while True:
        query = f"/api/v1/eligibility?status={status}&limit={limit}"
        answer = client.get(query + (f"&cursor={cursor}" if cursor else ""), headers=headers)
        assert answer.status_code == 200
        body = answer.get_json()
        seen += [i["eligibility_id"] for i in body["items"]]
        pages += 1
        if between and pages == 1:
            between()
        if body["next_cursor"] is None:
            return seen, body["resume_cursor"]
        cursor = body["next_cursor"]


def test_walking_the_eligible_items_while_new_ones_arrive_skips_and_repeats_nothing(
        app, client, payer):
    first = _eligible(3)
    headers = factories.api_token(payer)
    later: list[int] = []
    seen, resume = _walk(client, headers, "eligible", 2,
                         between=lambda: later.extend(_eligible(2)))
    assert seen == first + later
    # Polling from the resume cursor later gives only what changed since.
    newer = _eligible(1)
    answer = client.get(f"/api/v1/eligibility?status=eligible&cursor={resume}", headers=headers)
    assert [i["eligibility_id"] for i in answer.get_json()["items"]] == newer


def test_an_item_that_becomes_eligible_later_is_not_skipped(app, client, payer):
    waiting, _ = completed(factories.learner())          # pending_rating, earlier id
    _eligible(2)
    headers = factories.api_token(payer)
    seen, resume = _walk(client, headers, "eligible", 10)
    rate(waiting)
    answer = client.get(f"/api/v1/eligibility?status=eligible&cursor={resume}", headers=headers)
    assert [i["eligibility_id"] for i in answer.get_json()["items"]] == [item_of(waiting).id]


@pytest.mark.parametrize("query, code", [
    ("?status=bogus", "invalid_status"), ("?cursor=%%%", "invalid_cursor"),
    ("?cursor=bm90LWEtY3Vyc29y", "invalid_cursor"), ("?limit=null", "invalid_limit"),
    ("?limit=", "invalid_limit"), ("?limit=0", "invalid_limit"), ("?limit=501", "invalid_limit"),
    ("?limit=%D9%A1", "invalid_limit"), ("?limit=-1", "invalid_limit")])
def test_bad_listing_input_is_422(app, client, payer, query, code):
    answer = client.get(f"/api/v1/eligibility{query}", headers=factories.api_token(payer))
    assert answer.status_code == 422 and answer.get_json()["error"] == code


@pytest.mark.parametrize("body, status, code", [
    ({"status": "paid"}, 422, "invalid_reference"),
    ({"status": "paid", "reference": " "}, 422, "invalid_reference"),
    ({"status": "paid", "reference": "x" * 201}, 422, "invalid_reference"),
    ({"status": "eligible", "reference": "T1"}, 422, "invalid_status"),
    ({"status": ["paid"], "reference": "T1"}, 422, "invalid_status"),
    ([], 400, "malformed_json"),
])
def test_bad_reports_are_refused(app, client, payer, body, status, code):
    item_id = _eligible(1)[0]
    answer = client.post(f"/api/v1/eligibility/{item_id}/status", json=body,
                         headers=factories.api_token(payer))
    assert answer.status_code == status and answer.get_json()["error"] == code


def test_a_cursor_past_the_end_gives_an_empty_page(app, client, payer):
    answer = client.get(f"/api/v1/eligibility?cursor={encode_cursor(10**9)}",
                        headers=factories.api_token(payer))
    assert answer.status_code == 200
    assert answer.get_json()["items"] == [] and answer.get_json()["next_cursor"] is None


def test_an_item_that_is_not_eligible_cannot_be_paid(app, client, payer):
    _, item = completed(factories.learner())
    answer = client.post(f"/api/v1/eligibility/{item.id}/status",
                         json={"status": "paid", "reference": "T1"},
                         headers=factories.api_token(payer))
    assert answer.status_code == 409
    assert answer.get_json()["current_status"] == "pending_rating"


def test_learners_and_staff_cannot_use_the_payer_api(app, client):
    item_id = _eligible(1)[0]
    for user in (factories.learner(), factories.staff(factories.provider())):
        headers = factories.api_token(user)
        assert client.get("/api/v1/eligibility", headers=headers).status_code == 403
        answer = client.post(f"/api/v1/eligibility/{item_id}/status", headers=headers,
                             json={"status": "paid", "reference": "T1"})
        assert answer.status_code == 403 and answer.get_json()["error"] == "payer_only"


def test_admins_may_use_the_payer_api(app, client):
    item_id = _eligible(1)[0]
    headers = factories.api_token(factories.admin())
    answer = client.post(f"/api/v1/eligibility/{item_id}/status", headers=headers,
                         json={"status": "rejected", "reference": "AUDIT-7"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "rejected"
