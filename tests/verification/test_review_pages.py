"""The admin's pages: the queue with its counts and filters, the evidence timeline of one
completion, and the decision form; the learner's outline and dashboard say where their
completion stands."""
from __future__ import annotations

from sqlalchemy import select

from lms.verification.models import Completion, CompletionStatus
from lms.extensions import db
from tests import factories
from tests import factories_certificates as fc
from tests.verification.conftest import completion_for, enrolled_player, watch_to_end

FLAG = {"code": "rapid_answers", "detail": "“Post-test”: 5 questions answered in 2 s",
        "params": {"title": "Post-test", "questions": 5, "seconds": 2}}


def _flag(enrollment, flag=FLAG) -> Completion:
    row = db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id))
    row.status, row.flags, row.flag_codes = CompletionStatus.FLAGGED, [flag], flag["code"]
    db.session.commit()
    return row


def _admin_client(app, auth):
    admin = factories.admin()
    auth.login(admin.email)
    return admin


def test_the_queue_lists_flagged_completions_with_counts_and_filters(app, client, auth):
    flagged = _flag(fc.completed_without_certificate())
    other = fc.completed_without_certificate()
    _admin_client(app, auth)
    page = client.get("/admin/completions/").get_data(as_text=True)
    assert f'data-completion="{flagged.id}"' in page
    assert f'data-completion="{db.session.scalar(select(Completion.id).where(Completion.enrollment_id == other.id))}"' not in page
    assert "Quiz answered faster than it can be read" in page
    assert 'data-count="flagged"' in page and 'data-flagged="1"' in page
    by_flag = client.get("/admin/completions/?flag=shared_device").get_data(as_text=True)
    assert "No completion matches these filters." in by_flag
    by_course = client.get(f"/admin/completions/?course={flagged.course_id}")
    assert f'data-completion="{flagged.id}"' in by_course.get_data(as_text=True)
    odd = client.get("/admin/completions/?status=nonsense&provider=abc")
    assert odd.status_code == 200


def test_an_empty_queue_says_so(app, client, auth):
    _admin_client(app, auth)
    page = client.get("/admin/completions/").get_data(as_text=True)
    assert "Nothing to review here." in page


def test_the_timeline_draws_each_session_and_explains_the_flags(app, client, auth, clock,
                                                                 video_course):
    player = enrolled_player(app, clock, video_course, device_id="laptop-0000-1234")
    watch_to_end(player, clock)
    completion = completion_for(player.learner)
    _admin_client(app, auth)
    page = client.get(f"/admin/completions/{completion.id}").get_data(as_text=True)
    assert "<svg" in page and "<polyline" in page and 'class="segments"' in page
    assert "No check raised a flag." in page
    assert "laptop-0000-1234" in page
    row = _flag(completion.enrollment)
    flagged = client.get(f"/admin/completions/{row.id}").get_data(as_text=True)
    assert "“Post-test”: 5 questions answered in 2 s." in flagged
    assert 'id="decision"' in flagged
    indonesian = client.get(f"/admin/completions/{row.id}?lang=id").get_data(as_text=True)
    assert "Linimasa bukti" in indonesian


def test_the_decision_form_wants_a_reason_and_a_confirmation(app, client, auth):
    enrollment = fc.completed_without_certificate()
    row = _flag(enrollment)
    _admin_client(app, auth)
    url = f"/admin/completions/{row.id}/decision"
    missing = client.post(url, data={"decision": "verified", "reason": ""})
    assert missing.status_code == 422
    assert "Give the reason for the decision." in missing.get_data(as_text=True)
    unconfirmed = client.post(url, data={"decision": "verified", "reason": "Looks fine."})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.get_data(as_text=True)
    done = client.post(url, data={"decision": "verified", "reason": "Looked at the timeline.",
                                  "confirm": "y"})
    assert done.status_code == 302
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Looked at the timeline." in after and 'id="decision"' not in after
    assert completion_for(enrollment.user).status == CompletionStatus.VERIFIED


def test_the_learner_sees_where_the_completion_stands(app, client, auth):
    enrollment = fc.completed_without_certificate()
    row = _flag(enrollment)
    auth.login(enrollment.user.email)
    outline = client.get(f"/enrollments/{enrollment.id}").get_data(as_text=True)
    assert "under review by the programme" in outline
    assert "Get your certificate" not in outline
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-completion-status="flagged"' in dashboard
    row.status, row.decision_reason = CompletionStatus.REJECTED, "Two people shared an account."
    db.session.commit()
    outline = client.get(f"/enrollments/{enrollment.id}").get_data(as_text=True)
    assert "was not verified: Two people shared an account." in outline
