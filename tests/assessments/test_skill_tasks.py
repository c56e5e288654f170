"""The skill task: handing in a file or a link, limits on both, the staff queue of one's own
provider, pass or revise with written feedback, resubmission, and the kept history."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from lms.admin.models import AuditEntry
from lms.assessments.models import SkillSubmission
from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from tests import factories
from tests import factories_assessments as fa

A, V = ModuleKind.ASSIGNMENT, ModuleKind.VIDEO
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def task(app, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(A, V))
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    return {"provider": provider, "course": course, "learner": learner,
            "enrollment": enrollment, "module": fa.modules(course)[0],
            "headers": factories.api_token(learner), "staff": factories.staff(provider)}


def _api_file(client, task, name="plan.pdf", content=PDF, module=None):
    module = module or task["module"]
    return client.post(f"/api/v1/modules/{module.id}/submissions", headers=task["headers"],
                       data={"file": (io.BytesIO(content), name), "note": "Halo"},
                       content_type="multipart/form-data")


def _api_link(client, task, url="https://drive.example.com/plan"):
    return client.post(f"/api/v1/modules/{task['module'].id}/submissions",
                       headers=task["headers"], json={"url": url})


def _grade(client, auth, task, submission_id, decision, feedback="Good work, clear plan."):
    auth.login(task["staff"].email)
    response = client.post(f"/grading/submissions/{submission_id}",
                           data={"decision": decision, "feedback": feedback})
    auth.logout()
    return response


def test_a_file_is_stored_through_the_storage_and_the_hand_in_waits_for_grading(client, task,
                                                                                 app):
    response = _api_file(client, task)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["submission_id"]
    item = db.session.get(SkillSubmission, body["submission_id"])
    stored = Path(app.config["MEDIA_ROOT"]) / item.file_key
    assert stored.read_bytes() == PDF
    assert item.file_name == "plan.pdf" and item.file_kind == "pdf" and item.note == "Halo"
    again = _api_link(client, task)
    assert again.status_code == 409 and again.get_json()["error"] == "submission_pending"


def test_a_link_can_be_handed_in(client, task):
    response = _api_link(client, task)
    assert response.status_code == 201
    history = client.get(f"/api/v1/modules/{task['module'].id}/submissions",
                         headers=task["headers"]).get_json()["items"]
    assert [h["url"] for h in history] == ["https://drive.example.com/plan"]


@pytest.mark.parametrize("name, content", [
    ("plan.pdf", b"MZ\x90\x00 a windows program renamed"),
    ("plan.exe", PDF),
    ("plan.html", b"<script>alert(1)</script>"),
])
def test_unsupported_files_are_refused_and_nothing_is_stored(client, task, app, name, content):
    response = _api_file(client, task, name, content)
    assert response.status_code == 422
    assert response.get_json()["error"] == "unsupported_type"
    assert db.session.query(SkillSubmission).count() == 0
    root = Path(app.config["MEDIA_ROOT"])
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_a_file_over_the_site_limit_is_refused_with_413(client, task, app):
    app.config["SKILL_TASK_MAX_MB"] = 1
    response = _api_file(client, task, content=PDF + b"0" * (1024 * 1024 + 70 * 1024))
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
    assert db.session.query(SkillSubmission).count() == 0


def test_a_file_over_the_tasks_own_limit_is_refused_with_413(client, task, app):
    fa.skill_task(task["module"], max_mb=1)
    response = _api_file(client, task, content=PDF + b"0" * (1024 * 1024))
    assert response.status_code == 413 and "1 MB" in response.get_json()["message"]
    assert db.session.query(SkillSubmission).count() == 0


@pytest.mark.parametrize("body, code", [
    ({"url": "javascript:alert(1)"}, "invalid_url"),
    ({"url": ""}, "missing_field"),
    ({}, "missing_field"),
    ({"url": 42}, "invalid_field"),
])
def test_bad_links_are_refused(client, task, body, code):
    response = client.post(f"/api/v1/modules/{task['module'].id}/submissions",
                           headers=task["headers"], json=body)
    assert response.status_code == 422 and response.get_json()["error"] == code


def test_a_locked_skill_task_refuses_hand_ins(client, app, clock):
    course = fa.full_course(kinds=(V, A))
    learner = factories.learner()
    factories.enrollment(learner, course)
    module = fa.modules(course)[1]
    response = client.post(f"/api/v1/modules/{module.id}/submissions",
                           headers=factories.api_token(learner), json={"url": "https://x.test"})
    assert response.status_code == 403 and response.get_json()["error"] == "module_locked"


def test_staff_see_only_their_own_providers_queue(client, auth, task):
    _api_link(client, task)
    other_course = fa.full_course(kinds=(A,))
    stranger = factories.learner(name="Other Provider Learner")
    factories.enrollment(stranger, other_course)
    client.post(f"/api/v1/modules/{fa.modules(other_course)[0].id}/submissions",
                headers=factories.api_token(stranger), json={"url": "https://y.test"})
    auth.login(task["staff"].email)
    page = client.get("/grading/").get_data(as_text=True)
    assert task["learner"].name in page and "Other Provider Learner" not in page


def test_the_queue_has_an_empty_state_and_pages(client, auth, app, task):
    auth.login(task["staff"].email)
    page = client.get("/grading/").get_data(as_text=True)
    assert "Nothing to grade right now" in page
    auth.logout()
    for _ in range(22):
        learner = factories.learner()
        factories.enrollment(learner, task["course"])
        client.post(f"/api/v1/modules/{task['module'].id}/submissions",
                    headers=factories.api_token(learner), json={"url": "https://z.test"})
    auth.login(task["staff"].email)
    first = client.get("/grading/").get_data(as_text=True)
    assert first.count("data-submission=") == 20 and "Page 1 of 2" in first
    second = client.get("/grading/?page=2").get_data(as_text=True)
    assert second.count("data-submission=") == 2


def test_staff_of_another_provider_cannot_open_or_grade(client, auth, task):
    submission_id = _api_link(client, task).get_json()["submission_id"]
    intruder = factories.staff(factories.provider())
    auth.login(intruder.email)
    assert client.get(f"/grading/submissions/{submission_id}").status_code == 404
    response = client.post(f"/grading/submissions/{submission_id}",
                           data={"decision": "passed", "feedback": "Sure."})
    assert response.status_code == 404
    assert client.get(f"/submissions/{submission_id}/file").status_code == 404
    db.session.expire_all()
    assert db.session.get(SkillSubmission, submission_id).status == "pending"


def test_learners_and_admins_cannot_grade(client, auth, task):
    submission_id = _api_link(client, task).get_json()["submission_id"]
    for user in (task["learner"], factories.admin()):
        auth.login(user.email)
        response = client.post(f"/grading/submissions/{submission_id}",
                               data={"decision": "passed", "feedback": "Self-graded."})
        assert response.status_code == 403
        auth.logout()
    db.session.expire_all()
    assert db.session.get(SkillSubmission, submission_id).status == "pending"


def test_revise_then_resubmit_then_pass_keeps_the_whole_history(client, auth, task):
    first = _api_file(client, task).get_json()["submission_id"]
    response = _grade(client, auth, task, first, "revise", "Add prices to the catalogue.")
    assert response.status_code == 302
    auth.login(task["learner"].email)
    module_url = f"/enrollments/{task['enrollment'].id}/modules/{task['module'].id}"
    page = client.get(module_url).get_data(as_text=True)
    assert "Add prices to the catalogue." in page and "Hand in a revised version" in page
    second = client.post(module_url + "/submissions",
                         data={"f-file": (io.BytesIO(PNG), "plan-v2.png"), "f-note": "Fixed"},
                         content_type="multipart/form-data")
    assert second.status_code == 302
    auth.logout()
    second_id = db.session.query(SkillSubmission).filter_by(number=2).one().id
    assert _grade(client, auth, task, second_id, "passed", "Well done.").status_code == 302
    rows = db.session.query(SkillSubmission).order_by(SkillSubmission.number).all()
    assert [(r.status, r.feedback) for r in rows] == [
        ("revise", "Add prices to the catalogue."), ("passed", "Well done.")]
    progress = db.session.query(ModuleProgress).filter_by(module_id=task["module"].id).one()
    assert progress.completed_at is not None
    decisions = db.session.query(AuditEntry).filter_by(action="skill_task.graded").all()
    assert [d.data["decision"] for d in decisions] == ["revise", "passed"]
    assert all(d.actor_id == task["staff"].id for d in decisions)
    history = client.get(f"/api/v1/modules/{task['module'].id}/submissions",
                         headers=task["headers"]).get_json()["items"]
    assert [h["status"] for h in history] == ["passed", "revise"]
    after = client.post(f"/api/v1/modules/{task['module'].id}/submissions",
                        headers=task["headers"], json={"url": "https://again.test"})
    assert after.status_code == 409 and after.get_json()["error"] == "already_completed"


def test_feedback_is_required_and_a_second_answer_is_refused(client, auth, task):
    submission_id = _api_link(client, task).get_json()["submission_id"]
    missing = _grade(client, auth, task, submission_id, "passed", "")
    assert missing.status_code == 422 and "Write feedback" in missing.get_data(as_text=True)
    assert _grade(client, auth, task, submission_id, "revise").status_code == 302
    again = _grade(client, auth, task, submission_id, "passed")
    assert again.status_code == 409
    db.session.expire_all()
    assert db.session.get(SkillSubmission, submission_id).status == "revise"


def test_the_learner_and_the_staff_download_the_file_others_do_not(client, auth, task):
    submission_id = _api_file(client, task).get_json()["submission_id"]
    for user, status in ((task["learner"], 200), (task["staff"], 200),
                         (factories.learner(), 404)):
        auth.login(user.email)
        response = client.get(f"/submissions/{submission_id}/file")
        assert response.status_code == status
        if status == 200:
            assert response.data == PDF
            assert response.headers["Content-Type"] == "application/pdf"
            assert "attachment" in response.headers["Content-Disposition"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        auth.logout()


def test_the_page_refuses_a_file_of_the_wrong_kind_with_an_explanation(client, auth, task):
    auth.login(task["learner"].email)
    url = f"/enrollments/{task['enrollment'].id}/modules/{task['module'].id}/submissions"
    response = client.post(url, data={"f-file": (io.BytesIO(b"MZ\x90"), "plan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not a real PDF file" in response.get_data(as_text=True)


def test_instructions_are_shown_sanitised(client, auth, task):
    auth.login(task["learner"].email)
    page = client.get(f"/enrollments/{task['enrollment'].id}/modules/{task['module'].id}")
    html = page.get_data(as_text=True)
    assert "<b>marketing plan</b>" in html and "<script>alert(1)</script>" not in html


def test_an_oversized_page_upload_is_refused_before_the_form_is_even_read(client, auth, task,
                                                                         app):
    """With CSRF on (as in production) the form is parsed before the view runs; the size cap
    must already apply then, or a huge upload would be spooled to disk first."""
    auth.login(task["learner"].email)
    app.config.update(SKILL_TASK_MAX_MB=1, WTF_CSRF_ENABLED=True)
    url = f"/enrollments/{task['enrollment'].id}/modules/{task['module'].id}/submissions"
    response = client.post(url, data={"f-file": (io.BytesIO(PDF + b"0" * 1200 * 1024), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert db.session.query(SkillSubmission).count() == 0
