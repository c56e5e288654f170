"""seed-demo returns with every demo video playable (transcoded in the command itself), and
running it again makes no second upload or transcode."""
from __future__ import annotations

from pathlib import Path

from lms.catalog.models import Course
from lms.demo.seed import COURSE_SLUG
from lms.extensions import db
from lms.media.models import AssetStatus, VideoAsset


def test_seeding_twice_leaves_one_ready_transcoded_video_per_video_module(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = {a.id: a.attempts for a in db.session.query(VideoAsset)}
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    course = db.session.query(Course).filter_by(slug=COURSE_SLUG).one()
    videos = [m for m in course.current_version.modules if m.kind == "video"]
    assert len(videos) >= 3
    assets = db.session.query(VideoAsset).all()
    assert {a.id: a.attempts for a in assets} == first  # nothing new, nothing redone
    assert sorted(a.module_id for a in assets) == sorted(m.id for m in videos)
    root = Path(app.config["MEDIA_ROOT"])
    for module in videos:
        (asset,) = [a for a in assets if a.module_id == module.id]
        assert asset.status == AssetStatus.READY and asset.attempts == 1
        assert [r.name for r in asset.renditions] == ["240p"]  # DEMO_VIDEO_SIZE in the tests
        assert module.duration_seconds == asset.duration_seconds > 20
        assert (root / asset.hls_prefix / "master.m3u8").is_file()
        assert (root / asset.poster_key).is_file()
