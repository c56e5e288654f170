"""Shared helpers for the programme tests: the stand-in served on loopback, the settings
that point an app at it, and a course the stand-in's test codes buy."""
from __future__ import annotations

from urllib.parse import urlsplit

import requests

from lms.extensions import db
from lms.programme.standin import RunningStandin, create_standin_app
from tests import factories_assessments as fa
from tests.factories_assessments import A, Q, R

CLIENT_CODE = "alur-test-client"
SIGN_KEY = "alur-test-sign-key"
COURSE_CODE = "ALUR-TEST-1"
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 20 + b"%%EOF\n"


# Generous for a loaded test machine (a slow answer is not what a test is about: at 2 s, the
# stand-in's thread once answered too late while the other suite's fault tests started and
# killed gunicorn workers on the same two cores); the stand-in's "timeout" fault hangs well
# past it, so a timeout is always a timeout.
TIMEOUT_SECONDS = 8.0
HANG_SECONDS = 12.0


def start_standin() -> RunningStandin:
    return RunningStandin(create_standin_app(CLIENT_CODE, SIGN_KEY, COURSE_CODE,
                                             hang_seconds=HANG_SECONDS))


def prakerja_settings(standin: RunningStandin, public_base_url: str) -> dict:
    return {"PROGRAMME_CONNECTOR": "prakerja", "PRAKERJA_BASE_URL": standin.url,
            "PRAKERJA_CLIENT_CODE": CLIENT_CODE, "PRAKERJA_SIGN_KEY": SIGN_KEY,
            "PRAKERJA_TIMEOUT_SECONDS": TIMEOUT_SECONDS, "PUBLIC_BASE_URL": public_base_url}


def programme_course(provider=None, kinds=(Q, R, Q, A)):
    """Pre-test, a reading, the post-test, the skill task; sold as COURSE_CODE."""
    course = fa.full_course(provider, kinds=kinds)
    course.programme_course_code = COURSE_CODE
    db.session.commit()
    return course


def fault(standin: RunningStandin, path: str, mode: str, times: int = 1) -> None:
    requests.post(standin.url + "/standin/faults",
                  json={"path": path, "mode": mode, "times": times}, timeout=5)


def calls_to(standin: RunningStandin, suffix: str) -> list[dict]:
    return [c for c in standin.state.snapshot()["calls"] if c["path"].endswith(suffix)]


def face_check(verification_url: str, result: str = "pass") -> str:
    """What the learner does on the programme's page: returns where it sends them back."""
    parts = urlsplit(verification_url)
    state = parts.query.split("state=", 1)[1]
    answer = requests.post(f"{parts.scheme}://{parts.netloc}{parts.path}",
                           data={"state": state, "result": result}, allow_redirects=False,
                           timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
