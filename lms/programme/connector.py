"""One small interface, two implementations: `builtin` (Alur issues its own codes and keeps
its own attendance) and `prakerja` (the programme checks codes, verifies faces and receives
results). `current()` picks the one the configuration names."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from lms.programme.client import PrakerjaClient

BUILTIN = "builtin"
PRAKERJA = "prakerja"
POSTTEST_SEQUENCE = 999
PARTICIPANT_REF_WIDTH = 64
#: The refusals the programme may answer for a code, each with its own message in learning.
REFUSALS = frozenset({"code_not_found", "code_already_used", "code_cancelled",
                      "code_other_provider", "wrong_training_type", "transaction_cancelled"})


@dataclass(frozen=True)
class ProgrammeCode:
    """The programme's answer about a redeem code: a refusal, or the course it buys."""
    redeem_code: str
    refusal: str | None = None
    course_code: str = ""
    #: The programme's identity of the participant, "" when its answer names none.
    participant_ref: str = ""
    attendance_status: int | None = None


@dataclass(frozen=True)
class VerificationStart:
    url: str
    programme_state: str


class ProgrammeConnector(Protocol):
    name: str
    #: Whether codes are the programme's (checked with it) rather than Alur's own.
    checks_codes: bool
    #: Whether the learner may confirm their own attendance with a button (no face check).
    allows_self_verification: bool

    def attendance_required(self) -> bool: ...

    def check_code(self, redeem_code: str, sequence: int = 1) -> ProgrammeCode: ...

    def start_verification(self, redeem_code: str, redirect_uri: str, email: str,
                           sequence: int) -> VerificationStart: ...

    def post(self, path: str, payload: dict) -> dict: ...


class BuiltinConnector:
    name = BUILTIN
    checks_codes = False
    allows_self_verification = True

    def attendance_required(self) -> bool:
        return bool(current_app.config.get("ATTENDANCE_REQUIRED"))

    def check_code(self, redeem_code: str, sequence: int = 1) -> ProgrammeCode:
        raise NotImplementedError("builtin codes are Alur's own")

    def start_verification(self, redeem_code: str, redirect_uri: str, email: str,
                           sequence: int) -> VerificationStart:
        raise NotImplementedError("builtin attendance is the self-check page")

    def post(self, path: str, payload: dict) -> dict:
        raise NotImplementedError("builtin reports to no one")


class PrakerjaConnector:
    name = PRAKERJA
    checks_codes = True
    allows_self_verification = False

    def __init__(self, client: PrakerjaClient) -> None:
        self.client = client

    def attendance_required(self) -> bool:
        return True

    def check_code(self, redeem_code: str, sequence: int = 1) -> ProgrammeCode:
        answer = self.client.call(STATUS_PATH, {"redeem_code": redeem_code,
                                                "sequence": sequence})
        if answer.refusal:
            refusal = answer.refusal if answer.refusal in REFUSALS else "code_not_found"
            return ProgrammeCode(redeem_code=redeem_code, refusal=refusal)
        data = answer.data
        status = data.get("attendance_status")
        return ProgrammeCode(
            redeem_code=str(data.get("redeem_code") or redeem_code),
            course_code=str(data.get("course_code") or ""),
            # No reference when the programme names none: falling back to the redeem code
            # would make every code its own participant, so one person buying two courses
            # would be paid twice. The account then keeps its own Alur reference instead.
            # Capped at the width of the reference columns the ledger keys on.
            participant_ref=str(data.get("participant_ref") or "")[:PARTICIPANT_REF_WIDTH],
            attendance_status=int(status) if str(status).lstrip("-").isdigit() else None)

    def start_verification(self, redeem_code: str, redirect_uri: str, email: str,
                           sequence: int) -> VerificationStart:
        answer = self.client.call(URL_GENERATE_PATH, {
            "redeem_code": redeem_code, "redirect_uri": redirect_uri, "email": email,
            "sequence": sequence})
        url = str(answer.data.get("url") or "")
        if answer.refusal or not url.startswith(("https://", "http://")):
            raise self.client.unavailable(f"url-generate answered {answer.refusal or url!r}")
        return VerificationStart(url=url, programme_state=str(answer.data.get("state") or "")[:200])

    def post(self, path: str, payload: dict) -> dict:
        """A reporting call; raises ProgrammeUnavailable unless the programme says success."""
        answer = self.client.call(path, payload)
        if answer.refusal:
            raise self.client.unavailable(f"{path} refused: {answer.refusal}")
        return answer.data


STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"
URL_GENERATE_PATH = "/api/v1/integration/oauth/url-generate"
SUBMISSION_PATH = "/api/v1/integration/tpm/submission"
FEEDBACK_PATH = "/api/v1/integration/tpm/feedback/submission"


def current() -> ProgrammeConnector:
    """The connector the configuration names (read each time: cheap, and tests switch it)."""
    config = current_app.config
    if config.get("PROGRAMME_CONNECTOR", BUILTIN) != PRAKERJA:
        return BuiltinConnector()
    return PrakerjaConnector(PrakerjaClient(
        base_url=config.get("PRAKERJA_BASE_URL", ""),
        client_code=config.get("PRAKERJA_CLIENT_CODE", ""),
        sign_key=config.get("PRAKERJA_SIGN_KEY", ""),
        timeout=float(config.get("PRAKERJA_TIMEOUT_SECONDS", 5))))
