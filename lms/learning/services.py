"""Redeeming codes into enrollments, issuing codes, and the learner's view of a course."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import permissions
from lms.accounts.models import User
from lms.admin import audit
from lms.catalog.models import Course, Module, TrainingType
from lms.clock import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.learning.models import CodeState, Enrollment, ModuleProgress, RedeemCode
from lms.learning import progression
from lms.programme import connector as programme
from lms.programme import enrollments as programme_enrollments

# No 0/O or 1/I/L: codes are read off phones and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_CODE_INPUT = 64
MAX_CODES_PER_BATCH = 10_000


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()


def _redeem_failure(code: str) -> Exception:
    """The programme's failure cases, each with its own status and message."""
    failures = {
        "code_not_found": (NotFound, _l("We could not find this code. Check it and try again.")),
        "code_other_provider": (Forbidden, _l(
            "This code belongs to another training provider. Redeem it on that provider's site.")),
        "wrong_training_type": (Invalid, _l(
            "This code is for another type of training, not a self-paced online course.")),
        "code_cancelled": (Conflict, _l("This code has been cancelled and can no longer be used.")),
        "transaction_cancelled": (Conflict, _l(
            "The purchase behind this code was cancelled, so the code cannot be used.")),
        "code_already_used": (Conflict, _l("This code has already been used.")),
        "code_other_course": (Invalid, _l("This code is for a different course of this provider.")),
        "already_enrolled": (Conflict, _l("You are already enrolled in this course.")),
        "course_unavailable": (Conflict, _l("This course is not open for enrollment right now.")),
    }
    error_class, message = failures[code]
    return error_class(message, code=code)


def redeem_code(user: User, raw_code: str, course_slug: str | None = None) -> Enrollment:
    """Enroll the user with a redeem code.

    `course_slug` is the course page the code was typed on, if any. Raises NotFound
    (code_not_found), Forbidden (code_other_provider), Invalid (wrong_training_type,
    code_other_course, invalid_code), Conflict (code_cancelled, transaction_cancelled,
    code_already_used, already_enrolled, course_unavailable).
    """
    permissions.ensure_role(user, "learner")
    code_text = normalise_code(raw_code)
    if not code_text or len(code_text) > MAX_CODE_INPUT:
        raise Invalid(_l("Enter the redeem code you received."), code="invalid_code")
    code = db.session.scalar(select(RedeemCode).where(RedeemCode.code == code_text))
    connector = programme.current()
    answer = None
    if connector.checks_codes:
        code, answer = _checked_by_programme(connector, raw_code, code_text, code)
    if code is None:
        raise _redeem_failure("code_not_found")
    if course_slug:
        target = db.session.scalar(select(Course).where(Course.slug == course_slug))
        if target is not None and target.provider_id != code.provider_id:
            raise _redeem_failure("code_other_provider")
        if target is not None and target.id != code.course_id:
            raise _redeem_failure("code_other_course")
    if code.training_type != TrainingType.SELF_PACED:
        raise _redeem_failure("wrong_training_type")
    if code.state == CodeState.CANCELLED:
        raise _redeem_failure("code_cancelled")
    if code.transaction_cancelled:
        raise _redeem_failure("transaction_cancelled")
    if code.state == CodeState.USED:
        raise _redeem_failure("code_already_used")
    course = code.course
    version = course.current_version
    if version is None:
        raise _redeem_failure("course_unavailable")
    if db.session.scalar(select(Enrollment.id).where(Enrollment.user_id == user.id,
                                                     Enrollment.course_id == course.id)):
        raise _redeem_failure("already_enrolled")
    now = utcnow()
    # The state guard in the WHERE clause makes two racing redeems of one code end with one
    # winner: the loser updates no row.
    claimed = db.session.execute(
        update(RedeemCode)
        .where(RedeemCode.id == code.id, RedeemCode.state == CodeState.FRESH)
        .values(state=CodeState.USED, used_at=now, used_by_id=user.id)
    ).rowcount
    if claimed != 1:
        raise _redeem_failure("code_already_used")
    enrollment = Enrollment(user=user, course=course, version=version, redeem_code_id=code.id,
                            enrolled_at=now, finish_by=finish_by_for(course, now))
    db.session.add(enrollment)
    db.session.flush()
    if answer is not None:
        programme_enrollments.record(enrollment, answer)
    audit.record(user, "enrollment.created", "enrollment", enrollment.id, code=code.code,
                 course=course.slug)
    return enrollment


def _checked_by_programme(connector: programme.ProgrammeConnector, raw_code: str, code_text: str,
                          known: RedeemCode | None
                          ) -> tuple[RedeemCode | None, programme.ProgrammeCode]:
    """Ask the programme about a code first (raises ProgrammeUnavailable, 503, when it does
    not answer; nothing is written before it has). A code it accepts becomes a local row of
    the course with its programme course code, so the single-use claim below applies."""
    answer = connector.check_code(re.sub(r"\s", "", raw_code).upper())
    if answer.refusal:
        raise _redeem_failure(answer.refusal)
    if known is not None:
        return known, answer
    course = db.session.scalar(select(Course).where(
        Course.programme_course_code == answer.course_code)) if answer.course_code else None
    if course is None:
        raise _redeem_failure("code_other_provider")
    code = RedeemCode(code=code_text, course=course, provider_id=course.provider_id,
                      training_type=TrainingType.SELF_PACED)
    try:
        with db.session.begin_nested():
            db.session.add(code)
    except IntegrityError:
        # The same code redeemed twice at once: the other row stands, and one claim wins.
        code = db.session.scalar(select(RedeemCode).where(RedeemCode.code == code_text))
    return code, answer


def generate_codes(actor: User | None, course: Course, count: int,
                   training_type: str = TrainingType.SELF_PACED) -> list[str]:
    """Mint fresh single-use codes for a published course. Raises Invalid for a count out of
    range, Conflict (course_not_published) for a course never published and NotFound for
    users who do not manage the course."""
    if actor is not None:
        permissions.ensure_may_manage_course(actor, course)
        if course.current_version is None:
            raise Conflict(_l("Codes are issued only for a published course."),
                           code="course_not_published")
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise Invalid(_l("Ask for between 1 and %(n)d codes.", n=MAX_CODES_PER_BATCH),
                      code="invalid_count")
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    db.session.add_all(RedeemCode(code=c, course=course, provider_id=course.provider_id,
                                  training_type=training_type) for c in codes)
    db.session.flush()
    audit.record(actor, "codes.generated", "course", course.id, count=count)
    return sorted(codes)


def cancel_code(actor: User | None, code: RedeemCode) -> None:
    """Cancel an unused code (provider staff of the course or an admin): redeeming it then
    answers `code_cancelled`. Raises NotFound for others, Conflict once used; a cancelled
    code stays cancelled (no-op)."""
    if actor is not None:
        permissions.ensure_may_manage_course(actor, code.course)
    if code.state == CodeState.USED:
        raise _redeem_failure("code_already_used")
    if code.state == CodeState.CANCELLED:
        return
    code.state = CodeState.CANCELLED
    db.session.flush()
    audit.record(actor, "code.cancelled", "redeem_code", code.id, course=code.course_id)


def cancel_transaction(actor: User | None, code: RedeemCode) -> None:
    """Record that the purchase behind an unused code was cancelled: redeeming it then
    answers `transaction_cancelled`. Raises NotFound for others, Conflict once used."""
    if actor is not None:
        permissions.ensure_may_manage_course(actor, code.course)
    if code.state == CodeState.USED:
        raise _redeem_failure("code_already_used")
    if code.transaction_cancelled:
        return
    code.transaction_cancelled = True
    db.session.flush()
    audit.record(actor, "code.transaction_cancelled", "redeem_code", code.id,
                 course=code.course_id)


def get_code(actor: User, code_id: int) -> RedeemCode:
    """A code of a course the actor manages. Raises NotFound (code_not_found) otherwise."""
    code = db.session.get(RedeemCode, code_id)
    if code is None or not permissions.may_manage_course(actor, code.course):
        raise NotFound(_l("No such code."), code="code_not_found")
    return code


def course_codes(actor: User, course: Course, page: int = 1, per_page: int = 50):
    """A page of the course's codes, newest first. Raises NotFound for non-managers."""
    permissions.ensure_may_manage_course(actor, course)
    return db.paginate(select(RedeemCode).where(RedeemCode.course_id == course.id)
                       .order_by(RedeemCode.id.desc()), page=page, per_page=per_page,
                       error_out=False)


def all_course_codes(actor: User, course: Course) -> list[RedeemCode]:
    """Every code of the course, oldest first (the CSV download)."""
    permissions.ensure_may_manage_course(actor, course)
    return list(db.session.scalars(select(RedeemCode).where(RedeemCode.course_id == course.id)
                                   .order_by(RedeemCode.id)))


def code_state(code: RedeemCode) -> str:
    """fresh, used, cancelled, or transaction_cancelled (an unused code whose purchase was
    cancelled)."""
    if code.state == CodeState.FRESH and code.transaction_cancelled:
        return "transaction_cancelled"
    return code.state


def finish_by_for(course: Course, enrolled_at: datetime) -> datetime | None:
    """The redeem time plus the course's "finish within N days", or None without one."""
    if not course.finish_within_days:
        return None
    return enrolled_at + timedelta(days=course.finish_within_days)


@dataclass(frozen=True)
class ModuleEntry:
    module: Module
    status: str
    progress: ModuleProgress | None


def outline(enrollment: Enrollment) -> list[ModuleEntry]:
    statuses = progression.statuses(enrollment)
    progress = {p.module_id: p for p in enrollment.progress}
    return [ModuleEntry(m, statuses[m.id], progress.get(m.id)) for m in enrollment.version.modules]


def progress_percent(entries: list[ModuleEntry]) -> int:
    required = [e for e in entries if e.module.required]
    if not required:
        return 0
    done = sum(1 for e in required if e.status == progression.COMPLETED)
    return round(100 * done / len(required))


def learner_enrollments(user: User) -> list[Enrollment]:
    return list(db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == user.id)
        .order_by(Enrollment.enrolled_at.desc())))


def enrollment_in(user: User | None, course: Course) -> Enrollment | None:
    """The signed-in learner's latest enrollment in the course, if any."""
    if not permissions.is_signed_in(user):
        return None
    return db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
        .order_by(Enrollment.enrolled_at.desc()).limit(1))


def get_enrollment_for(user: User, enrollment_id: int) -> Enrollment:
    """Raises NotFound for a missing enrollment or another learner's."""
    return permissions.ensure_enrollment_owner(user, db.session.get(Enrollment, enrollment_id))


def get_module_for(user: User, enrollment_id: int, module_id: int) -> tuple[Enrollment, Module]:
    """Load an enrollment and one of its modules, raising NotFound or ModuleLocked."""
    enrollment = get_enrollment_for(user, enrollment_id)
    module = db.session.get(Module, module_id)
    if module is None:
        raise NotFound(_l("No such module in this course."), code="module_not_found")
    permissions.ensure_module_available(enrollment, module)
    return enrollment, module
