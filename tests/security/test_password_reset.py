"""Password-reset requests: the link is built on the configured public origin (never the
Host header), the mail is sent by the worker (the request only queues it), and requests are
limited per e-mail and per address."""
from __future__ import annotations

import re

import pytest

from lms.extensions import init_task_queue, task_queue
from tests import factories


def _mails(app) -> list:
    return app.extensions.get("alur.outbox", [])


def _links(app) -> list[str]:
    return [re.search(r"\S+/password/reset/\S+", m.get_content()).group() for m in _mails(app)]


@pytest.fixture
def queued_app(app):
    """The test app with its real job queue: jobs wait for the worker instead of running."""
    app.config["HUEY_IMMEDIATE"] = False
    init_task_queue(app)
    task_queue.flush()
    yield app
    task_queue.flush()


def _run_queued_jobs() -> None:
    while (job := task_queue.dequeue()) is not None:
        task_queue.execute(job)


@pytest.mark.parametrize("headers", [{"Host": "evil.example"},
                                     {"X-Forwarded-Host": "evil.example"}])
def test_the_reset_link_is_on_the_public_origin_whatever_host_the_request_names(
        app, client, headers):
    app.config["PUBLIC_BASE_URL"] = "https://alur.example/"
    user = factories.learner()
    assert client.post("/password/forgot", data={"email": user.email},
                       headers=headers).status_code == 302
    (link,) = _links(app)
    assert link.startswith("https://alur.example/password/reset/")
    assert "evil.example" not in link


def test_without_a_public_origin_the_link_is_where_make_run_serves(app, client):
    app.config.update(PUBLIC_BASE_URL="", LOCAL_BASE_URL="http://127.0.0.1:5000")
    user = factories.learner()
    client.post("/password/forgot", data={"email": user.email},
                headers={"Host": "evil.example"})
    (link,) = _links(app)
    assert link.startswith("http://127.0.0.1:5000/password/reset/")


def test_the_request_only_queues_the_mail_and_the_worker_sends_it(queued_app, client):
    user = factories.learner()
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 302
    assert _mails(queued_app) == [] and len(task_queue) == 1
    _run_queued_jobs()
    (mail,) = _mails(queued_app)
    assert mail["To"] == user.email and "/password/reset/" in mail.get_content()


def test_an_unknown_address_is_queued_and_answered_the_same_but_mails_nobody(queued_app,
                                                                               client):
    known = client.post("/password/forgot", data={"email": factories.learner().email})
    unknown = client.post("/password/forgot", data={"email": "ghost@example.test"})
    assert (unknown.status_code, unknown.headers["Location"]) == \
        (known.status_code, known.headers["Location"])
    assert len(task_queue) == 2
    _run_queued_jobs()
    assert len(_mails(queued_app)) == 1


def test_the_mail_speaks_the_language_of_the_request(app, client):
    user = factories.learner()
    client.post("/password/forgot", data={"email": user.email},
                headers={"Accept-Language": "id"})
    assert "Atur ulang" in _mails(app)[-1]["Subject"]


def test_resets_are_limited_per_e_mail(app, client):
    user = factories.learner()
    answers = [client.post("/password/forgot", data={"email": user.email}).status_code
               for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert len(_mails(app)) == 3
    # Another address is unaffected (the limit is per e-mail, not global).
    other = factories.learner()
    assert client.post("/password/forgot", data={"email": other.email}).status_code == 302


def test_resets_are_limited_per_address_across_e_mails(app, client):
    app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"] = "4 per hour"
    answers = [client.post("/password/forgot", data={"email": f"p{n}@example.test"}).status_code
               for n in range(6)]
    assert answers == [302] * 4 + [429] * 2
    elsewhere = client.post("/password/forgot", data={"email": "p9@example.test"},
                            environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 302
