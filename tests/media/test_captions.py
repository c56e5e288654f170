"""Caption tracks: WebVTT per language, refused with the line at fault, stored next to the
ladder for the player, replaced or deleted by the provider."""
from __future__ import annotations

import io

import pytest

from lms.admin.models import AuditEntry
from lms.extensions import db
from lms.media import services
from lms.media.models import AssetStatus, Caption, VideoAsset

GOOD = "WEBVTT\n\n00:00.000 --> 00:01.500\nSelamat datang di modul ini.\n\n" \
       "00:01.500 --> 00:02.000\nMari mulai.\n"
SRT_STYLE = "WEBVTT\n\n1\n00:00:00,000 --> 00:00:01,500\nSelamat datang.\n"


@pytest.fixture
def asset(world):
    asset = VideoAsset(module=world.module, status=AssetStatus.READY, duration_seconds=60.0,
                       original_filename="lesson.mp4", source_key="sources/1/lesson.mp4")
    db.session.add(asset)
    db.session.commit()
    return asset


def post(client, asset_id, text=None, language="id", raw=None, name="captions.vtt"):
    data = raw if raw is not None else text.encode("utf-8")
    return client.post(f"/provider/video-assets/{asset_id}/captions",
                       data={"language": language, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_valid_captions_are_stored_per_language_for_the_player(client, auth, world, asset,
                                                               media_root):
    auth.login(world.staff.email)
    for language in ("id", "en"):
        response = post(client, asset.id, "\ufeff" + GOOD, language)
        assert response.status_code == 302
    db.session.expire_all()
    tracks = {c.language: c for c in db.session.query(Caption).filter_by(asset_id=asset.id)}
    assert set(tracks) == {"id", "en"}
    assert tracks["id"].storage_key == f"hls/{asset.id}/captions/id.vtt"
    assert (media_root / tracks["en"].storage_key).read_text(encoding="utf-8") == GOOD
    page = client.get(f"/provider/modules/{world.module.id}/video").get_data(as_text=True)
    assert 'data-language="id"' in page and 'data-language="en"' in page
    status = client.get(f"/api/v1/video-assets/{asset.id}").get_json()
    assert status["captions"] == ["en", "id"]


def test_uploading_a_language_again_replaces_its_track(client, auth, world, asset, media_root):
    auth.login(world.staff.email)
    post(client, asset.id, GOOD)
    post(client, asset.id, GOOD.replace("Mari mulai.", "Ayo mulai."))
    assert db.session.query(Caption).count() == 1
    assert "Ayo mulai." in (media_root / f"hls/{asset.id}/captions/id.vtt").read_text()


@pytest.mark.parametrize("text, line, words", [
    (SRT_STYLE, 4, "comma before the milliseconds"),
    ("1\n00:00:00,000 --> 00:00:01,500\nHalo\n", 1, "must start with the line"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nA\n\n00:02.000 --> 00:01.500\nB\n", 6, "ends"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nA\n\n02:00.000 --> 02:01.000\nB\n", 6,
     "after the video ends"),
])
def test_an_invalid_file_is_refused_naming_the_line_at_fault(client, auth, world, asset, text,
                                                             line, words, media_root):
    auth.login(world.staff.email)
    response = post(client, asset.id, text)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Line {line}:" in page and words in page
    assert db.session.query(Caption).count() == 0
    assert not (media_root / f"hls/{asset.id}/captions").exists()


def test_a_file_that_is_not_utf8_names_the_line_too(client, auth, world, asset):
    auth.login(world.staff.email)
    raw = "WEBVTT\n\n00:00.000 --> 00:01.000\nSelamat datang\n".encode() + b"\xff\xfe caf\xe9\n"
    response = post(client, asset.id, raw=raw)
    assert response.status_code == 422 and "Line 5:" in response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["fr", "", "xx-YY"])
def test_only_indonesian_and_english_tracks_are_taken(client, auth, world, asset, language):
    auth.login(world.staff.email)
    assert post(client, asset.id, GOOD, language).status_code == 422
    assert db.session.query(Caption).count() == 0


def test_a_huge_file_is_refused_without_reading_it_all(client, auth, world, asset):
    auth.login(world.staff.email)
    response = post(client, asset.id, raw=b"WEBVTT\n\n" + b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413 and "at most 1 MB" in response.get_data(as_text=True)


def test_captions_need_an_uploaded_video(client, auth, world, asset):
    asset.status = AssetStatus.FAILED
    db.session.commit()
    auth.login(world.staff.email)
    response = post(client, asset.id, GOOD)
    assert response.status_code == 409
    assert "Upload the video first" in response.get_data(as_text=True)


def test_staff_of_another_provider_cannot_add_captions(client, auth, world, asset):
    auth.login(world.other_staff.email)
    assert post(client, asset.id, GOOD).status_code == 404
    assert db.session.query(Caption).count() == 0


def test_deleting_a_track_asks_first_then_removes_row_and_file(client, auth, world, asset,
                                                               media_root):
    auth.login(world.staff.email)
    post(client, asset.id, GOOD, "en")
    caption = db.session.query(Caption).one()
    path = media_root / caption.storage_key
    confirm = client.get(f"/provider/captions/{caption.id}/delete")
    assert confirm.status_code == 200 and "Delete the EN captions?" in confirm.get_data(as_text=True)
    assert path.is_file()
    assert client.post(f"/provider/captions/{caption.id}/delete").status_code == 422  # unconfirmed
    assert path.is_file() and db.session.query(Caption).count() == 1
    assert client.post(f"/provider/captions/{caption.id}/delete",
                       data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.query(Caption).count() == 0 and not path.exists()
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-2:] == ["captions.uploaded", "captions.deleted"]


def test_deleting_an_unplayed_upload_asks_first_and_a_ready_one_is_kept(client, auth, world,
                                                                        asset, media_root):
    failed = VideoAsset(module=world.module, status=AssetStatus.FAILED, original_filename="b.mp4",
                        source_key="sources/2/b.mp4")
    db.session.add(failed)
    db.session.commit()
    source = media_root / "sources" / str(failed.id) / "b.mp4"
    source.parent.mkdir(parents=True)
    source.write_bytes(b"source")
    auth.login(world.staff.email)
    confirm = client.get(f"/provider/video-assets/{failed.id}/delete")
    assert confirm.status_code == 200 and "Delete this upload?" in confirm.get_data(as_text=True)
    assert client.post(f"/provider/video-assets/{failed.id}/delete",
                       data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(VideoAsset, failed.id) is None and not source.exists()
    assert client.get(f"/provider/video-assets/{asset.id}/delete").status_code == 409
    assert client.post(f"/provider/video-assets/{asset.id}/delete",
                       data={"confirm": "yes"}).status_code == 409
    assert services.playable_asset(world.module).id == asset.id
