"""Input the database cannot store gets an answer, never a 500, and saves nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.extensions import db
from tests import factories

HUGE_ID = 99_999_999_999  # past the 32-bit keys of every table


@pytest.mark.parametrize("path", [
    f"/grading/submissions/{HUGE_ID}",
    f"/provider/modules/{HUGE_ID}/video",
    f"/enrollments/{HUGE_ID}",
])
def test_an_id_too_large_for_any_table_is_not_found(client, auth, path):
    staff = factories.staff(factories.provider())
    auth.login(staff.email)
    assert client.get(path).status_code == 404


def test_the_api_answers_an_id_too_large_with_its_error_shape(client):
    learner = factories.learner()
    response = client.get(f"/api/v1/enrollments/{HUGE_ID}", headers=factories.api_token(learner))
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_a_nul_byte_in_a_form_is_refused_or_stored_but_never_a_500(client):
    """PostgreSQL cannot store NUL in text; SQLite can. Either way the learner gets an answer."""
    response = client.post("/signup", data={
        "name": "Budi\x00Santoso", "email": "budi@example.id",
        "password": "kata-sandi-panjang-2026", "confirm": "kata-sandi-panjang-2026"})
    assert response.status_code < 500
    users = db.session.scalar(select(func.count()).select_from(User))
    if response.status_code == 422:
        assert users == 0
        assert "not valid" in response.get_data(as_text=True)
