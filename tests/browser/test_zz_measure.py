import json, time
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from lms.extensions import db
from lms.pacing.models import PacingEvidence
from tests.browser.test_player import _course, _open_player, LONG_CLIP

@pytest.mark.browser
def test_measure(page, live_server):
    course = _course(live_server, seconds=LONG_CLIP)
    _open_player(page, live_server, course)
    page.locator(".pc-play").click()
    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=LONG_CLIP * 1000 + 30_000)
    with live_server.app.app_context():
        rows = db.session.scalars(select(PacingEvidence).order_by(PacingEvidence.id)).all()
        out = [(r.kind, r.at.isoformat(), r.position, r.active, r.seq, r.segment_index, r.outcome) for r in rows]
    open("/tmp/verif/measure.json", "a").write(json.dumps(out) + "\n")
