"""Public verification (page and JSON) shows every certified field and the live status; an
admin's revocation, with its reason, shows on the very next request."""
from __future__ import annotations

from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.certificates import numbers
from lms.extensions import db
from tests import factories
from tests import factories_certificates as fc

CONTRACT_FIELDS = {"number", "status", "holder_name", "course_title", "provider_name", "hours",
                   "completed_at", "revoked_at", "revocation_reason", "credential"}


def _mistype(number: str) -> str:
    """The same number with one character of its body replaced by another."""
    position = len("ALR-2026-")
    wrong = "X" if number[position] != "X" else "Y"
    return number[:position] + wrong + number[position + 1:]


def test_anyone_sees_every_field_and_the_status_on_the_page_and_in_json(app, client, clock):
    certificate = fc.certificate(name="Rina Kurniawati", locale="id", now=clock.now(),
                                 render=False)

    page = client.get(f"/verify/{certificate.number}?lang=en")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    for fact in ("Rina Kurniawati", certificate.course_title, certificate.provider_name,
                 certificate.number, "January 5, 2026"):
        assert fact in html
    assert 'data-status="valid"' in html and f'data-field="hours">{certificate.hours}' in html

    response = client.get(f"/api/v1/certificates/{certificate.number}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert CONTRACT_FIELDS <= body.keys()
    assert body["status"] == "valid" and body["revoked_at"] is None
    assert (body["holder_name"], body["course_title"], body["provider_name"], body["hours"]) == (
        "Rina Kurniawati", certificate.course_title, certificate.provider_name,
        certificate.hours)
    assert body["completed_at"].endswith("Z")
    assert body["credential"] == certificate.credential


def test_unknown_and_mistyped_numbers_are_404_and_the_page_says_which(app, client):
    certificate = fc.certificate(render=False)
    unknown = numbers.generate(2026)
    mistyped = _mistype(certificate.number)

    response = client.get(f"/api/v1/certificates/{unknown}")
    assert response.status_code == 404 and response.get_json()["error"] == "certificate_not_found"
    response = client.get(f"/api/v1/certificates/{mistyped}")
    assert response.status_code == 404 and response.get_json()["error"] == "number_mistyped"
    assert set(response.get_json()) == {"error", "message"}

    page = client.get(f"/verify/{mistyped}?lang=en")
    assert page.status_code == 404 and b"looks mistyped" in page.data
    page = client.get(f"/verify/{unknown}?lang=en")
    assert page.status_code == 404 and b"There is no certificate with this number" in page.data
    for junk in ("hello", "ALR-", "<script>alert(1)</script>", "A" * 300):
        assert client.get(f"/api/v1/certificates/{junk}").status_code == 404
        assert client.get("/verify", query_string={"number": junk}).status_code == 404


def test_a_number_typed_loosely_still_verifies(app, client):
    certificate = fc.certificate(render=False)
    number = certificate.number
    for text in (number.lower(), number.replace("-", ""), f"  {number.replace('-', ' ')}  "):
        response = client.get("/verify", query_string={"number": text})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/verify/{number}")
        assert client.get(f"/api/v1/certificates/{text.strip()}").get_json()["number"] == number
    assert client.get(f"/verify/{number.lower()}").status_code == 301


def test_look_alike_characters_are_read_as_the_digits_they_resemble(app, client):
    number = numbers.format_number(2026, "10A0B1C0")
    assert numbers.parse(number.replace("1", "I").replace("0", "O").replace("ALR", "alr")) \
        == number
    assert numbers.parse(number.replace("1", "l")) == number


def test_a_revocation_shows_on_the_next_request_to_the_page_and_the_json(app, client, auth):
    certificate = fc.certificate(render=False)
    admin = factories.admin()
    assert client.get(f"/api/v1/certificates/{certificate.number}").get_json()["status"] == "valid"

    auth.login(admin.email)
    response = client.post(f"/admin/certificates/{certificate.number}/revoke",
                           data={"reason": "Completion evidence was fabricated.",
                                 "confirm": "y"})
    assert response.status_code == 302
    auth.logout()

    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert body["status"] == "revoked"
    assert body["revocation_reason"] == "Completion evidence was fabricated."
    assert body["revoked_at"].endswith("Z")
    page = client.get(f"/verify/{certificate.number}?lang=en").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "Completion evidence was fabricated." in page
    assert 'data-status="valid"' not in page

    db.session.expire_all()
    assert certificate.revoked_by_id == admin.id and certificate.revoked_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoked"))
    assert entry.actor_id == admin.id
    assert entry.data == {"number": certificate.number,
                          "reason": "Completion evidence was fabricated."}
    # The holder can no longer download it as if it were valid.
    auth.login(certificate.holder.email)
    gone = client.get(f"/certificates/{certificate.number}/pdf")
    assert gone.status_code == 410 and b"certificate_revoked" in gone.data


def test_revoking_needs_an_admin_a_reason_and_a_confirmation(app, client, auth):
    certificate = fc.certificate(render=False)
    url = f"/admin/certificates/{certificate.number}/revoke?lang=en"
    staff = factories.staff(certificate.enrollment.course.provider)
    auth.login(staff.email)
    assert client.post(url, data={"reason": "Because I can.", "confirm": "y"}).status_code == 403
    auth.logout()

    auth.login(factories.admin().email)
    no_confirm = client.post(url, data={"reason": "Fabricated evidence."})
    assert no_confirm.status_code == 422 and b"Tick the box" in no_confirm.data
    no_reason = client.post(url, data={"reason": "   ", "confirm": "y"})
    assert no_reason.status_code == 422
    assert client.get(f"/api/v1/certificates/{certificate.number}").get_json()["status"] \
        == "valid"

    assert client.post(url, data={"reason": "Fabricated evidence.", "confirm": "y"}) \
        .status_code == 302
    again = client.post(url, data={"reason": "A second reason.", "confirm": "y"})
    assert again.status_code == 409
    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert body["revocation_reason"] == "Fabricated evidence."


def test_the_admin_list_finds_certificates_by_number_holder_and_status(app, client, auth):
    kept = fc.certificate(name="Agus Salim", render=False)
    revoked = fc.certificate(name="Bambang Pamungkas", render=False)
    admin = factories.admin()
    auth.login(admin.email)
    client.post(f"/admin/certificates/{revoked.number}/revoke",
                data={"reason": "Duplicate account.", "confirm": "y"})

    def listed(**query) -> str:
        response = client.get("/admin/certificates/", query_string=query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert kept.number in listed() and revoked.number in listed()
    assert kept.number in listed(q="agus") and revoked.number not in listed(q="agus")
    assert kept.number in listed(q=kept.number[9:13].lower())
    only_revoked = listed(status="revoked")
    assert revoked.number in only_revoked and kept.number not in only_revoked
    assert "No certificate matches" in listed(q="nobody-has-this-name", lang="en")
    detail = client.get(f"/admin/certificates/{revoked.number}?lang=en").get_data(as_text=True)
    assert admin.email in detail and "Duplicate account." in detail


def test_a_holder_name_with_markup_is_shown_as_text(app, client):
    certificate = fc.certificate(name='<script>alert("x")</script>', render=False)
    html = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
