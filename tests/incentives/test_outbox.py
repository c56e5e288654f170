"""Delivering the payer's webhooks: failures are retried on the back-off schedule with the
same webhook-id, one participant's events wait for their predecessor, a receiver that is down
and then up loses nothing, and admins see and retry deliveries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.clock import utcnow
from lms.extensions import db
from lms.outbox.delivery import enqueue
from lms.outbox.models import OutboxEvent
from lms.outbox.schedule import retry_delay
from tests import factories
from tests.incentives.helpers import completed, deliver, rate
from tests.incentives.receiver import serve


def _events():
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


@pytest.mark.parametrize("failed, seconds", [(1, 10), (2, 30), (3, 90), (4, 270), (5, 810),
                                             (6, 2430), (7, 7290), (8, 21600), (9, 21600),
                                             (500, 21600)])
def test_retry_schedule(failed, seconds):
    assert retry_delay(failed) == timedelta(seconds=seconds)


def test_the_schedule_keeps_retrying_for_more_than_a_day():
    waited = sum((retry_delay(n) for n in range(1, 13)), timedelta())
    assert waited > timedelta(hours=24)


def test_receiver_failing_for_a_while_then_ok_gets_each_event_once_in_order(app, receiver):
    enrollment, item = completed(factories.learner())
    rate(enrollment)
    receiver.fail_next = 3
    now = utcnow()
    assert deliver(app, now) == 1  # only the head of the participant's queue goes out
    head, second = _events()
    assert (head.attempts, second.attempts) == (1, 0)
    assert head.last_error.startswith("HTTP 500")
    assert head.next_attempt_at == now + timedelta(seconds=10)
    # Not due yet: nothing is sent, and the second event waits behind the first.
    assert deliver(app, now + timedelta(seconds=9)) == 0
    now += timedelta(seconds=10)
    assert deliver(app, now) == 1
    now += timedelta(seconds=30)
    assert deliver(app, now) == 1
    assert _events()[0].attempts == 3 and _events()[1].attempts == 0
    now += timedelta(seconds=90)
    assert deliver(app, now) == 1   # the fourth attempt is acknowledged
    assert deliver(app, now) == 1   # and only then does the next event leave
    head, second = _events()
    assert head.delivered_at and second.delivered_at and head.last_error is None
    ids = [r.message_id for r in receiver.requests]
    assert ids == [head.message_id] * 4 + [second.message_id]
    assert receiver.types() == ["eligibility.pending_rating", "eligibility.eligible"]


def test_a_receiver_down_then_up_loses_nothing(app, receiver):
    port = receiver.server.server_port
    receiver.server.shutdown()
    receiver.server.server_close()
    enrollment, _ = completed(factories.learner())
    rate(enrollment)
    other, _ = completed(factories.learner())
    now = utcnow()
    assert deliver(app, now) == 2  # two participants: both heads are tried
    assert all("ConnectionRefusedError" in e.last_error for e in _events() if e.attempts)
    receiver.server = serve(receiver, port)
    assert deliver(app, now + timedelta(seconds=10)) == 2
    assert deliver(app, now + timedelta(seconds=10)) == 1
    assert all(e.delivered_at for e in _events())
    assert sorted(receiver.types()) == sorted(["eligibility.pending_rating",
                                               "eligibility.eligible",
                                               "eligibility.pending_rating"])


def test_nothing_leaves_while_the_webhook_is_not_configured(app):
    completed(factories.learner())
    assert deliver(app) == 0
    assert [e.attempts for e in _events()] == [0]


def test_a_message_body_is_the_eligibility_event(app, receiver):
    enrollment, item = completed(factories.learner())
    deliver(app)
    event = receiver.requests[0].event
    assert set(event) == {"type", "timestamp", "data"}
    assert event["type"] == "eligibility.pending_rating"
    assert event["data"]["eligibility_id"] == item.id
    assert event["data"]["status"] == "pending_rating"


def test_admin_sees_failing_deliveries_and_retries_one_now(app, client, auth, receiver):
    completed(factories.learner())
    receiver.fail_next = 1
    now = utcnow()
    deliver(app, now)
    admin = factories.admin()
    auth.login(admin.email)
    page = client.get("/admin/deliveries/?state=failing")
    assert page.status_code == 200
    event = _events()[0]
    assert event.message_id.encode() in page.data and b"HTTP 500" in page.data
    assert b"Retry now" in page.data
    answer = client.post(f"/admin/deliveries/{event.id}/retry")
    assert answer.status_code == 302
    assert _events()[0].next_attempt_at <= utcnow()
    assert deliver(app) == 1
    assert _events()[0].delivered_at is not None
    delivered = client.get("/admin/deliveries/?state=delivered")
    assert event.message_id.encode() in delivered.data
    again = client.post(f"/admin/deliveries/{event.id}/retry")
    assert again.status_code == 409


def test_enqueued_messages_have_unique_ids(app):
    now = utcnow()
    first = enqueue("payer", "participant:x", "eligibility.eligible", "{}", now)
    second = enqueue("payer", "participant:x", "eligibility.eligible", "{}", now)
    assert first.message_id != second.message_id and first.message_id.startswith("msg_")
