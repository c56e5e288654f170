"""When a failed programme call is tried again."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, strategies as st

from lms.programme.rules_backoff import MAX_DELAY_SECONDS, delay_after


@pytest.mark.parametrize("failures, seconds", [
    (1, 30), (2, 60), (3, 120), (4, 240), (10, 15360), (11, MAX_DELAY_SECONDS),
    (1000, MAX_DELAY_SECONDS),
])
def test_delays_double_up_to_six_hours(failures, seconds):
    assert delay_after(failures) == timedelta(seconds=seconds)


@given(st.integers(min_value=1, max_value=10_000))
def test_delays_never_shrink_and_stay_bounded(failures):
    assert delay_after(failures) <= delay_after(failures + 1)
    assert timedelta(seconds=30) <= delay_after(failures) <= timedelta(seconds=MAX_DELAY_SECONDS)
