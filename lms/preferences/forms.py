from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

DATA_SAVER_CHOICES = [("off", _l("Off: the best quality my connection allows")),
                      ("360", _l("On: at most 360p (about a third of the data of 720p)")),
                      ("240", _l("Strong: at most 240p (the least data)"))]


class DataSaverForm(FlaskForm):
    data_saver = RadioField(_l("Hemat kuota (data saver)"), choices=DATA_SAVER_CHOICES,
                            default="off", validators=[InputRequired()])

    @staticmethod
    def height_of(value: str | None) -> int | None:
        return int(value) if value in ("360", "240") else None

    @staticmethod
    def value_of(height: int | None) -> str:
        return str(height) if height else "off"
