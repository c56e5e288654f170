"""A stand-in for the Kartu Prakerja integration API, for tests and for trying the whole flow
by hand (`flask --app wsgi programme standin --port 5055`). It speaks the same protocol as
the connector, refuses calls whose signature is wrong, and keeps everything in memory.

Codes: any code starting with `PRAT-` exists and buys the stand-in's course code (`--course-code`,
"ALUR-DEMO" by default), except that `PRAT-USED-…`, `PRAT-CANCELLED-…`, `PRAT-OTHER-…`,
`PRAT-WRONGTYPE-…` and `PRAT-TXCANCELLED-…` answer the matching refusal. Other codes can be
added with `POST /standin/codes {"redeem_code", "course_code", "participant_ref"}` (the
participant is optional: by default each code is its own participant, and `null` answers
without one, as the contract's documented shape does); anything else is not found.

Control calls (unsigned, loopback only): `POST /standin/reset`, `GET /standin/state`,
`POST /standin/faults {"path": "<suffix of a path>", "mode": "error"|"timeout"|"refuse",
"times": n}` (the next n calls of that path fail that way).
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape

import requests
from flask import Flask, jsonify, redirect, request
from werkzeug.serving import WSGIRequestHandler, make_server

from lms.programme import connector as paths
from lms.programme import signing

TEST_PREFIX = "PRAT-"
REFUSAL_PREFIXES = {
    "PRAT-USED-": "code_already_used",
    "PRAT-CANCELLED-": "code_cancelled",
    "PRAT-OTHER-": "code_other_provider",
    "PRAT-WRONGTYPE-": "wrong_training_type",
    "PRAT-TXCANCELLED-": "transaction_cancelled",
}
SIGNATURE_MAX_AGE_SECONDS = 300


@dataclass
class StandinState:
    course_code: str
    codes: dict[str, str] = field(default_factory=dict)  # code → course code
    participants: dict[str, str] = field(default_factory=dict)  # code → participant reference
    attendance: dict[tuple[str, int], int] = field(default_factory=dict)
    pending: dict[str, dict] = field(default_factory=dict)  # programme state → trip
    submissions: list[dict] = field(default_factory=list)
    feedback: list[dict] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)
    faults: list[dict] = field(default_factory=list)

    def snapshot(self) -> dict:
        return {"course_code": self.course_code, "codes": dict(self.codes),
                "participants": dict(self.participants),
                "attendance": [{"redeem_code": c, "sequence": s, "attendance_status": v}
                               for (c, s), v in sorted(self.attendance.items())],
                "submissions": list(self.submissions), "feedback": list(self.feedback),
                "calls": list(self.calls)}


def _refused(code: str, status: int = 400, message: str = ""):
    return jsonify({"success": False, "error": {"code": code, "message": message or code}}), status


def create_standin_app(client_code: str, sign_key: str, course_code: str = "ALUR-DEMO",
                       hang_seconds: float = 3.0) -> Flask:
    app = Flask("prakerja-standin")
    state = StandinState(course_code=course_code)
    lock = threading.Lock()
    app.extensions["standin"] = state

    def course_of(code: str) -> tuple[str | None, str | None]:
        """(refusal, course code) for a redeem code."""
        if code in state.codes:
            return None, state.codes[code]
        for prefix, refusal in REFUSAL_PREFIXES.items():
            if code.startswith(prefix):
                return refusal, None
        if code.startswith(TEST_PREFIX):
            return None, state.course_code
        return "code_not_found", None

    def fault_for(path: str) -> str | None:
        with lock:
            for fault in state.faults:
                if path.endswith(fault["path"]) and fault["times"] > 0:
                    fault["times"] -= 1
                    return fault["mode"]
        return None

    def signed_body() -> tuple[dict | None, object]:
        body = request.get_data()
        headers = {name: request.headers.get(name, "") for name in
                   ("client_code", "timestamp", "signature")}
        valid = signing.is_valid(headers, request.path, body, client_code, sign_key) and \
            abs(time.time() - int(headers["timestamp"])) <= SIGNATURE_MAX_AGE_SECONDS
        payload = request.get_json(silent=True)
        with lock:
            state.calls.append({"path": request.path, "body": body.decode(errors="replace"),
                                "signature_valid": valid})
        if not valid:
            return None, _refused("invalid_signature", 401)
        mode = fault_for(request.path)
        if mode == "timeout":
            time.sleep(hang_seconds)
            return None, _refused("timeout", 504)
        if mode == "error":
            return None, ("upstream error", 500)
        if mode == "refuse":
            return None, _refused("temporarily_refused", 400)
        if not isinstance(payload, dict):
            return None, _refused("invalid_body", 400)
        return payload, None

    @app.post(paths.STATUS_PATH)
    def status():
        payload, failure = signed_body()
        if failure is not None:
            return failure
        code = str(payload.get("redeem_code") or "")
        refusal, course = course_of(code)
        if refusal:
            return _refused(refusal, 404 if refusal == "code_not_found" else 400)
        sequence = int(payload.get("sequence") or 1)
        with lock:
            attended = state.attendance.get((code, sequence), 0)
            participant = state.participants.get(
                code, "PRJ-" + hashlib.sha256(code.encode()).hexdigest()[:12].upper())
        data = {"redeem_code": code, "course_code": course, "status": "active",
                "attendance_status": attended,
                "redeem_at": datetime.now(timezone.utc).isoformat()}
        if participant:
            data["participant_ref"] = participant
        return jsonify({"success": True, "data": data})

    @app.post(paths.URL_GENERATE_PATH)
    def url_generate():
        payload, failure = signed_body()
        if failure is not None:
            return failure
        code = str(payload.get("redeem_code") or "")
        refusal, _ = course_of(code)
        redirect_uri = str(payload.get("redirect_uri") or "")
        if refusal or not redirect_uri.startswith(("http://", "https://")):
            return _refused(refusal or "invalid_redirect_uri")
        trip_state = secrets.token_urlsafe(16)
        with lock:
            state.pending[trip_state] = {"redeem_code": code, "redirect_uri": redirect_uri,
                                         "sequence": int(payload.get("sequence") or 1),
                                         "email": str(payload.get("email") or "")}
        return jsonify({"success": True, "data": {
            "url": request.host_url.rstrip("/") + "/standin/face?state=" + trip_state,
            "state": trip_state}})

    @app.get("/standin/face")
    def face_page():
        trip = state.pending.get(request.args.get("state", ""))
        if trip is None:
            return "<p>Unknown verification.</p>", 404
        token = escape(request.args["state"])
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width'>"
                f"<title>Prakerja face verification (stand-in)</title></head><body>"
                f"<h1>Face verification (stand-in)</h1>"
                f"<p>Code {escape(trip['redeem_code'])}, day {trip['sequence']}.</p>"
                f"<form method='post'><input type='hidden' name='state' value='{token}'>"
                f"<button name='result' value='pass' id='face-pass'>My face matches</button>"
                f"<button name='result' value='fail' id='face-fail'>Not me</button>"
                f"</form></body></html>")

    @app.post("/standin/face")
    def face_result():
        with lock:
            trip = state.pending.pop(request.form.get("state", ""), None)
            if trip is None:
                return "<p>Unknown verification.</p>", 404
            passed = request.form.get("result") == "pass"
            state.attendance[(trip["redeem_code"], trip["sequence"])] = 1 if passed else 0
        return redirect(trip["redirect_uri"])

    @app.post(paths.SUBMISSION_PATH)
    def submission():
        payload, failure = signed_body()
        if failure is not None:
            return failure
        url = str(payload.get("url_file") or "")
        try:
            fetched = requests.get(url, timeout=5)
        except requests.RequestException:
            return _refused("file_unreachable")
        if fetched.status_code != 200:
            return _refused("file_unreachable")
        with lock:
            state.submissions.append({**payload, "file_sha256":
                                      hashlib.sha256(fetched.content).hexdigest(),
                                      "file_size": len(fetched.content)})
        return jsonify({"success": True})

    @app.post(paths.FEEDBACK_PATH)
    def feedback():
        payload, failure = signed_body()
        if failure is not None:
            return failure
        if not str(payload.get("notes") or "").strip():
            return _refused("notes_required")
        with lock:
            state.feedback.append(payload)
        return jsonify({"success": True})

    @app.post("/standin/codes")
    def add_code():
        body = request.get_json(silent=True) or {}
        code = str(body.get("redeem_code"))
        with lock:
            state.codes[code] = str(body.get("course_code") or state.course_code)
            if "participant_ref" in body:
                state.participants[code] = str(body["participant_ref"] or "")
        return jsonify({"success": True})

    @app.post("/standin/faults")
    def add_fault():
        body = request.get_json(silent=True) or {}
        with lock:
            state.faults.append({"path": str(body.get("path") or ""),
                                 "mode": str(body.get("mode") or "error"),
                                 "times": int(body.get("times") or 1)})
        return jsonify({"success": True})

    @app.post("/standin/reset")
    def reset():
        with lock:
            fresh = StandinState(course_code=state.course_code)
            for name in ("codes", "participants", "attendance", "pending", "submissions",
                         "feedback", "calls", "faults"):
                setattr(state, name, getattr(fresh, name))
        return jsonify({"success": True})

    @app.get("/standin/state")
    def dump():
        with lock:
            return jsonify(state.snapshot())

    return app


class UnderscoreHeadersHandler(WSGIRequestHandler):
    """The programme's headers have underscores (`client_code`), which Werkzeug's server drops
    by default (a proxy-spoofing guard); the stand-in must read them as the programme does."""

    def make_environ(self):
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ["HTTP_" + key.upper().replace("-", "_")] = value
        return environ

    def log_request(self, code="-", size="-") -> None:
        if str(code).startswith("5"):
            super().log_request(code, size)


class RunningStandin:
    """The stand-in served in a thread (tests): `.url`, `.state`, `.stop()`."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.server = make_server(host, port, app, threaded=True,
                                  request_handler=UnderscoreHeadersHandler)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       name="prakerja-standin", daemon=True)
        self.thread.start()

    @property
    def state(self) -> StandinState:
        return self.app.extensions["standin"]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
