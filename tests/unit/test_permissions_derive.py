"""Each ensure_* is derived from its may_*: it raises exactly when the may_* says no."""
from __future__ import annotations

import pytest

from lms import permissions
from lms.errors import AlurError, Forbidden, NotFound
from lms.permissions.derive import ensure_from, ensure_subject_from


def _even(number: int) -> bool:
    return number % 2 == 0


@pytest.mark.parametrize("number", range(6))
def test_an_ensure_raises_exactly_when_its_may_says_no(number):
    ensure_even = ensure_from(_even, Forbidden)
    if _even(number):
        assert ensure_even(number) is None
    else:
        with pytest.raises(Forbidden):
            ensure_even(number)


@pytest.mark.parametrize("subject, allowed", [(None, False), (3, False), (4, True)])
def test_a_subject_ensure_returns_the_subject_and_hides_missing_and_forbidden_alike(subject,
                                                                                 allowed):
    ensure_mine = ensure_subject_from(lambda user, n: _even(n), NotFound)
    if allowed:
        assert ensure_mine("someone", subject) == subject
    else:
        with pytest.raises(NotFound):
            ensure_mine("someone", subject)


def test_derived_ensures_remember_the_question_they_ask():
    assert permissions.ensure_admin.may is permissions.is_admin
    assert permissions.ensure_may_manage_course.may is permissions.may_manage_course
    assert issubclass(NotFound, AlurError)
