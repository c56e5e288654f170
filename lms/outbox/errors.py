"""The outbox's refusals: each with its machine code and a sentence in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, NotFound


class MessageNotFound(NotFound):
    code = "message_not_found"
    default_message = _l("No such message.")


class AlreadyDelivered(Conflict):
    code = "already_delivered"
    default_message = _l("This message was already delivered.")
