"""The eligibility ledger's services: items from certificates, ratings and revocations, the
payer's reports, and what admins and learners read of it.

Services flush and never commit; event receivers run inside the transaction of the event
(the certificate's issuance or revocation, the learner's rating).
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from lms import permissions
from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.unique_insert import insert_unless_taken
from lms.extensions import db
from lms.incentives import ledger, rules
from lms.incentives.errors import (EligibilityNotFound, InvalidCursor, InvalidFilter,
                                   InvalidLimit, InvalidReference, InvalidStatus,
                                   StatusConflict)
from lms.incentives.export import (as_flag_cell, as_text_cell, blank_as_null, copy_chunks,
                                   csv_chunks, iso_utc)
from lms.incentives.models import EligibilityItem, EligibilityStatus
from lms.learning.models import Enrollment
from lms.permissions.incentives import ensure_may_use_payer_api
from lms.reviews.services import has_rated

PAYER_PAGE = 100
MAX_PAYER_PAGE = 500
MAX_REFERENCE = 200
_CURSOR_PREFIX = "c1:"


def item_of_certificate(certificate_id: int) -> EligibilityItem | None:
    return db.session.scalar(select(EligibilityItem)
                             .where(EligibilityItem.certificate_id == certificate_id))


def item_of_enrollment(enrollment_id: int) -> EligibilityItem | None:
    return db.session.scalar(select(EligibilityItem)
                             .where(EligibilityItem.enrollment_id == enrollment_id))


def record_certificate(certificate: Certificate, actor: User | None,
                       now: datetime) -> EligibilityItem:
    """The certificate's item, created if there is none (idempotent). The participant's first
    item claims `first_of_participant`; any later one — even in a racing transaction — finds it
    taken and is `not_eligible` (not_first)."""
    existing = item_of_certificate(certificate.id)
    if existing is not None:
        return existing
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    assert enrollment is not None
    participant_ref = enrollment.user.participant_ref
    seq = ledger.next_change_seq()
    rated = has_rated(enrollment)
    values = {"certificate_id": certificate.id, "enrollment_id": enrollment.id,
              "user_id": enrollment.user_id, "course_id": enrollment.course_id,
              "participant_ref": participant_ref, "certificate_number": certificate.number,
              "course_slug": enrollment.course.slug, "completed_at": certificate.completed_at,
              "change_seq": seq, "created_at": now, "changed_at": now,
              "recovery_required": False}
    for is_first in (True, False):
        status, reason = rules.initial_status(is_first, rated)
        inserted = insert_unless_taken(EligibilityItem.__table__, {
            **values, "status": status, "reason": reason,
            "first_of_participant": participant_ref if is_first else None})
        item = item_of_certificate(certificate.id)
        if item is not None:
            if inserted:
                ledger.announce(item, actor, now)
            return item
    raise RuntimeError("the eligibility item could not be recorded")


def record_rating(enrollment: Enrollment, actor: User | None, now: datetime) -> None:
    """The learner rated: their first item waiting for the rating becomes eligible."""
    ledger.lock_ledger()  # before reading, so an item committed a moment ago is seen
    item = item_of_enrollment(enrollment.id)
    if item is None:
        return  # no certificate yet: the item will be created already rated
    change = rules.on_rating(item.status)
    if change is not None:
        ledger.apply(item, change, actor, now)


def record_revocation(certificate: Certificate, actor: User | None, now: datetime) -> None:
    """The certificate was revoked: its item is clawed back (recovery required if paid)."""
    ledger.lock_ledger()
    item = item_of_certificate(certificate.id)
    if item is None:
        return
    db.session.refresh(item)
    change = rules.on_revocation(item.status)
    if change is not None:
        ledger.apply(item, change, actor, now)


def get_item(actor: User, item_id: int) -> EligibilityItem:
    ensure_may_use_payer_api(actor)
    item = db.session.get(EligibilityItem, item_id)
    if item is None:
        raise EligibilityNotFound()
    return item


def _clean_payer_status(value: object) -> str:
    if not isinstance(value, str) or value not in rules.PAYER_STATUSES:
        raise InvalidStatus(field="status")
    return value


def _clean_reference(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_REFERENCE:
        raise InvalidReference(field="reference")
    return value.strip()


def report_payment(actor: User, item: EligibilityItem, status: object, reference: object,
                   now: datetime) -> EligibilityItem:
    """The payer reports an eligible item paid or rejected under its reference. The same
    report again changes nothing. Raises PayerOnly (403), InvalidStatus / InvalidReference
    (422) and StatusConflict (409) for any other change, naming the current status."""
    ensure_may_use_payer_api(actor)
    requested, reference_text = _clean_payer_status(status), _clean_reference(reference)
    ledger.lock_ledger()
    db.session.refresh(item)
    verdict = rules.payer_verdict(item.status, item.payer_reference, requested, reference_text)
    if verdict is rules.PayerVerdict.NO_OP:
        return item
    if verdict is rules.PayerVerdict.APPLY and ledger.apply(
            item, rules.Change(EligibilityStatus.ELIGIBLE, requested), actor, now,
            payer_reference=reference_text):
        return item
    raise StatusConflict(current_status=item.status, payer_reference=item.payer_reference)


def encode_cursor(change_seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{change_seq}".encode()).decode() \
        .rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor(field="cursor") from None
    number = text[len(_CURSOR_PREFIX):]
    if not text.startswith(_CURSOR_PREFIX) or not number.isdigit() or len(number) > 18:
        raise InvalidCursor(field="cursor")
    return int(number)


def clean_limit(value: str | None) -> int:
    """The page size a payer asked for, PAYER_PAGE when not given. Anything but a whole number
    from 1 to MAX_PAYER_PAGE is refused rather than replaced, so a payer's mistake shows."""
    if value is None:
        return PAYER_PAGE
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAYER_PAGE):
        raise InvalidLimit(field="limit")
    return int(value)


def clean_status_filter(value: str | None) -> str | None:
    if not value:
        return None
    if value not in EligibilityStatus.ALL:
        raise InvalidFilter(field="status")
    return value


@dataclass(frozen=True)
class PayerPage:
    items: list[EligibilityItem]
    next_cursor: str | None
    resume_cursor: str | None


def payer_page(actor: User, status: str | None, cursor: str | None,
               limit: int = PAYER_PAGE) -> PayerPage:
    """A page of items in change order after `cursor`. Every change moves an item to the end
    of that order, and change numbers grow in commit order, so walking it never skips or
    repeats an item within one status. `next_cursor` is None at the end; `resume_cursor`
    is where to poll from later for items that change afterwards."""
    ensure_may_use_payer_api(actor)
    wanted = clean_status_filter(status)
    after = decode_cursor(cursor)
    limit = max(1, min(limit, MAX_PAYER_PAGE))
    statement = select(EligibilityItem).where(EligibilityItem.change_seq > after)
    if wanted:
        statement = statement.where(EligibilityItem.status == wanted)
    items = list(db.session.scalars(statement.order_by(EligibilityItem.change_seq)
                                    .limit(limit + 1)))
    more = len(items) > limit
    items = items[:limit]
    last = encode_cursor(items[-1].change_seq) if items else cursor or None
    return PayerPage(items, last if more else None, last)


def counts_by_status(actor: User) -> dict[str, int]:
    permissions.ensure_admin(actor)
    counts = dict(db.session.execute(select(EligibilityItem.status, func.count())
                                     .group_by(EligibilityItem.status)).all())
    return {status: int(counts.get(status, 0)) for status in EligibilityStatus.ALL}


def _admin_statement(status: str | None, query: str):
    statement = select(EligibilityItem)
    if status:
        statement = statement.where(EligibilityItem.status == status)
    text = query.strip()[:80].replace("%", "").replace("_", "")
    if text:
        pattern = f"%{text}%"
        statement = statement.where(or_(EligibilityItem.participant_ref.ilike(pattern),
                                        EligibilityItem.certificate_number.ilike(pattern),
                                        EligibilityItem.course_slug.ilike(pattern)))
    return statement


def admin_items(actor: User, status: str | None, query: str, page: int, per_page: int):
    """The admin's filterable list, newest change first."""
    permissions.ensure_admin(actor)
    statement = _admin_statement(clean_status_filter(status), query)
    return db.paginate(statement.order_by(EligibilityItem.change_seq.desc()), page=page,
                       per_page=per_page, error_out=False)


def export_count(actor: User, status: str | None, query: str) -> int:
    permissions.ensure_admin(actor)
    statement = _admin_statement(clean_status_filter(status), query)
    return int(db.session.scalar(select(func.count()).select_from(statement.subquery())))


EXPORT_COLUMNS = ("eligibility_id", "participant_ref", "certificate_number", "course_slug",
                  "completed_at", "status", "reason", "recovery_required", "payer_reference",
                  "changed_at")


def export_csv(actor: User, status: str | None, query: str,
               batch: int = 5000) -> Iterator[bytes]:
    """Every matching item as a CSV row of EXPORT_COLUMNS, in id order, as chunks of UTF-8
    to stream. The caller is checked and the filters cleaned now; the rows are read as the
    returned iterator is consumed (while streaming), with memory flat however many rows."""
    permissions.ensure_admin(actor)
    statement = _admin_statement(clean_status_filter(status), query) \
        .with_only_columns(*_export_cells())
    if db.session.get_bind().dialect.name == "postgresql":
        return _copied(statement.order_by(EligibilityItem.id))
    return (chunk.encode() for chunk in csv_chunks(EXPORT_COLUMNS, _batches(statement, batch)))


def _export_cells() -> tuple:
    cells = (as_text_cell(EligibilityItem.participant_ref), EligibilityItem.certificate_number,
             EligibilityItem.course_slug, iso_utc(EligibilityItem.completed_at),
             EligibilityItem.status, EligibilityItem.reason,
             as_flag_cell(EligibilityItem.recovery_required),
             as_text_cell(EligibilityItem.payer_reference), iso_utc(EligibilityItem.changed_at))
    return (EligibilityItem.id.label(EXPORT_COLUMNS[0]),
            *(blank_as_null(cell).label(name) for cell, name in zip(cells, EXPORT_COLUMNS[1:])))


def _copied(statement: Select) -> Iterator[bytes]:
    # The connection is taken when streaming starts, as _batches does: the session's own.
    yield from copy_chunks(db.session.connection(), statement)


def _batches(statement, batch: int) -> Iterator[tuple]:
    # Executed on the connection (Core), not the ORM session: plain rows, no ORM loading.
    after = 0
    while True:
        rows = db.session.connection().execute(statement.where(EligibilityItem.id > after)
                                               .order_by(EligibilityItem.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def eligibility_status_of(enrollment: Enrollment) -> str:
    """The enrollment's eligibility status for its learner, "none" before any certificate."""
    status = db.session.scalar(select(EligibilityItem.status)
                               .where(EligibilityItem.enrollment_id == enrollment.id))
    return status or "none"


def incentive_of(enrollment: Enrollment) -> EligibilityItem | None:
    """For the learner's own dashboard: the item of this enrollment, if any."""
    return item_of_enrollment(enrollment.id)
