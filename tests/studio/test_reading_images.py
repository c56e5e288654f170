"""Images in readings: uploaded by the course's staff for a draft's reading, checked by their
bytes, stored once under their hash, shown to those who may see the reading, kept by drafts
and carried by course packages."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from PIL import Image
from sqlalchemy import func, select

from lms.catalog import services
from lms.catalog.models import Course, ModuleKind
from lms.catalog.versions import draft_version
from lms.extensions import db
from tests import factories
from tests.studio.test_packages import package, post


def _png(size: tuple[int, int] = (4, 3), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _draft_reading(published: bool = False):
    provider = factories.provider()
    course = factories.course(provider, kinds=(ModuleKind.READING,), published=published)
    return provider, course, course.versions[-1].modules[0]


def _upload(client, module, data: bytes, name: str = "gambar.png"):
    return client.post(f"/provider/modules/{module.id}/images",
                       data={"image": (io.BytesIO(data), name)},
                       content_type="multipart/form-data",
                       headers={"Accept": "application/json"})


def test_staff_upload_an_image_and_see_it(client, auth):
    provider, course, reading = _draft_reading()
    auth.login(factories.staff(provider).email)
    data = _png()
    answer = _upload(client, reading, data)
    assert answer.status_code == 201
    src = answer.get_json()["src"]
    assert src.startswith(f"/reading-images/{course.id}/") and src.endswith(".png")
    shown = client.get(src)
    assert shown.status_code == 200 and shown.data == data
    assert shown.mimetype == "image/png"
    assert "immutable" in shown.headers["Cache-Control"]
    assert _upload(client, reading, data).get_json()["src"] == src  # the same bytes, one key


def test_uploads_that_are_refused(client, auth, app):
    provider, _, reading = _draft_reading()
    auth.login(factories.staff(provider).email)
    not_an_image = _upload(client, reading, b"%PDF-1.4 not an image", "gambar.png")
    assert not_an_image.status_code == 422
    assert not_an_image.get_json()["error"] == "invalid_image"
    app.config["READING_IMAGE_MAX_MB"] = 1
    big = Image.frombytes("RGB", (1024, 1024), bytes(range(256)) * 12288)
    out = io.BytesIO()
    big.save(out, "PNG", compress_level=0)
    assert _upload(client, reading, out.getvalue()).status_code == 413

    auth.logout()
    auth.login(factories.staff(factories.provider()).email)
    assert _upload(client, reading, _png()).status_code == 404
    auth.logout()
    auth.login(factories.learner().email)
    assert _upload(client, reading, _png()).status_code == 403


def test_a_published_version_takes_no_images(client, auth):
    provider, _, reading = _draft_reading(published=True)
    auth.login(factories.staff(provider).email)
    assert _upload(client, reading, _png()).status_code == 409


def _published_with_image(client, auth):
    provider, course, reading = _draft_reading()
    auth.login(factories.staff(provider).email)
    src = _upload(client, reading, _png(color="blue")).get_json()["src"]
    services.update_module(factories.staff(provider), reading, reading.title, True,
                           f'<p>Lihat:</p><img src="{src}" alt="Diagram">', None)
    services.publish_course(None, course)
    db.session.commit()
    auth.logout()
    return provider, course, src


def test_an_enrolled_learner_sees_the_image_and_a_stranger_does_not(client, auth):
    _, course, src = _published_with_image(client, auth)
    assert client.get(src).status_code == 404  # signed out
    learner = factories.learner()
    auth.login(learner.email)
    assert client.get(src).status_code == 404  # not enrolled
    enrollment = factories.enrollment(learner, course)
    assert client.get(src).status_code == 200
    page = client.get(f"/enrollments/{enrollment.id}/modules/{course.current_version.modules[0].id}")
    assert src in page.get_data(as_text=True)
    other = factories.course(kinds=(ModuleKind.READING,))
    assert client.get(src.replace(f"/{course.id}/", f"/{other.id}/")).status_code == 404
    assert client.get(f"/reading-images/{course.id}/{'0' * 64}.png").status_code == 404


def test_a_draft_copy_keeps_the_image(client, auth):
    provider, course, src = _published_with_image(client, auth)
    draft = draft_version(course)
    db.session.commit()
    assert src in draft.modules[0].body
    auth.login(factories.staff(provider).email)
    assert client.get(src).status_code == 200


def test_the_sanitiser_keeps_own_images_only():
    own = f"/reading-images/7/{'a' * 64}.webp"
    assert services.clean_html(f'<img src="{own}" alt="Bagan" onerror="x()">') == \
        f'<img src="{own}" alt="Bagan">'
    assert services.clean_html(f'<img src="{own}">') == f'<img alt="" src="{own}">'
    for foreign in ("https://tracker.example/p.png", "data:image/png;base64,AAAA",
                    f"{own}?x=1", "//cdn.example/a.png", "/static/logo.png"):
        assert services.clean_html(f'<p>a<img src="{foreign}" alt="x"></p>') == "<p>a</p>"


def _reading_package(body: str, files: dict[str, bytes]):
    doc = {"format": "alur-course/1", "title": "Bacaan bergambar", "description": "",
           "language": "id", "training_type": "general", "finish_within_days": None,
           "programme_course_code": None, "modules": [
               {"kind": "reading", "title": "Bacaan", "body_html": body, "min_seconds": 60}]}
    return doc, package(doc, files)


def test_a_package_carries_the_images_of_its_readings(app, client):
    headers = factories.api_token(factories.staff(factories.provider()))
    data = _png(color="green")
    name = f"{hashlib.sha256(data).hexdigest()}.png"
    doc, archive = _reading_package(f'<p>Lihat</p><img src="images/{name}" alt="Bagan">',
                                    {f"images/{name}": data})
    answer = post(client, headers, archive)
    assert answer.status_code == 201, answer.json
    course = db.session.get(Course, answer.json["course_id"])
    assert f'src="/reading-images/{course.id}/{name}"' in course.versions[-1].modules[0].body
    exported = client.get(f"/api/v1/courses/{course.id}/package", headers=headers)
    with zipfile.ZipFile(io.BytesIO(exported.data)) as zipped:
        assert json.loads(zipped.read("course.json")) == doc
        assert zipped.read(f"images/{name}") == data


def test_a_package_with_a_missing_or_false_image_is_refused(app, client):
    headers = factories.api_token(factories.staff(factories.provider()))
    name = f"{'b' * 64}.png"
    body = f'<img src="images/{name}" alt="">'
    answer = post(client, headers, _reading_package(body, {})[1])
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json["problems"]] == ["modules[0].body_html"]
    answer = post(client, headers, _reading_package(body, {f"images/{name}": b"not png"})[1])
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json["problems"]] == ["modules[0].body_html"]
    assert db.session.scalar(select(func.count(Course.id))) == 0
