"""Certificates in a real browser: the holder downloads their PDF, another learner is refused
it, and the QR code's address shows the certificate as valid to anyone."""
from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests import factories_certificates as fc
from tests.browser.conftest import browser_login


@pytest.mark.browser
def test_the_holder_downloads_the_pdf_and_another_learner_gets_403(page: Page, new_page,
                                                                    live_server, tmp_path):
    live_server.app.config["PUBLIC_BASE_URL"] = live_server.url
    with live_server.app.app_context():
        certificate = fc.certificate(name="Putri Ayu")
        holder_email, number = certificate.holder.email, certificate.number
        enrollment_id, verify_url = certificate.enrollment_id, certificate.verify_url
        other_email = factories.learner().email

    browser_login(page, live_server, holder_email)
    page.goto(f"{live_server.url}/enrollments/{enrollment_id}")
    page.locator("#certificate-panel a.primary").click()
    expect(page.locator(".cert-number").first).to_have_text(number)
    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    download = info.value
    assert download.suggested_filename == f"{number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(saved), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert number in text and "Putri Ayu" in text

    intruder = browser_login(new_page(), live_server, other_email)
    response = intruder.goto(f"{live_server.url}/certificates/{number}/pdf")
    assert response is not None and response.status == 403
    expect(intruder.locator(".error-page")).to_have_attribute("data-error",
                                                              "not_certificate_holder")

    # What an employer scanning the QR code sees, signed in or not.
    anyone = new_page()
    assert verify_url == f"{live_server.url}/verify/{number}"
    response = anyone.goto(verify_url)
    assert response is not None and response.status == 200
    expect(anyone.locator(".cert-status")).to_have_attribute("data-status", "valid")
    expect(anyone.locator('[data-field="holder_name"]')).to_have_text("Putri Ayu")
    assert anyone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
