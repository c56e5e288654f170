"""The transcode job: the ladder it records, progress, retries with growing delays, failure
with the reason, cancellation, idempotence, and the sweep that rescues stalled jobs."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete

from lms.extensions import db
from lms.media import processing, services, tasks
from lms.media.models import AssetStatus, VideoAsset
from lms.media.transcode import TranscodeFailed
from tests.media.conftest import assets, stored_files


def uploaded(world, path) -> VideoAsset:
    with path.open("rb") as handle:
        asset = services.receive_upload(world.staff, world.module, path.name, handle, queue=False)
    db.session.commit()
    return asset


def fresh(asset_id: int) -> VideoAsset | None:
    db.session.commit()  # end the read snapshot: jobs commit in their own sessions
    return db.session.get(VideoAsset, asset_id)


def hls_files(media_root, asset_id) -> set[str]:
    base = media_root / "hls" / str(asset_id)
    return {p.relative_to(base).as_posix() for p in stored_files(base)}


@pytest.fixture
def failing_transcoder(monkeypatch):
    def fail(*args, **kwargs):
        raise TranscodeFailed("ffmpeg failed: Invalid data found when processing input")
    monkeypatch.setattr(processing, "transcode_to_hls", fail)


def test_a_640x480_source_gets_480_360_240_and_nothing_larger(world, clips, media_root,
                                                             monkeypatch):
    asset = uploaded(world, clips["vga"])
    seen = []
    original = processing.record_progress

    def spy(claimed, percent):
        seen.append(percent)
        return original(claimed, percent)
    monkeypatch.setattr(processing, "record_progress", spy)
    monkeypatch.setattr(tasks, "PROGRESS_INTERVAL_SECONDS", 0.0)
    assert tasks.run_transcode(asset.id) == "ready"
    # Progress was stored in steps during the run and never went back.
    assert seen and seen == sorted(seen) and all(0 < p <= 90 for p in seen)
    asset = fresh(asset.id)
    assert asset.progress_percent == 100
    assert [(r.name, r.width, r.height) for r in asset.renditions] == [
        ("480p", 640, 480), ("360p", 480, 360), ("240p", 320, 240)]
    assert all(r.bandwidth > 0 and r.codecs.startswith("avc1.") and r.codecs.endswith("mp4a.40.2")
               for r in asset.renditions)
    assert asset.ready_at is not None and asset.attempts == 1 and asset.error_code is None
    assert world.module.duration_seconds == pytest.approx(2.0, abs=0.1)
    master = (media_root / "hls" / str(asset.id) / "master.m3u8").read_text()
    assert master.count("#EXT-X-STREAM-INF") == 3 and 'CODECS="avc1.' in master
    assert {"master.m3u8", "poster.jpg", "480p/index.m3u8", "240p/seg_00000.ts"} <= \
        hls_files(media_root, asset.id)


def test_running_the_job_twice_changes_nothing_the_second_time(world, clips):
    asset = uploaded(world, clips["good"])
    assert tasks.run_transcode(asset.id) == "ready"
    assert tasks.run_transcode(asset.id) == "skipped"
    asset = fresh(asset.id)
    assert asset.attempts == 1 and [r.name for r in asset.renditions] == ["240p"]


def test_a_failed_attempt_waits_for_its_retry_then_fails_with_the_reason(
        world, clips, media_root, failing_transcoder, client, auth):
    asset = uploaded(world, clips["good"])
    with pytest.raises(tasks.RetryLater):
        tasks.run_transcode(asset.id, final_attempt=False)
    waiting = fresh(asset.id)
    assert waiting.status == AssetStatus.UPLOADED and waiting.error_code == "transcode_failed"
    auth.login(world.staff.email)
    assert client.get(f"/api/v1/video-assets/{asset.id}").get_json()["retrying"] is True

    assert tasks.run_transcode(asset.id, final_attempt=True) == "failed"
    failed = fresh(asset.id)
    assert failed.status == AssetStatus.FAILED and failed.attempts == 2
    assert "Invalid data found" in failed.error_message
    assert hls_files(media_root, asset.id) == set()
    assert (media_root / failed.source_key).is_file()  # kept, so "Try again" can work
    page = client.get(f"/provider/modules/{world.module.id}/video").get_data(as_text=True)
    assert "The video could not be converted." in page and "Try again" in page


def test_try_again_after_a_failure_queues_the_job_once_more(world, clips, client, auth,
                                                            monkeypatch):
    asset = uploaded(world, clips["good"])
    with monkeypatch.context() as patch:
        patch.setattr(processing, "transcode_to_hls",
                      lambda *a, **k: (_ for _ in ()).throw(TranscodeFailed("boom")))
        assert tasks.run_transcode(asset.id) == "failed"
    auth.login(world.other_staff.email)
    assert client.post(f"/provider/video-assets/{asset.id}/retry").status_code == 404
    auth.logout()
    auth.login(world.staff.email)
    response = client.post(f"/provider/video-assets/{asset.id}/retry")
    assert response.status_code == 302
    assert fresh(asset.id).status == AssetStatus.READY  # the test queue runs jobs at once
    assert client.post(f"/provider/video-assets/{asset.id}/retry").status_code == 409


def test_retries_wait_longer_each_time(world, clips, failing_transcoder, app):
    asset = uploaded(world, clips["good"])
    delays = []
    for retries_left in (3, 2, 1):
        task = SimpleNamespace(retries=retries_left, retry_delay=0)
        with pytest.raises(tasks.RetryLater):
            tasks.transcode_video.call_local(asset.id, task=task)
        delays.append(task.retry_delay)
    assert delays == [30, 60, 120]
    last = SimpleNamespace(retries=0, retry_delay=0)
    assert tasks.transcode_video.call_local(asset.id, task=last) == "failed"
    assert fresh(asset.id).status == AssetStatus.FAILED


@pytest.mark.parametrize("damage, code", [("garbage", "not_media"), ("missing", "source_missing")])
def test_an_unreadable_source_fails_at_once_without_retries(world, clips, media_root, damage,
                                                            code):
    asset = uploaded(world, clips["good"])
    source = media_root / asset.source_key
    if damage == "missing":
        source.unlink()
    else:
        source.write_text("not a video any more")
    assert tasks.run_transcode(asset.id, final_attempt=False) == "failed"
    failed = fresh(asset.id)
    assert failed.status == AssetStatus.FAILED and failed.error_code == code


def test_deleting_an_upload_while_it_converts_stops_the_job_and_its_files(world, clips,
                                                                          media_root,
                                                                          monkeypatch):
    asset_id = uploaded(world, clips["vga"]).id
    original = processing.record_progress

    def delete_first(claimed, percent):
        db.session.execute(delete(VideoAsset).where(VideoAsset.id == claimed.asset_id))
        return original(claimed, percent)
    monkeypatch.setattr(processing, "record_progress", delete_first)
    monkeypatch.setattr(tasks, "PROGRESS_INTERVAL_SECONDS", 0.0)
    assert tasks.run_transcode(asset_id) == "cancelled"
    assert fresh(asset_id) is None
    assert hls_files(media_root, asset_id) == set()


def test_a_job_abandoned_by_a_dead_worker_is_taken_over_after_the_stall_time(world, clips,
                                                                             clock):
    asset = uploaded(world, clips["good"])
    assert processing.claim(asset.id) is not None  # a worker claimed it, then died
    db.session.commit()
    assert tasks.run_transcode(asset.id) == "skipped"  # still looks alive
    clock.advance(21 * 60)
    assert tasks.run_transcode(asset.id) == "ready"
    assert fresh(asset.id).attempts == 2


def test_the_sweep_requeues_stalled_jobs_and_drops_abandoned_direct_uploads(world, clips,
                                                                            clock):
    stuck = uploaded(world, clips["good"])  # queued, but the queue lost it
    abandoned = VideoAsset(module=world.module, status=AssetStatus.AWAITING_UPLOAD,
                           original_filename="never.mp4", source_key="sources/999/never.mp4")
    db.session.add(abandoned)
    db.session.commit()
    abandoned_id = abandoned.id
    tasks.sweep_videos.call_local()
    assert fresh(stuck.id).status == AssetStatus.UPLOADED  # too early to call it stalled
    clock.advance(timedelta(days=1, minutes=1).total_seconds())
    tasks.sweep_videos.call_local()
    assert fresh(stuck.id).status == AssetStatus.READY  # requeued and run (immediate queue)
    assert fresh(abandoned_id) is None
    assert [a.id for a in assets()] == [stuck.id]
