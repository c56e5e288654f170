"""The upload and status API the provider's upload page uses (also for scripts and apps).

Browser-direct uploads (S3): ask for a presigned form, post the file to the bucket, then call
`complete`. With the local store the first call answers `method: multipart` and the page
posts the file to the app instead. Either way, poll the asset until `ready` or `failed`.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from lms.api.json_body import json_object, text_field
from lms.api.openapi import BOOL, INT, NUM, STR, _json, _obj, op, register_paths
from lms.errors import Invalid
from lms.media import services
from lms.media.presenters import asset_status

bp = Blueprint("videos", __name__)


def _size_field(body: dict) -> int:
    value = body.get("size")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(_l("The field “size” must be the file's size in bytes."),
                      code="invalid_field", field="size")
    return value


@bp.post("/modules/<int:module_id>/video-uploads")
@login_required
def start_video_upload(module_id: int):
    module = services.get_video_module(current_user, module_id)
    body = json_object()
    filename = text_field(body, "filename", 255)
    size = _size_field(body)
    content_type = text_field(body, "content_type", 100, required=False)
    upload = services.start_direct_upload(current_user, module, filename, size, content_type)
    if upload is None:
        return jsonify({"method": "multipart", "max_bytes": services.upload_limit_bytes(),
                        "url": url_for("media.upload", module_id=module.id),
                        "field": "file"})
    return jsonify({"method": "s3_post", "asset_id": upload.asset.id, "url": upload.url,
                    "fields": upload.fields, "max_bytes": upload.max_bytes,
                    "complete_url": url_for(".complete_video_upload",
                                            asset_id=upload.asset.id)}), 201


@bp.post("/video-assets/<int:asset_id>/complete")
@login_required
def complete_video_upload(asset_id: int):
    asset = services.get_asset(current_user, asset_id)
    asset = services.complete_direct_upload(current_user, asset)
    return jsonify(asset_status(asset))


@bp.get("/video-assets/<int:asset_id>")
@login_required
def get_video_asset(asset_id: int):
    return jsonify(asset_status(services.get_asset(current_user, asset_id)))


ASSET = _obj(asset_id=INT, module_id=INT, status=STR, progress_percent=INT, error_code=STR,
             error_message=STR, error_detail=STR, retrying=BOOL, duration_seconds=NUM,
             renditions={"type": "array", "items": _obj(name=STR, width=INT, height=INT,
                                                          bandwidth=INT, codecs=STR,
                                                          segment_count=INT)},
             captions={"type": "array", "items": STR}, status_url=STR)

register_paths({
    "/api/v1/modules/{module_id}/video-uploads": {"post": op(
        "Start uploading a module's source video (provider staff)",
        {200: {"description": "the local store: post the file as multipart `file` to `url`",
               **_json(_obj(method=STR, url=STR, field=STR, max_bytes=INT))},
         201: {"description": "S3: post `fields` and the file to `url`, then call "
                              "`complete_url`",
               **_json(_obj(method=STR, asset_id=INT, url=STR, fields={"type": "object"},
                            max_bytes=INT, complete_url=STR))},
         400: "malformed_json", 401: "unauthorized", 404: "module_not_found",
         409: "not_a_video_module", 413: "too_large",
         422: "missing_field | invalid_field | empty_file"},
        body=_obj(filename=STR, size=INT, content_type=STR), params=("module_id",))},
    "/api/v1/video-assets/{asset_id}/complete": {"post": op(
        "Check a source posted straight to the bucket and queue its transcoding",
        {200: {"description": "the asset", **_json(ASSET)}, 401: "unauthorized",
         404: "video_not_found", 409: "upload_not_received", 413: "too_large",
         422: "empty_file | not_media | image_not_video | truncated | no_video_stream | "
              "no_duration"},
        params=("asset_id",))},
    "/api/v1/video-assets/{asset_id}": {"get": op(
        "A video's status: uploaded, processing (with percent), ready or failed",
        {200: {"description": "the asset", **_json(ASSET)}, 401: "unauthorized",
         404: "video_not_found"},
        params=("asset_id",))},
})

