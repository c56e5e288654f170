"""The admins' side of programme calls: the outbox messages bound for the programme with each
one's last error, asking for a waiting one to be tried again (audited), and the file a signed
link names."""
from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from flask import current_app

from lms import permissions
from lms.accounts.models import User
from lms.assessments import skills
from lms.assessments.models import SkillSubmission
from lms.extensions import db
from lms.outbox import services as outbox
from lms.outbox.errors import MessageNotFound
from lms.outbox.models import OutboxEvent
from lms.programme import outbound
from lms.programme.errors import FileLinkInvalid


def page(user: User, number: int, state: str):
    permissions.ensure_admin(user)
    return outbox.messages(user, state, number, int(current_app.config.get("PAGE_SIZE", 20)),
                           destination=outbound.DESTINATION)


def counts(user: User) -> dict[str, int]:
    return outbox.counts(user, destination=outbound.DESTINATION)


def retry(user: User, message_id: int, now: datetime) -> OutboxEvent:
    """Raises Forbidden for non-admins, NotFound for a message that is not the programme's and
    Conflict for one already delivered. The call is tried again right after the commit."""
    event = outbox.get_message(user, message_id)
    if event.destination != outbound.DESTINATION:
        raise MessageNotFound()
    outbox.retry_now(user, event, now)
    outbound.request_delivery()
    return event


def file_for_link(submission_id: int) -> tuple[BinaryIO, str, str]:
    submission = db.session.get(SkillSubmission, submission_id)
    if submission is None:
        raise FileLinkInvalid()
    return skills.open_file(submission)
