from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.verification.rules import REASON_MAX_CHARS


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[
        ("verified", _l("Verify: the evidence shows real study; the certificate is issued")),
        ("rejected", _l("Reject: no certificate for this completion, ever"))],
        validators=[DataRequired(_l("Choose verify or reject."))])
    reason = TextAreaField(_l("Reason (kept in the audit log; a rejected learner reads it)"),
                           validators=[DataRequired(_l("Give the reason for the decision.")),
                                       Length(max=REASON_MAX_CHARS)])
    confirm = BooleanField(_l("I have looked at the evidence; this decision is final."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
