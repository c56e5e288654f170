"""The foundation in a real browser: sign-up, sign-in, redeeming, the outline, the sequence
gate on a direct URL, language switching, signing out with CSRF, and phone layouts."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sqlalchemy import select

from lms.accounts.models import User
from lms.extensions import db
from lms.learning.models import CodeState
from tests import factories
from tests.browser.conftest import browser_login


def _no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_learner_redeems_a_code_and_a_locked_module_stays_locked_by_direct_url(
        page: Page, live_server):
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course()
        factories.code(course, text="ABCD2345EFGH")
        modules = course.current_version.modules
        first_id, first_title, second_id = modules[0].id, modules[0].title, modules[1].id
        module_count, email = len(modules), learner.email

    browser_login(page, live_server, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    # Typed the way people copy codes off a phone screen: lower case, with a dash and a space.
    page.locator("#code").fill("abcd-2345 efgh")
    with page.expect_navigation():
        page.locator("form.redeem button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/enrollments/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()
    items = page.locator(".outline-item")
    expect(items).to_have_count(module_count)
    expect(page.locator(f'.outline-item[data-module="{first_id}"]')).to_have_attribute(
        "data-status", "available")
    expect(page.locator(f'.outline-item[data-module="{second_id}"]')).to_have_attribute(
        "data-status", "locked")
    # A locked module is not even offered as a link.
    expect(page.locator(f'.outline-item[data-module="{second_id}"] a')).to_have_count(0)

    locked_url = f"{page.url}/modules/{second_id}"
    response = page.goto(locked_url)
    assert response is not None and response.status == 403
    expect(page.locator(".error-page")).to_have_attribute("data-error", "module_locked")
    expect(page.locator(".error-page")).to_contain_text(f"Finish “{first_title}” first")
    go_to_first = page.locator(".error-page a.primary")
    expect(go_to_first).to_have_attribute("href", re.compile(rf"/modules/{first_id}$"))


@pytest.mark.browser
def test_a_refused_code_is_explained_next_to_the_field_in_the_chosen_language(
        page: Page, live_server):
    with live_server.app.app_context():
        email = factories.learner().email
        factories.code(factories.course(), text="USEDCODE0001", state=CodeState.USED)

    browser_login(page, live_server, email)
    code_field = page.locator("#code")
    code_error = page.locator(".field.has-error #code-error")

    def submit_used_code() -> None:
        code_field.fill("USEDCODE0001")
        with page.expect_navigation() as navigation:
            page.locator("form.redeem button[type=submit]").click()
        assert navigation.value.status == 422

    def switch_language(code: str) -> None:
        # Also from the page a refused POST left behind: the switch must land on a page,
        # never on an error.
        with page.expect_navigation() as navigation:
            page.locator(f"header .langs button[lang={code}]").click()
        assert navigation.value.status == 200, page.url
        expect(page.locator("html")).to_have_attribute("lang", code)

    switch_language("id")
    submit_used_code()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(code_error).to_be_visible()
    expect(code_field).to_have_attribute("aria-describedby", "code-error")
    # The msgstr of "This code has already been used." in translations/id.
    expect(code_error).to_have_text("Kode ini sudah pernah digunakan.")
    expect(page.locator("main")).not_to_contain_text("This code has already been used.")

    switch_language("en")
    page.goto("/dashboard")
    submit_used_code()
    expect(code_error).to_have_text("This code has already been used.")
    expect(code_field).to_have_value("USEDCODE0001")


@pytest.mark.browser
def test_signup_with_mismatched_passwords_shows_the_error_and_keeps_name_and_email(
        page: Page, live_server):
    page.goto("/signup")
    page.locator("#name").fill("Siti Rahmawati")
    page.locator("#email").fill("siti@example.test")
    page.locator("#password").fill("rahasia-sekali-1")
    page.locator("#confirm").fill("rahasia-sekali-2")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()

    assert navigation.value.status == 422
    expect(page.locator("#confirm-error")).to_have_text("The two passwords differ.")
    expect(page.locator("#name")).to_have_value("Siti Rahmawati")
    expect(page.locator("#email")).to_have_value("siti@example.test")
    # Passwords are never echoed back into the page.
    expect(page.locator("#password")).to_have_value("")
    with live_server.app.app_context():
        assert db.session.scalar(select(User).where(User.email == "siti@example.test")) is None


@pytest.mark.browser
def test_signing_out_is_a_csrf_protected_post_and_ends_the_session(page: Page, live_server):
    with live_server.app.app_context():
        email = factories.learner().email
    browser_login(page, live_server, email)

    # A forged sign-out (no token, as another site would send it) is refused.
    forged = page.request.post(live_server.url + "/logout", max_redirects=0)
    assert forged.status == 400
    assert page.goto("/dashboard").url.endswith("/dashboard")

    with page.expect_request(lambda r: r.url.endswith("/logout")) as sign_out:
        page.locator("header form[action$=\"/logout\"] button[type=submit]").click()
    page.wait_for_load_state()
    assert sign_out.value.method == "POST"
    assert re.search(r"(^|&)csrf_token=[^&]+", sign_out.value.post_data or "")

    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)dashboard$"))
    expect(page.locator("#email")).to_be_visible()


@pytest.mark.browser
def test_pages_fit_a_phone_screen_without_horizontal_scrolling(page: Page, live_server):
    with live_server.app.app_context():
        learner = factories.learner(name="Bapak Muhammad Rizky Pratama Nugroho")
        course = factories.course()
        # Realistic long titles, as providers write them, must wrap rather than widen the page.
        course.title = ("Pelatihan Pemasaran Digital untuk Usaha Mikro, Kecil, dan Menengah "
                        "(UMKM) melalui Media Sosial dan Lokapasar")
        course.current_version.modules[0].title = (
            "Menyusun Strategi Konten Instagram, TikTok, dan WhatsApp Business untuk Pemula")
        db.session.commit()
        enrollment = factories.enrollment(learner, course)
        outline_path, email = f"/enrollments/{enrollment.id}", learner.email

    for path in ("/login", "/signup"):
        page.goto(path)
        assert _no_horizontal_scroll(page), path
    browser_login(page, live_server, email)
    for path in ("/dashboard", outline_path):
        page.goto(path)
        assert _no_horizontal_scroll(page), path
    expect(page.locator(".outline-item").first).to_be_visible()
