"""Course packages over the API: a round trip gives the same course.json, and broken packages
are refused with every problem listed and nothing created."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from lms.admin.models import AuditEntry
from lms.catalog import packages
from lms.catalog.models import Course
from lms.extensions import db
from lms.media.models import AssetStatus, VideoAsset
from lms.media.probe import probe_video
from tests import factories, factories_media as fm

QUESTION = {"kind": "single", "text": "Dua tambah dua?",
            "options": [{"text": "4", "correct": True}, {"text": "5", "correct": False}]}


def course_json(**overrides) -> dict:
    doc = {"format": "alur-course/1", "title": "Kursus Paket", "description": "Dari paket.",
           "language": "id", "training_type": "self_paced", "finish_within_days": 30,
           "programme_course_code": "PKT-01", "modules": [
               {"kind": "quiz", "title": "Pre-test", "quiz": {
                   "role": "pretest", "pass_percent": None, "attempts": 1,
                   "time_limit_seconds": 600, "questions": [QUESTION]}},
               {"kind": "video", "title": "Video", "video": "media/module-002.mp4",
                "captions": {"id": "media/module-002.id.vtt"}},
               {"kind": "reading", "title": "Bacaan", "body_html": "<p>Isi bacaan.</p>",
                "min_seconds": 60},
               {"kind": "quiz", "title": "Post-test", "quiz": {
                   "role": "posttest", "pass_percent": 70, "attempts": 3,
                   "time_limit_seconds": 900, "questions": [QUESTION]}},
               {"kind": "assignment", "title": "Tugas", "task": {
                   "instructions": "<p>Buat rencana.</p>", "allow_link": True,
                   "kinds": ["pdf"], "max_mb": 10}}]}
    doc.update(overrides)
    return doc


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    return fm.make_source(tmp_path_factory.mktemp("clip") / "c.mp4", 2).read_bytes()


def package(doc: dict, files: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(doc))
        for name, data in files.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def post(client, headers, data: io.BytesIO):
    return client.post("/api/v1/course-packages", headers=headers,
                       data={"package": (data, "course.zip")}, content_type="multipart/form-data")


def test_import_then_export_gives_the_same_course_json(app, client, clip):
    staff = factories.staff(factories.provider())
    headers = factories.api_token(staff)
    doc = course_json()
    files = {"media/module-002.mp4": clip, "media/module-002.id.vtt": fm.vtt("id", 2)}
    answer = post(client, headers, package(doc, files))
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "draft"
    course = db.session.get(Course, answer.json["course_id"])
    assert db.session.scalar(select(VideoAsset.status)) in (AssetStatus.READY,
                                                             AssetStatus.UPLOADED)
    exported = client.get(f"/api/v1/courses/{course.id}/package", headers=headers)
    assert exported.status_code == 200
    with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
        assert json.loads(archive.read("course.json")) == doc
        assert archive.read("media/module-002.mp4") == clip


def _problems(answer) -> list[str]:
    assert answer.status_code == 422, answer.data[:300]
    assert answer.json["error"] == "invalid_package"
    return [p["path"] for p in answer.json["problems"]]


def test_broken_packages_are_refused_with_every_problem_and_nothing_created(app, client, clip):
    headers = factories.api_token(factories.staff(factories.provider()))
    good = {"media/module-002.mp4": clip, "media/module-002.id.vtt": fm.vtt("id", 2)}
    # A missing file and a wrong kind, listed together.
    doc = course_json()
    doc["modules"][2]["kind"] = "podcast"
    paths = _problems(post(client, headers, package(doc, {"media/module-002.id.vtt": b"x"})))
    assert paths == ["modules[1].video", "modules[2].kind"]
    # A video that is not a video.
    bad = dict(good, **{"media/module-002.mp4": b"this is text, not a video"})
    assert _problems(post(client, headers, package(course_json(), bad))) == ["modules[1].video"]
    # Path traversal in names.
    paths = _problems(post(client, headers, package(course_json(), dict(
        good, **{"../evil.txt": b"x"}))))
    assert "../evil.txt" in paths
    # A zip bomb: a small entry that expands enormously.
    bomb = dict(good, **{"media/bomb.bin": b"\0" * (64 << 20)})
    assert "media/bomb.bin" in _problems(post(client, headers, package(course_json(), bomb)))
    # Unknown fields and no course.json at all.
    assert _problems(post(client, headers, package(course_json(extra=1), good))) == \
        ["course.json.extra"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "no course here")
    out.seek(0)
    assert _problems(post(client, headers, out)) == ["course.json"]
    assert _problems(post(client, headers, io.BytesIO(b"not a zip"))) == ["package"]
    assert db.session.scalar(select(func.count(Course.id))) == 0
    assert db.session.scalar(select(func.count(VideoAsset.id))) == 0


def test_videos_with_the_same_bytes_are_probed_once_and_questions_audited_per_bank(
        app, client, clip, monkeypatch):
    probed = []
    monkeypatch.setattr(packages, "probe_video", lambda path: probed.append(path) or
                        probe_video(path))
    headers = factories.api_token(factories.staff(factories.provider()))
    doc = course_json()
    doc["modules"].insert(2, {"kind": "video", "title": "Video lagi",
                              "video": "media/module-003.mp4"})
    doc["modules"][0]["quiz"]["questions"] = [QUESTION, dict(QUESTION, text="Tiga?")]
    files = {"media/module-002.mp4": clip, "media/module-003.mp4": clip,
             "media/module-002.id.vtt": fm.vtt("id", 2)}
    answer = post(client, headers, package(doc, files))
    assert answer.status_code == 201, answer.json
    assert len(probed) == 1
    assert db.session.scalar(select(func.count(VideoAsset.id))) == 2
    added = db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
        ("question.added", "questions.added"))).order_by(AuditEntry.id)).all()
    assert [(e.action, e.data["count"]) for e in added] == [("questions.added", 2),
                                                           ("questions.added", 1)]
    imported = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.imported"))
    assert imported.data == {"modules": 6, "questions": 3}
    # Repeated bytes that are not a video: probed once, refused for every module using them.
    bad = dict(files, **{"media/module-002.mp4": b"text", "media/module-003.mp4": b"text"})
    assert _problems(post(client, headers, package(doc, bad))) == ["modules[1].video",
                                                                  "modules[2].video"]


def test_review_request_and_decision_over_the_api(app, client):
    course = factories.course(published=False)
    staff = factories.staff(course.provider)
    answer = client.post(f"/api/v1/courses/{course.id}/review-requests",
                         headers=factories.api_token(staff))
    assert answer.status_code == 422 and answer.json["error"] == "course_incomplete"
    assert "video_hours_below_minimum" in {p["code"] for p in answer.json["problems"]}
    course.training_type = "general"
    course.versions[-1].modules[0].kind = "reading"
    course.versions[-1].modules[1].kind = "reading"
    course.versions[-1].modules[3].kind = "reading"
    db.session.commit()
    answer = client.post(f"/api/v1/courses/{course.id}/review-requests",
                         headers=factories.api_token(staff))
    assert answer.status_code == 201 and answer.json == {"status": "in_review"}
    admin = factories.api_token(factories.admin())
    assert client.post(f"/api/v1/courses/{course.id}/decision", headers=admin,
                       json={"decision": "return"}).status_code == 422
    answer = client.post(f"/api/v1/courses/{course.id}/decision", headers=admin,
                         json={"decision": "approve"})
    assert answer.status_code == 200 and answer.json == {"status": "published", "version": 1}
    again = client.post(f"/api/v1/courses/{course.id}/decision", headers=admin,
                        json={"decision": "approve"})
    assert again.status_code == 409 and again.json["error"] == "not_in_review"
