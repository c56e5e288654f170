from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from lms.reviews.services import MAX_REVIEW, MIN_REVIEW

STAR_CHOICES = [(n, str(n)) for n in range(1, 6)]


class RatingForm(FlaskForm):
    stars = RadioField(_l("Your rating"), choices=STAR_CHOICES, coerce=int, validators=[
        InputRequired(_l("Choose from 1 to 5 stars."))])
    review = TextAreaField(_l("Your review"), validators=[
        DataRequired(_l("Write a short review.")),
        Length(min=MIN_REVIEW, max=MAX_REVIEW,
               message=_l("Write between %(min)d and %(max)d characters."))])
