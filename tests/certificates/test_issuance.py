"""Issuance: exactly one certificate per completed enrollment, whoever asks and however often,
with a snapshot of what was certified, and its PDF rendered only after the commit."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlalchemy import func, select

from lms.admin.models import AuditEntry
from lms.catalog.models import Module
from lms.certificates import numbers, services
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.verification import services as verification
from lms.learning import completion
from lms.learning.models import Enrollment
from tests import factories
from tests import factories_certificates as fc
from tests import factories_verification as fv
from tests.concurrency import race


def _count(enrollment_id: int | None = None) -> int:
    query = select(func.count(Certificate.id))
    if enrollment_id is not None:
        query = query.where(Certificate.enrollment_id == enrollment_id)
    return db.session.scalar(query)


def test_completing_the_course_issues_one_certificate_with_what_was_certified(app, clock):
    provider = factories.provider(name="LPK Maju Jaya")
    course = factories.course(provider)
    learner = factories.learner(name="Siti Rahayu", locale="en")
    enrollment = factories.enrollment(learner, course)

    fc.complete(enrollment, now=clock.now(), actor=learner)

    certificate = services.certificate_of(enrollment)
    assert certificate is not None
    assert numbers.parse(certificate.number) == certificate.number
    assert certificate.number.startswith(f"ALR-{clock.now().year}-")
    assert (certificate.holder_name, certificate.course_title, certificate.provider_name) == (
        "Siti Rahayu", course.title, "LPK Maju Jaya")
    assert certificate.hours == round(course.current_version.content_seconds / 3600, 2)
    assert certificate.completed_at == enrollment.completed_at == clock.now()
    assert certificate.status == "valid"
    assert certificate.verify_url == f"http://localhost:5000/verify/{certificate.number}"
    assert certificate.credential.count(".") == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))
    assert entry.actor_id == learner.id and entry.data["number"] == certificate.number
    # The PDF task ran after the commit (HUEY_IMMEDIATE) and could see the row.
    assert certificate.pdf_ready


def test_a_later_rename_does_not_change_an_issued_certificate(app, clock):
    certificate = fc.certificate(name="Budi Santoso")
    certificate.holder.name = "Someone Else"
    certificate.enrollment.course.title = "A Different Course"
    db.session.commit()
    again = services.find_by_number(certificate.number)
    assert again.holder_name == "Budi Santoso"
    assert again.course_title != "A Different Course"


def test_issuing_again_returns_the_same_certificate(app, clock):
    enrollment = fc.completed_enrollment()
    first = services.certificate_of(enrollment)
    assert services.issue_certificate(enrollment, clock.now()) is first
    assert services.request_certificate(enrollment.user, enrollment) is first
    db.session.commit()
    assert _count(enrollment.id) == 1


def test_the_api_answers_404_before_completion_and_the_certificate_after(app, client, clock):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course())
    headers = factories.api_token(learner)

    before = client.get(f"/api/v1/enrollments/{enrollment.id}/certificate", headers=headers)
    assert before.status_code == 404
    assert before.get_json()["error"] == "certificate_not_issued"
    early = client.post(f"/api/v1/enrollments/{enrollment.id}/certificate", headers=headers)
    assert early.status_code == 409 and early.get_json()["error"] == "not_completed"
    assert _count() == 0

    fc.complete(enrollment)
    after = client.get(f"/api/v1/enrollments/{enrollment.id}/certificate", headers=headers)
    assert after.status_code == 200
    body = after.get_json()
    assert {"number", "verify_url", "pdf_url", "credential"} <= body.keys()
    assert body["verify_url"].endswith(f"/verify/{body['number']}")
    assert body["pdf_url"] == f"http://localhost/certificates/{body['number']}/pdf"
    assert body["pdf_ready"] is True and body["status"] == "valid"


def test_another_learner_cannot_see_or_claim_the_certificate(app, client):
    enrollment = fc.completed_enrollment()
    intruder = factories.api_token(factories.learner())
    for method in (client.get, client.post):
        response = method(f"/api/v1/enrollments/{enrollment.id}/certificate", headers=intruder)
        assert response.status_code == 404
        assert response.get_json()["error"] == "enrollment_not_found"
    assert _count() == 1


def test_a_rolled_back_completion_leaves_no_certificate_and_renders_nothing(app, clock,
                                                                           monkeypatch):
    rendered = []
    monkeypatch.setattr(services, "store_pdf", lambda cid: rendered.append(cid))
    enrollment = factories.enrollment(factories.learner(), factories.course())
    fc.finish_all_but_last(enrollment)
    completion.mark_module_completed(enrollment, enrollment.version.modules[-1], clock.now())
    # The certificate now waits for the completion's check, queued only after the commit.
    assert verification.completion_of(enrollment.id) is not None  # visible inside it
    db.session.rollback()
    db.session.commit()  # a later commit must neither check nor render the forgotten one
    assert _count() == 0 and rendered == []
    assert verification.completion_of(enrollment.id) is None


def test_50_concurrent_requests_for_one_completed_enrollment_yield_one_certificate(app):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course())
    fc.finish_all_but_last(enrollment)
    # Completed without the signal, so every request below races to issue.
    enrollment.status, enrollment.completed_at = "completed", datetime.now(timezone.utc)
    fv.completion(enrollment)
    headers = factories.api_token(learner)
    url = f"/api/v1/enrollments/{enrollment.id}/certificate"
    barrier = threading.Barrier(50)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def hammer():
        client = app.test_client()
        barrier.wait()
        response = client.post(url, headers=headers)
        with lock:
            answers.append((response.status_code, (response.get_json() or {}).get("number")))

    threads = [threading.Thread(target=hammer) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert len(answers) == 50
    assert {status for status, _ in answers} == {200}, answers
    numbers_seen = {number for _, number in answers}
    assert len(numbers_seen) == 1
    db.session.commit()  # end this session's snapshot to see what the threads committed
    assert _count(enrollment.id) == 1
    certificate = services.certificate_of(enrollment)
    assert certificate.number in numbers_seen and certificate.pdf_ready
    issued = db.session.scalar(select(func.count(AuditEntry.id))
                               .where(AuditEntry.action == "certificate.issued"))
    assert issued == 1


def test_a_learner_whose_certificate_was_not_issued_can_ask_for_it(app, client, auth):
    enrollment = fc.completed_without_certificate()
    auth.login(enrollment.user.email)
    outline = client.get(f"/enrollments/{enrollment.id}?lang=en").get_data(as_text=True)
    assert "Get your certificate" in outline
    page = client.get(f"/enrollments/{enrollment.id}/certificate?lang=en")
    assert b"has not been issued yet" in page.data

    response = client.post(f"/enrollments/{enrollment.id}/certificate")
    assert response.status_code == 302
    certificate = services.certificate_of(enrollment)
    assert certificate is not None and certificate.pdf_ready
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert certificate.number in page and 'id="download-pdf"' in page
    assert client.post(f"/enrollments/{enrollment.id}/certificate").status_code == 302
    assert _count(enrollment.id) == 1


def test_an_unfinished_course_offers_no_certificate(app, client, auth):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course())
    auth.login(learner.email)
    page = client.get(f"/enrollments/{enrollment.id}/certificate?lang=en")
    assert page.status_code == 200 and b"Complete every required module" in page.data
    refused = client.post(f"/enrollments/{enrollment.id}/certificate?lang=en")
    assert refused.status_code == 409 and b"not completed" in refused.data
    assert _count() == 0


def test_50_concurrent_completions_of_the_last_module_yield_one_certificate(app, clock):
    enrollment = factories.enrollment(factories.learner(), factories.course())
    fc.finish_all_but_last(enrollment)
    enrollment_id, last_id = enrollment.id, enrollment.version.modules[-1].id
    now = clock.now()

    def complete_last_module():
        racing = db.session.get(Enrollment, enrollment_id)
        completion.mark_module_completed(racing, db.session.get(Module, last_id), now)

    answers = race(app, [complete_last_module] * 50)

    assert answers == ["ok"] * 50, answers
    assert _count(enrollment_id) == 1
    assert services.certificate_of(db.session.get(Enrollment, enrollment_id)).pdf_ready
