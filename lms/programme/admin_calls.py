"""The admins' side of programme calls: the list with each call's last error, asking for a
pending one to be tried again (audited), and the file a signed link names."""
from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from flask import current_app

from lms import permissions
from lms.accounts.models import User
from lms.admin import audit
from lms.assessments import skills
from lms.assessments.models import SkillSubmission
from lms.errors import NotFound
from lms.extensions import db
from lms.programme import outbound
from lms.programme.errors import FileLinkInvalid
from lms.programme.models import ProgrammeCall


def page(user: User, number: int, status: str | None):
    permissions.ensure_admin(user)
    return outbound.calls_page(number, int(current_app.config.get("PAGE_SIZE", 20)), status)


def retry(user: User, call_id: int, now: datetime) -> ProgrammeCall:
    """Raises Forbidden for non-admins and NotFound for an unknown call."""
    permissions.ensure_admin(user)
    row = db.session.get(ProgrammeCall, call_id)
    if row is None:
        raise NotFound()
    outbound.retry_now(row, now)
    audit.record(user, "programme_call.retry", "programme_call", row.id, kind=row.kind)
    return row


def file_for_link(submission_id: int) -> tuple[BinaryIO, str, str]:
    submission = db.session.get(SkillSubmission, submission_id)
    if submission is None:
        raise FileLinkInvalid()
    return skills.open_file(submission)
