"""The ledger's status rules, table by table."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.incentives import rules
from lms.incentives.models import EligibilityStatus as S
from lms.incentives.rules import Change, PayerVerdict

ALL = list(S.ALL)


@pytest.mark.parametrize("is_first, rated, expected", [
    (True, False, (S.PENDING_RATING, None)),
    (True, True, (S.ELIGIBLE, None)),
    (False, False, (S.NOT_ELIGIBLE, "not_first")),
    (False, True, (S.NOT_ELIGIBLE, "not_first")),
])
def test_initial_status(is_first, rated, expected):
    assert rules.initial_status(is_first, rated) == expected


@pytest.mark.parametrize("status, expected", [
    (S.PENDING_RATING, Change(S.PENDING_RATING, S.ELIGIBLE)),
    (S.ELIGIBLE, None), (S.PAID, None), (S.REJECTED, None), (S.NOT_ELIGIBLE, None),
    (S.CLAWED_BACK, None),
])
def test_rating(status, expected):
    assert rules.on_rating(status) == expected


@pytest.mark.parametrize("status, recovery", [
    (S.PENDING_RATING, False), (S.ELIGIBLE, False), (S.PAID, True), (S.REJECTED, False),
    (S.NOT_ELIGIBLE, False),
])
def test_revocation_claws_back(status, recovery):
    assert rules.on_revocation(status) == Change(status, S.CLAWED_BACK, "certificate_revoked",
                                                 recovery_required=recovery)


def test_revoking_twice_changes_nothing():
    assert rules.on_revocation(S.CLAWED_BACK) is None


@pytest.mark.parametrize("status, reference, requested, requested_reference, verdict", [
    (S.ELIGIBLE, None, S.PAID, "T1", PayerVerdict.APPLY),
    (S.ELIGIBLE, None, S.REJECTED, "T1", PayerVerdict.APPLY),
    (S.PAID, "T1", S.PAID, "T1", PayerVerdict.NO_OP),
    (S.REJECTED, "T1", S.REJECTED, "T1", PayerVerdict.NO_OP),
    (S.PAID, "T1", S.PAID, "T2", PayerVerdict.CONFLICT),
    (S.PAID, "T1", S.REJECTED, "T1", PayerVerdict.CONFLICT),
    (S.REJECTED, "T1", S.PAID, "T1", PayerVerdict.CONFLICT),
    (S.PENDING_RATING, None, S.PAID, "T1", PayerVerdict.CONFLICT),
    (S.NOT_ELIGIBLE, None, S.PAID, "T1", PayerVerdict.CONFLICT),
    (S.CLAWED_BACK, "T1", S.PAID, "T1", PayerVerdict.CONFLICT),
])
def test_payer_verdict(status, reference, requested, requested_reference, verdict):
    assert rules.payer_verdict(status, reference, requested, requested_reference) is verdict


@given(st.lists(st.sampled_from(["rate", "revoke", "paid", "rejected"]), max_size=12),
       st.booleans(), st.booleans())
def test_no_sequence_of_events_pays_a_not_first_item_or_revives_a_clawed_back_one(
        events, is_first, rated):
    status, _ = rules.initial_status(is_first, rated)
    reference = None
    for event in events:
        change = None
        if event == "rate":
            change = rules.on_rating(status)
        elif event == "revoke":
            change = rules.on_revocation(status)
        elif rules.payer_verdict(status, reference, event, "R") is PayerVerdict.APPLY:
            change, reference = Change(status, event), "R"
        previous = status
        if change is not None:
            assert change.expected == previous
            status = change.status
        if previous == S.CLAWED_BACK:
            assert status == S.CLAWED_BACK
        if not is_first:
            assert status in (S.NOT_ELIGIBLE, S.CLAWED_BACK)
