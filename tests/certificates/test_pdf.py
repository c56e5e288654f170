"""The PDF: rendered in the background after issuance, in the holder's language, with a QR
code that real decoders read as the verification URL; downloadable by its holder only."""
from __future__ import annotations

import subprocess

from lms.certificates import pdf, services
from lms.certificates.errors import NumberMistyped
from lms.extensions import db
from lms.media.storage import current_storage
from tests import factories
from tests import factories_certificates as fc


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _download(client, certificate):
    return client.get(f"/certificates/{certificate.number}/pdf")


def test_the_qr_code_in_the_generated_pdf_decodes_to_the_verification_url(app, client, auth,
                                                                          tmp_path):
    certificate = fc.certificate()
    auth.login(certificate.holder.email)
    response = _download(client, certificate)
    assert response.status_code == 200
    pdf_path = tmp_path / "downloaded.pdf"
    pdf_path.write_bytes(response.data)

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf_path),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(image)], check=True,
                             capture_output=True, text=True).stdout.strip()

    assert decoded == certificate.verify_url
    assert decoded.endswith(f"/verify/{certificate.number}")


def test_the_pdf_prints_every_certified_fact_in_the_holders_language(app, tmp_path, clock):
    provider = factories.provider(name="LPK Cahaya Digital")
    certificate = fc.certificate(course=factories.course(provider), now=clock.now(),
                                 name="Wayan Sudarsana", locale="id", timezone="Asia/Makassar",
                                 render=False)
    text = _text(pdf.render_pdf(certificate), tmp_path)
    for fact in ("Wayan Sudarsana", certificate.course_title, "LPK Cahaya Digital",
                 certificate.number, certificate.verify_url):
        assert fact in text
    # 02:00 UTC on 5 January is 10:00 WITA the same day, written the Indonesian way.
    assert "5 Januari 2026" in text
    assert "Certificate of Completion" in text  # the second language's heading

    certificate.locale = "en"
    assert "January 5, 2026" in _text(pdf.render_pdf(certificate), tmp_path)


def test_the_completion_date_is_the_holders_local_date(app, tmp_path, clock):
    clock.advance(17 * 3600)  # 19:00 UTC on 5 January = 02:00 WIT on 6 January in Jayapura
    certificate = fc.certificate(now=clock.now(), locale="en", timezone="Asia/Jayapura",
                                 render=False)
    assert "January 6, 2026" in _text(pdf.render_pdf(certificate), tmp_path)


def test_text_a_user_typed_cannot_inject_markup_or_fetch_anything(app, tmp_path):
    name = '<img src="file:///etc/passwd"> Ani & <b>Co</b>'
    certificate = fc.certificate(name=name, render=False)
    html = pdf.render_html(certificate)
    assert "<img src=\"file:" not in html and "&lt;img" in html
    assert name in _text(pdf.render_pdf(certificate), tmp_path).replace("\n", " ")


def test_only_the_holder_and_admins_may_download_it(app, client, auth):
    certificate = fc.certificate()
    other_staff = factories.staff(factories.provider())
    own_staff = factories.staff(certificate.enrollment.course.provider)

    assert _download(client, certificate).status_code == 302  # anonymous: sign in first
    for intruder in (factories.learner(), other_staff, own_staff):
        auth.login(intruder.email)
        response = _download(client, certificate)
        assert response.status_code == 403, intruder
        assert b"not_certificate_holder" in response.data
        auth.logout()
    for allowed in (certificate.holder, factories.admin()):
        auth.login(allowed.email)
        response = _download(client, certificate)
        assert response.status_code == 200
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
        assert f"{certificate.number}.pdf" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
        auth.logout()


def test_while_the_pdf_renders_the_holder_sees_it_is_being_prepared(app, client, auth,
                                                                     monkeypatch):
    monkeypatch.setattr(services, "store_pdf", lambda certificate_id: None)  # a slow worker
    certificate = fc.certificate()
    assert not certificate.pdf_ready
    auth.login(certificate.holder.email)

    response = _download(client, certificate)
    assert response.status_code == 202 and response.headers["Retry-After"] == "10"
    assert b'data-state="preparing"' in response.data
    page = client.get(f"/enrollments/{certificate.enrollment_id}/certificate?lang=en")
    assert b"being prepared" in page.data and b"download-pdf" not in page.data

    monkeypatch.undo()
    services.store_pdf(certificate.id)
    db.session.commit()
    assert _download(client, certificate).status_code == 200
    assert b"download-pdf" in client.get(
        f"/enrollments/{certificate.enrollment_id}/certificate").data


def test_a_pdf_lost_from_storage_is_prepared_again_by_the_cli(app, client, auth, runner):
    certificate = fc.certificate()
    current_storage().delete(certificate.pdf_key)
    auth.login(certificate.holder.email)
    assert _download(client, certificate).status_code == 202

    result = runner.invoke(args=["certificates", "render", certificate.number.lower()])
    assert result.exit_code == 0 and "queued 1" in result.output
    assert _download(client, certificate).status_code == 200


def test_the_cli_renders_every_missing_pdf(app, runner, monkeypatch):
    monkeypatch.setattr(services, "store_pdf", lambda certificate_id: None)
    made = [fc.certificate(), fc.certificate()]
    monkeypatch.undo()
    assert services.certificates_without_pdf() == [c.id for c in made]
    result = runner.invoke(args=["certificates", "render", "--missing"])
    assert result.exit_code == 0 and "queued 2" in result.output
    db.session.expire_all()
    assert services.certificates_without_pdf() == []
    bad = runner.invoke(args=["certificates", "render", "ALR-2026-0000-0000-1"])
    assert bad.exit_code == 1 and str(NumberMistyped().message) in bad.output


def test_the_holders_certificate_page_offers_the_pdf_and_verification(app, client, auth):
    certificate = fc.certificate()
    auth.login(certificate.holder.email)
    page = client.get(f"/enrollments/{certificate.enrollment_id}/certificate?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert certificate.number in html and 'id="download-pdf"' in html
    assert f"/certificates/{certificate.number}/pdf" in html
    assert f"/verify/{certificate.number}" in html
    assert 'id="rating-prompt"' in html
