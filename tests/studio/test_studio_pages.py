"""The studio's pages as provider staff and admins use them: create a course, add, edit,
move, reorder and delete modules, submit it (the checklist answers), approve or return it."""
from __future__ import annotations

from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.catalog.models import Course, CourseStatus, Module, ReviewEvent
from lms.extensions import db
from tests import factories


def _staff_course(client, auth, training_type="general"):
    provider = factories.provider()
    staff = factories.staff(provider)
    auth.login(staff.email)
    response = client.post("/provider/courses/new", data={
        "title": "Membuat Kue Kering", "description": "Dari adonan ke toko.", "language": "id",
        "training_type": training_type, "finish_within_days": "30",
        "programme_course_code": "PK-001"})
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.title == "Membuat Kue Kering"))
    return provider, staff, course


def test_staff_create_a_course_and_see_it_in_their_list(client, auth):
    _, _, course = _staff_course(client, auth)
    assert course.finish_within_days == 30 and course.programme_course_code == "PK-001"
    page = client.get("/provider/courses").get_data(as_text=True)
    assert "Membuat Kue Kering" in page and 'data-state="draft"' in page
    assert client.get(f"/provider/courses/{course.id}").status_code == 200


def test_bad_course_details_are_shown_on_the_form(client, auth):
    provider = factories.provider()
    auth.login(factories.staff(provider).email)
    response = client.post("/provider/courses/new", data={
        "title": "X", "language": "id", "training_type": "self_paced",
        "programme_course_code": "no spaces allowed"})
    assert response.status_code == 422
    assert "letters, digits, dots" in response.get_data(as_text=True)
    assert db.session.scalar(select(Course.id)) is None


def test_modules_are_added_edited_moved_reordered_and_deleted(client, auth):
    _, _, course = _staff_course(client, auth)
    for kind, title in (("reading", "Bacaan"), ("quiz", "Kuis"), ("assignment", "Tugas")):
        assert client.post(f"/provider/courses/{course.id}/modules",
                           data={"kind": kind, "title": title, "required": "y"}).status_code == 302
    modules = course.versions[-1].modules
    reading = modules[0]
    response = client.post(f"/provider/modules/{reading.id}/edit", data={
        "title": "Bacaan baru", "body": "<p>Halo</p><script>alert(1)</script>",
        "min_dwell_seconds": "30"})
    assert response.status_code == 302
    db.session.refresh(reading)
    assert reading.title == "Bacaan baru" and reading.body == "<p>Halo</p>"
    assert reading.required is False  # the box was not ticked
    answer = client.post(f"/provider/modules/{reading.id}/move", data={"direction": "down"},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 200 and "position 2 of 3" in answer.json["message"]
    ids = [m.id for m in db.session.scalars(select(Module).where(
        Module.version_id == reading.version_id).order_by(Module.position))]
    assert ids[1] == reading.id
    answer = client.post(f"/provider/courses/{course.id}/order", json={"order": ids[::-1]})
    assert answer.status_code == 200 and answer.json["order"] == ids[::-1]
    assert client.post(f"/provider/courses/{course.id}/order",
                       json={"order": ids[:1]}).status_code == 422
    assert client.get(f"/provider/modules/{reading.id}/delete").status_code == 200
    assert client.post(f"/provider/modules/{reading.id}/delete", data={}).status_code == 422
    assert client.post(f"/provider/modules/{reading.id}/delete",
                       data={"confirm": "yes"}).status_code == 302
    positions = list(db.session.scalars(select(Module.position).where(
        Module.version_id == course.versions[-1].id).order_by(Module.position)))
    assert positions == [1, 2]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "module.deleted"))


def test_preview_records_nothing(client, auth):
    _, _, course = _staff_course(client, auth)
    client.post(f"/provider/courses/{course.id}/modules", data={"kind": "reading", "title": "R"})
    module = course.versions[-1].modules[0]
    page = client.get(f"/provider/modules/{module.id}/preview")
    assert page.status_code == 200 and "Nothing is recorded" in page.get_data(as_text=True)


def test_submitting_an_incomplete_course_shows_the_checklist(client, auth):
    _, _, course = _staff_course(client, auth, training_type="self_paced")
    client.post(f"/provider/courses/{course.id}/modules", data={"kind": "video", "title": "V"})
    response = client.post(f"/provider/courses/{course.id}/review-requests")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for code in ("media_not_ready", "video_hours_below_minimum", "no_pretest", "no_posttest",
                 "no_skill_task"):
        assert f'data-code="{code}"' in page
    assert course.versions[-1].status == CourseStatus.DRAFT


def test_a_complete_course_is_submitted_returned_and_approved(client, auth):
    _, staff, course = _staff_course(client, auth)
    client.post(f"/provider/courses/{course.id}/modules",
                data={"kind": "reading", "title": "R", "required": "y"})
    module = course.versions[-1].modules[0]
    client.post(f"/provider/modules/{module.id}/edit", data={"title": "R", "body": "<p>Isi</p>"})
    assert client.post(f"/provider/courses/{course.id}/review-requests").status_code == 302
    assert course.versions[-1].status == CourseStatus.IN_REVIEW
    assert client.post(f"/provider/modules/{module.id}/edit",
                       data={"title": "Changed"}).status_code == 409
    admin = factories.admin()
    auth.logout()
    auth.login(admin.email)
    assert course.title in client.get("/admin/reviews").get_data(as_text=True)
    assert client.get(f"/admin/reviews/{course.id}").status_code == 200
    answer = client.post(f"/admin/reviews/{course.id}", data={"decision": "return", "notes": ""})
    assert answer.status_code == 422
    answer = client.post(f"/admin/reviews/{course.id}",
                         data={"decision": "return", "notes": "Tambahkan gambar."})
    assert answer.status_code == 302
    db.session.refresh(course)
    assert course.versions[-1].status == CourseStatus.RETURNED
    auth.logout()
    auth.login(staff.email)
    page = client.get(f"/provider/courses/{course.id}").get_data(as_text=True)
    assert "Tambahkan gambar." in page
    assert client.post(f"/provider/courses/{course.id}/review-requests").status_code == 302
    auth.logout()
    auth.login(admin.email)
    assert client.post(f"/admin/reviews/{course.id}",
                       data={"decision": "approve", "notes": ""}).status_code == 302
    db.session.refresh(course)
    assert course.status == CourseStatus.PUBLISHED and course.current_version.number == 1
    actions = list(db.session.scalars(select(ReviewEvent.action).order_by(ReviewEvent.id)))
    assert actions == ["submitted", "returned", "submitted", "approved"]
    assert {"course.submitted", "course.returned", "course.approved"} <= set(
        db.session.scalars(select(AuditEntry.action)))
