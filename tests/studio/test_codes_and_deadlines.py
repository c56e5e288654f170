"""Codes made in the studio: a batch, its CSV, cancelling a code or the purchase behind it
(redeeming then gives code_cancelled / transaction_cancelled); deadlines shown to learners."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.clock import utcnow
from lms.extensions import db
from lms.learning.models import RedeemCode
from tests import factories


def test_staff_generate_download_and_cancel_codes(client, auth):
    course = factories.course()
    course.finish_within_days = 10
    db.session.commit()
    staff = factories.staff(course.provider)
    auth.login(staff.email)
    page = client.post(f"/provider/courses/{course.id}/codes", data={"count": "3"})
    assert page.status_code == 200 and "3 new codes were generated" in page.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(
        client.get(f"/provider/courses/{course.id}/codes.csv").get_data(as_text=True))))
    assert rows[0] == ["code", "course_slug", "state", "created_at", "used_at"]
    assert len(rows) == 4 and {r[2] for r in rows[1:]} == {"fresh"}
    first, second, third = db.session.scalars(select(RedeemCode).order_by(RedeemCode.id))
    assert client.post(f"/provider/codes/{first.id}/cancel",
                       data={"confirm": "yes"}).status_code == 302
    assert client.post(f"/provider/codes/{second.id}/cancel-transaction",
                       data={"confirm": "yes"}).status_code == 302
    assert {"code.cancelled", "code.transaction_cancelled"} <= set(
        db.session.scalars(select(AuditEntry.action)))
    auth.logout()
    learner = factories.learner()
    headers = factories.api_token(learner)
    answer = client.post("/api/v1/enrollments", json={"code": first.code}, headers=headers)
    assert answer.status_code == 409 and answer.json["error"] == "code_cancelled"
    answer = client.post("/api/v1/enrollments", json={"code": second.code}, headers=headers)
    assert answer.status_code == 409 and answer.json["error"] == "transaction_cancelled"
    answer = client.post("/api/v1/enrollments", json={"code": third.code}, headers=headers)
    assert answer.status_code == 201
    auth.login(learner.email)
    outline = client.get(f"/enrollments/{answer.json['enrollment_id']}").get_data(as_text=True)
    assert "10 days left" in outline


def test_codes_only_for_a_published_course_and_only_by_its_staff(client, auth):
    draft = factories.course(published=False)
    auth.login(factories.staff(draft.provider).email)
    answer = client.post(f"/provider/courses/{draft.id}/codes", data={"count": "2"})
    assert answer.status_code == 409
    assert db.session.scalar(select(RedeemCode.id)) is None


def test_an_expired_enrollment_says_so(client, auth):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course(),
                                      finish_by=utcnow() - timedelta(hours=1))
    auth.login(learner.email)
    page = client.get(f"/enrollments/{enrollment.id}").get_data(as_text=True)
    assert 'data-deadline="expired"' in page and "has passed" in page
    assert 'data-deadline="expired"' in client.get("/dashboard").get_data(as_text=True)


def test_analytics_counts_enrollments_and_the_funnel(client, auth):
    course = factories.course()
    for n in range(3):
        enrollment = factories.enrollment(factories.learner(), course)
        if n < 2:
            progress = factories.complete_module(enrollment, 1)
            progress.wall_seconds = 66 + n
            db.session.commit()
    auth.login(factories.staff(course.provider).email)
    page = client.get(f"/provider/courses/{course.id}/analytics").get_data(as_text=True)
    assert '<dd data-fact="enrollments">3</dd>' in page
    rows = list(csv.reader(io.StringIO(client.get(
        f"/provider/courses/{course.id}/analytics.csv").get_data(as_text=True))))
    assert rows[1][:5] == ["1", course.current_version.modules[0].title, "video", "2", "2"]
    assert rows[1][5] == "65"  # the median in 10 s buckets: 66 and 67 s lie in 60–70
