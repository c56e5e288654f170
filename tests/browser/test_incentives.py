"""The learner's incentive status in a real browser (Indonesian, the default language): asked
to rate, rating through the form, then told they qualify; the admin's CSV export shows its
progress in the page."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import browser_login
from tests.incentives.helpers import completed


@pytest.mark.browser
@pytest.mark.parametrize("browser_locale", ["id-ID"])
def test_the_learner_reads_their_incentive_status_and_rates_to_qualify(page: Page, new_page,
                                                                        live_server,
                                                                        browser_locale):
    with live_server.app.app_context():
        learner = factories.learner()
        enrollment, _ = completed(learner)
        email, enrollment_id = learner.email, enrollment.id
        admin_email = factories.admin().email

    browser_login(page, live_server, email)
    page.goto(f"{live_server.url}/dashboard")
    status = page.locator("[data-incentive]")
    expect(status).to_have_attribute("data-incentive", "pending_rating")
    expect(status).to_contain_text("Beri rating untuk memenuhi syarat insentif")

    status.locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/enrollments/{enrollment_id}/rating")
    page.locator(".star-choice input[value='5']").check()
    page.locator("#review").fill("Materinya jelas dan sangat berguna.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    page.goto(f"{live_server.url}/dashboard")
    expect(page.locator("[data-incentive]")).to_have_attribute("data-incentive", "eligible")
    expect(page.locator("[data-incentive]")).to_contain_text("Memenuhi syarat")

    admin = browser_login(new_page(), live_server, admin_email)
    admin.goto(f"{live_server.url}/admin/eligibility/")
    expect(admin.locator("[data-count='eligible'] strong")).to_have_text("1")
    admin.locator("#export-link").click()
    expect(admin.locator("#export")).to_have_attribute("data-done", "true")
    expect(admin.locator("#export-status")).to_contain_text("1 / 1")
