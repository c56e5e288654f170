"""Completion review in real Chromium: a learner's real playback raises no flag and is
certified without anyone acting (the heartbeat timer's jitter is what the regularity check
relies on), and an admin walks from the queue through the timeline to a decision."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.catalog.models import ModuleKind
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.pacing.models import PacingEvidence, PlaybackSession
from lms.verification.models import Completion, CompletionStatus
from tests import factories, factories_certificates, factories_media
from tests.browser.conftest import browser_login
from tests.browser.test_player import LONG_CLIP

REGULAR_JITTER_SECONDS = 0.001


def _completion(live_server, user_id: int) -> Completion | None:
    with live_server.app.app_context():
        completion = db.session.scalar(select(Completion).where(Completion.user_id == user_id))
        if completion is not None:
            db.session.expunge(completion)
        return completion


@pytest.mark.browser
def test_a_real_chromium_session_raises_no_flag_and_is_certified(page: Page, live_server):
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course(kinds=(ModuleKind.VIDEO,))
        module = course.current_version.modules[0]
        factories_media.ready_video(module, seconds=LONG_CLIP, app=live_server.app)
        enrollment = factories.enrollment(learner, course)
        ids = {"user": learner.id, "enrollment": enrollment.id, "module": module.id,
               "email": learner.email}
    browser_login(page, live_server, ids["email"])
    page.goto(f"{live_server.url}/enrollments/{ids['enrollment']}/modules/{ids['module']}")
    expect(page.locator(".pc-play")).to_be_enabled()
    page.locator(".pc-play").click()
    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=LONG_CLIP * 1000 + 30_000)

    completion = _completion(live_server, ids["user"])
    assert completion is not None and completion.flags == [], completion and completion.flags
    assert completion.status == CompletionStatus.VERIFIED
    with live_server.app.app_context():
        assert db.session.scalar(select(Certificate.id)
                                 .where(Certificate.enrollment_id == ids["enrollment"]))
        session = db.session.scalar(select(PlaybackSession)
                                    .where(PlaybackSession.user_id == ids["user"]))
        assert session.device_id and session.device_id == page.evaluate(
            "localStorage.getItem('alur.device-id')")
        beats = db.session.scalars(select(PacingEvidence.at).where(
            PacingEvidence.session_id == session.id, PacingEvidence.kind == "heartbeat",
            PacingEvidence.active.is_(True)).order_by(PacingEvidence.id)).all()
    intervals = [(b - a).total_seconds() for a, b in zip(beats, beats[1:])]
    timer = [i for i in intervals if 9 < i < 11]  # the 10 s timer, not play or end reports
    assert len(timer) >= 3, intervals
    # A browser's timer is never exact to the millisecond over several reports.
    assert max(timer) - min(timer) > REGULAR_JITTER_SECONDS, intervals


@pytest.mark.browser
def test_an_admin_goes_from_the_queue_through_the_timeline_to_a_decision(page: Page,
                                                                          live_server):
    with live_server.app.app_context():
        admin = factories.admin()
        enrollment = factories_certificates.completed_without_certificate(
            learner=factories.learner(name="Budi Santoso"))
        completion = db.session.scalar(select(Completion)
                                       .where(Completion.enrollment_id == enrollment.id))
        completion.status = CompletionStatus.FLAGGED
        completion.flags = [{"code": "shared_device", "detail": "10 learners on one device",
                             "params": {"learners": 10, "kind": "device_id", "device": "d"}}]
        completion.flag_codes = "shared_device"
        db.session.commit()
        ids = {"completion": completion.id, "email": admin.email,
               "enrollment": enrollment.id}
    browser_login(page, live_server, ids["email"])
    page.goto(f"{live_server.url}/admin/users")
    expect(page.locator("#nav-completions [data-flagged]")).to_have_text("1")
    page.locator("#nav-completions").click()
    row = page.locator(f'tr[data-completion="{ids["completion"]}"]')
    expect(row).to_contain_text("One device used by many learners")
    row.get_by_role("link", name="Budi Santoso").click()
    expect(page.locator('[data-flag="shared_device"]')).to_contain_text(
        "10 different learners studied on this device within a day.")
    expect(page.locator("#completion")).to_have_attribute("data-status", "flagged")
    page.get_by_label("Reject: no certificate for this completion, ever").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".field .error").first).to_contain_text("Give the reason")
    page.get_by_label("Reject: no certificate for this completion, ever").check()
    page.locator("#reason").fill("The same phone studied for ten accounts.")
    page.locator("#confirm").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#completion")).to_have_attribute("data-status", "rejected")
    expect(page.locator(".decision")).to_contain_text("The same phone studied for ten accounts.")
    expect(page.locator("#decision")).to_have_count(0)
    with live_server.app.app_context():
        decided = db.session.get(Completion, ids["completion"])
        assert decided.status == CompletionStatus.REJECTED and decided.decided_by_id
        assert db.session.scalar(select(Certificate.id).where(
            Certificate.enrollment_id == ids["enrollment"])) is None
