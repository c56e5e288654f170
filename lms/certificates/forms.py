from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.certificates.rules import MAX_REASON, MIN_REASON


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown publicly on the verification page)"), validators=[
        DataRequired(_l("Give the reason for revoking.")),
        Length(min=MIN_REASON, max=MAX_REASON,
               message=_l("Write between %(min)d and %(max)d characters."))])
    confirm = BooleanField(_l("I understand that revoking cannot be undone."), validators=[
        DataRequired(_l("Tick the box to confirm."))])
