from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from lms.media.caption_tracks import LANGUAGE_NAMES


class VideoUploadForm(FlaskForm):
    # Checked by the service (probe, size), which explains every refusal itself.
    file = FileField(_l("Video file (MP4, MOV, MKV or WebM)"))


class CaptionForm(FlaskForm):
    language = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    file = FileField(_l("WebVTT caption file (.vtt)"))


class ConfirmForm(FlaskForm):
    """The confirmation page's button: a post without it deletes nothing."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])
