"""The signed, expiring link through which the programme fetches a skill-task file, and the
stand-in's own command."""
from __future__ import annotations

import io

import pytest

from lms.assessments.models import SkillSubmission
from lms.extensions import db
from lms.pacing import attendance
from lms.programme import file_links
from tests import factories
from tests import factories_assessments as fa
from tests.programme import support


@pytest.fixture
def handed_in(app, clock, auth, client):
    course = fa.full_course(kinds=(fa.A,))
    learner = factories.learner()
    factories.enrollment(learner, course)
    attendance.record_verification(learner, learner, clock.now())
    db.session.commit()
    auth.login(learner.email)
    answer = client.post(f"/api/v1/modules/{fa.modules(course)[0].id}/submissions",
                         data={"file": (io.BytesIO(support.PDF), "plan.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 201
    auth.logout()
    return db.session.get(SkillSubmission, answer.get_json()["submission_id"])


def _path(app, submission_id: int) -> str:
    with app.test_request_context():
        return support.path_of("http://x" + file_links.submission_file_url(submission_id))


def test_the_link_serves_the_file_without_an_account(app, handed_in, client):
    answer = client.get(_path(app, handed_in.id))
    assert answer.status_code == 200 and answer.data == support.PDF
    assert "attachment" in answer.headers["Content-Disposition"]


def test_a_tampered_or_expired_link_is_refused(app, handed_in, client):
    path = _path(app, handed_in.id)
    assert client.get(path[:-2] + "xx").status_code == 404
    app.config["PRAKERJA_FILE_LINK_SECONDS"] = -1
    try:
        answer = client.get(path)
    finally:
        app.config["PRAKERJA_FILE_LINK_SECONDS"] = 7 * 24 * 3600
    assert answer.status_code == 404 and b"expired" in answer.data


def test_a_link_to_a_submission_that_is_gone_is_refused(app, client):
    assert client.get(_path(app, 424242)).status_code == 404


def test_anonymous_return_from_the_programme_signs_in_first(prakerja, client):
    answer = client.get("/programme/callback?state=abc")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_standin_command_is_registered(runner):
    result = runner.invoke(args=["programme", "standin", "--help"])
    assert result.exit_code == 0 and "--port" in result.output
    assert runner.invoke(args=["programme", "deliver"]).output.strip() == "0 attempted"
