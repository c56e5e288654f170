"""How completions are shown: the API's items, the flags explained in the reader's language,
and what the admin pages list (the queue's filter choices, one completion's evidence)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import Provider
from lms.catalog.models import Course, Module
from lms.extensions import db
from lms.verification import checks, services
from lms.verification import timeline as charts
from lms.verification.models import Completion, CompletionStatus


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def participant_ref(completion: Completion) -> str:
    """The participant the completion counts for: the same reference the eligibility ledger
    keys "once per person" on (the programme's, under a programme connector), so a reviewer
    and the payer name one person alike."""
    return completion.user.participant_ref


def api_item(completion: Completion) -> dict:
    return {
        "completion_id": completion.id,
        "enrollment_id": completion.enrollment_id,
        "participant_ref": participant_ref(completion),
        "course_slug": completion.course.slug,
        "completed_at": iso(completion.completed_at),
        "checked_at": iso(completion.checked_at),
        "status": completion.status,
        "flags": [{"code": f["code"], "detail": f["detail"]} for f in completion.flags or []],
    }


def api_decision(completion: Completion) -> dict | None:
    if not completion.is_decided:
        return None
    return {"decision": completion.status, "reason": completion.decision_reason,
            "decided_at": iso(completion.decided_at),
            "decided_by": completion.decided_by.email if completion.decided_by else None}


def api_detail(completion: Completion) -> dict:
    return {**api_item(completion), "evidence": completion.evidence or {},
            "decision": api_decision(completion)}


def flag_title(code: str) -> str:
    titles = {
        checks.TOO_FAST: _("Finished faster than the videos last"),
        checks.OVERLAPPING_SESSIONS: _("Studied on two devices at once"),
        checks.MACHINE_REGULAR_HEARTBEATS: _("Player reports too regular for a browser"),
        checks.SHARED_DEVICE: _("One device used by many learners"),
        checks.DELIVERY_GAP: _("Credited video that was never delivered"),
        checks.ATTENDANCE_MISSED: _("Studied without the daily attendance check"),
        checks.RAPID_ANSWERS: _("Quiz answered faster than it can be read"),
    }
    return titles.get(code, code)


def explain(flag: dict) -> str:
    """One sentence a reviewer reads: what the evidence shows, with its numbers."""
    p = flag.get("params") or {}
    code = flag.get("code")
    try:
        if code == checks.TOO_FAST:
            return _("%(credited)s s of video were credited, but the sessions lasted only "
                     "%(wall)s s.", credited=p["credited"], wall=p["wall"])
        if code == checks.OVERLAPPING_SESSIONS:
            return _("Sessions on different devices overlapped for %(overlap)s s; the study "
                     "moved to another device and back %(turns)s times.",
                     overlap=p["overlap"], turns=p["turns"])
        if code == checks.MACHINE_REGULAR_HEARTBEATS:
            return _("%(run)s heartbeats in a row came at identical intervals, to the "
                     "millisecond. A browser's timer varies by several milliseconds.",
                     run=p["run"])
        if code == checks.SHARED_DEVICE:
            return _("%(learners)s different learners studied on this device within a day.",
                     learners=p["learners"])
        if code == checks.DELIVERY_GAP:
            return _("%(seconds)s s of credited video were never sent to the learner's player.",
                     seconds=p["seconds"])
        if code == checks.ATTENDANCE_MISSED:
            return _("Studied on %(days)s day(s) without a passed attendance check: %(dates)s.",
                     days=p["days"], dates=p["dates"])
        if code == checks.RAPID_ANSWERS:
            return _("“%(title)s”: %(questions)s questions answered in %(seconds)s s.",
                     title=p["title"], questions=p["questions"], seconds=p["seconds"])
    except KeyError:
        pass
    return str(flag.get("detail", ""))


def learner_status_text(status: str, reason: str | None = None) -> str:
    """Where the completion stands, as the learner reads it."""
    if status == "pending":
        return _("Your completion is being checked.")
    if status == "flagged":
        return _("Your completion is under review by the programme.")
    if status == "verified":
        return _("Your completion is verified.")
    if status == "rejected":
        return _("Your completion was not verified: %(reason)s", reason=reason or "")
    return ""


def status_label(status: str) -> str:
    return {"pending": _("being checked"), "flagged": _("flagged"),
            "verified": _("verified"), "rejected": _("rejected"),
            "all": _("all")}.get(status, status)


def queue_choices() -> dict:
    """The review queue's filter choices: providers, courses, flag codes and statuses."""
    return {
        "providers": db.session.execute(select(Provider.id, Provider.name)
                                        .order_by(Provider.name)).all(),
        "courses": db.session.execute(select(Course.id, Course.title)
                                      .order_by(Course.title)).all(),
        "flag_codes": checks.CODES,
        "statuses": CompletionStatus.ALL + ("all",),
    }


def evidence_page(completion: Completion) -> dict:
    """One completion's evidence as its review page shows it: a chart per module of the
    version the learner studied, their devices, their quiz attempts in order, the totals."""
    summary = services.summary_of(completion)
    modules = [(m.id, m.title, m.duration_seconds or 0.0) for m in db.session.scalars(
        select(Module).where(Module.version_id == completion.enrollment.version_id)
        .order_by(Module.position))]
    return {
        "charts": charts.module_charts(summary, modules), "devices": charts.devices(summary),
        "attempts": sorted(summary.attempts, key=lambda a: a.started_at),
        "titles": {module_id: title for module_id, title, _duration in modules},
        "totals": services.evidence_totals(summary),
    }
