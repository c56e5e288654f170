from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class RedeemForm(FlaskForm):
    code = StringField(_l("Redeem code"), validators=[
        DataRequired(_l("Enter the redeem code you received.")),
        Length(max=64, message=_l("A redeem code has at most 64 characters."))])
    course_slug = HiddenField()
