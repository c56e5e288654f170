"""What the browser fixtures promise the engineers who write browser tests."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.extensions import db
from lms.learning.models import Enrollment
from tests import factories
from tests.browser.conftest import browser_login


@pytest.mark.browser
def test_a_test_may_use_the_app_fixture_and_the_live_server_together(app, page: Page,
                                                                     live_server):
    # Data made in the `app` fixture's context is served by the live server, and what the
    # browser does is visible back in that context; teardown must not deadlock on PostgreSQL.
    learner = factories.learner()
    course = factories.course()
    factories.code(course, text="BOTHFIXTURES")
    browser_login(page, live_server, learner.email)
    page.locator("#code").fill("BOTHFIXTURES")
    with page.expect_navigation():
        page.locator("form.redeem button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(course.title)
    db.session.rollback()  # end the snapshot taken before the browser wrote
    assert db.session.scalar(select(Enrollment.user_id)) == learner.id


@pytest.mark.browser
def test_live_server_forms_need_a_real_csrf_token(page: Page, live_server):
    with live_server.app.app_context():
        email = factories.learner().email
    response = page.request.post(live_server.url_for("accounts.login"),
                                 form={"email": email, "password": factories.PASSWORD},
                                 max_redirects=0)
    assert response.status == 400
    assert "/login" in page.goto(live_server.url_for("learning.dashboard")).url
