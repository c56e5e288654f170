"""Provider pages for a video module: upload (with progress), status, captions, clean-up.

The upload form works without JavaScript (a plain multipart post answered with a page); the
page's script (static/js/upload.js) posts the same form with progress, or straight to the
bucket with S3, and asks for JSON, then polls the asset's status.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from lms.catalog.models import Module
from lms.errors import AlurError
from lms.media import caption_tracks, errors, rules, services
from lms.media.forms import CaptionForm, ConfirmForm, VideoUploadForm
from lms.media.models import VideoAsset
from lms.media.presenters import asset_status, status_label
from lms.transactions import discard_changes

bp = Blueprint("media", __name__)


@bp.app_template_global()
def video_status_label(status: str) -> str:
    return status_label(status)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    # Raised while the body is read (by the CSRF check), before any view code runs.
    refusal = errors.VideoTooLarge(services.upload_limit_mb())
    discard_changes()
    if _wants_json():
        return jsonify(refusal.payload()), 413
    module = services.managed_video_module(current_user, (request.view_args or {}).get("module_id"))
    if module is None:
        return render_template("errors/generic.html", status=413, code=refusal.code,
                               message=str(refusal.message), extra={}), 413
    form = VideoUploadForm(formdata=None)
    form.file.errors = [str(refusal.message)]
    return _page(module, upload_form=form, status=413)


def _page(module: Module, upload_form: VideoUploadForm | None = None,
          caption_form: CaptionForm | None = None, status: int = 200):
    assets = services.module_assets(module)
    return render_template(
        "media/video.html", module=module, course=module.course, assets=assets,
        statuses={a.id: asset_status(a) for a in assets},
        playable=services.playable_asset(module), caption_target=services.caption_target(module),
        upload_form=upload_form or VideoUploadForm(formdata=None),
        caption_form=caption_form or CaptionForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        direct=services.direct_uploads_supported(), max_mb=services.upload_limit_mb(),
        may_delete=rules.may_delete_asset, may_retry=rules.may_retry_asset), status


@bp.get("/provider/modules/<int:module_id>/video")
@login_required
def video(module_id: int):
    return _page(services.get_video_module(current_user, module_id))


@bp.post("/provider/modules/<int:module_id>/video")
@login_required
def upload(module_id: int):
    module = services.get_video_module(current_user, module_id)
    form = VideoUploadForm()
    upload_file = request.files.get("file")
    try:
        asset = services.receive_upload(current_user, module,
                                        upload_file.filename if upload_file else None,
                                        upload_file.stream if upload_file else None)
    except AlurError as error:
        discard_changes()
        if _wants_json():
            return jsonify(error.payload()), error.status
        form.file.errors = [str(error.message)]
        return _page(module, upload_form=form, status=error.status)
    if _wants_json():
        return jsonify(asset_status(asset)), 201
    flash(_("The video was uploaded. It is being converted; this page shows when it is "
            "ready."), "success")
    return redirect(url_for(".video", module_id=module.id))


@bp.post("/provider/video-assets/<int:asset_id>/captions")
@login_required
def upload_captions(asset_id: int):
    asset = services.get_asset(current_user, asset_id)
    form = CaptionForm()
    upload_file = request.files.get("file")
    status = 422
    if form.validate_on_submit():
        try:
            caption = caption_tracks.store_captions(
                current_user, asset, form.language.data,
                upload_file.stream if upload_file and upload_file.filename else None)
        except AlurError as error:
            discard_changes()
            form.file.errors = [str(error.message)]
            status = error.status
        else:
            flash(_("Captions (%(language)s) saved.",
                    language=caption_tracks.LANGUAGE_NAMES[caption.language]), "success")
            return redirect(url_for(".video", module_id=asset.module_id))
    return _page(asset.module, caption_form=form, status=status)


@bp.post("/provider/video-assets/<int:asset_id>/retry")
@login_required
def retry(asset_id: int):
    asset = services.retry_asset(current_user, services.get_asset(current_user, asset_id))
    flash(_("The conversion will be tried again."), "success")
    return redirect(url_for(".video", module_id=asset.module_id))


@bp.route("/provider/video-assets/<int:asset_id>/delete", methods=["GET", "POST"])
@login_required
def delete(asset_id: int):
    asset: VideoAsset = services.get_asset(current_user, asset_id)
    rules.ensure_may_delete_asset(asset)
    form = ConfirmForm()
    if form.validate_on_submit():
        module_id = asset.module_id
        services.delete_asset(current_user, asset)
        flash(_("The upload was deleted."), "success")
        return redirect(url_for(".video", module_id=module_id))
    return render_template("media/confirm_delete.html", asset=asset, caption=None,
                           module=asset.module, form=form), 422 if form.is_submitted() else 200


@bp.route("/provider/captions/<int:caption_id>/delete", methods=["GET", "POST"])
@login_required
def delete_captions(caption_id: int):
    caption = caption_tracks.get_caption(current_user, caption_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        module_id = caption.asset.module_id
        caption_tracks.delete_captions(current_user, caption)
        flash(_("The captions were deleted."), "success")
        return redirect(url_for(".video", module_id=module_id))
    return render_template("media/confirm_delete.html", asset=caption.asset, caption=caption,
                           module=caption.asset.module, form=form), \
        422 if form.is_submitted() else 200
