"""Media delivery under a playback session: playlists, segments, poster and captions.

`/media/sessions/<id>/master.m3u8` and every URI inside it. Browsers send their session
cookie, apps their bearer token. Bytes come from local storage (served here) or S3 (a redirect
to a short-lived presigned URL); `lms.pacing.segment_gate` decides what may be served.
"""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, send_file
from flask_login import current_user, login_required

from lms.media.storage import NotFound as StoredObjectMissing
from lms.media.storage import current_storage, guess_content_type
from lms.pacing import segment_gate
from lms.pacing.errors import MediaNotFound
from lms.security import request_caller
from lms.transactions import delivers_evidence

bp = Blueprint("media_gate", __name__, url_prefix="/media/sessions")

PLAYLIST_MAX_AGE = 60
STATIC_MAX_AGE = 3600




def _send(key: str, *, ranges: bool = True, max_age: int = STATIC_MAX_AGE):
    """Serve a stored object. Raises MediaNotFound when nothing is stored under `key`.

    `ranges=False` (segments) always answers the whole object: a 304 or a one-byte range
    would let a client "receive" a segment without its bytes.
    """
    storage = current_storage()
    url = storage.presigned_get(key, expires=current_app.config["PACING_PRESIGN_SECONDS"])
    if url:
        response = redirect(url, 302)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    mimetype = guess_content_type(key)
    try:
        path_for = getattr(storage, "path_for", None)
        if path_for is not None:
            path = path_for(key)
            if not path.is_file():
                raise StoredObjectMissing(key)
            source = path
        else:
            source = storage.open(key)
    except StoredObjectMissing:
        raise MediaNotFound() from None
    response = send_file(source, mimetype=mimetype, conditional=ranges, etag=ranges,
                         max_age=max_age)
    response.headers["Cache-Control"] = f"private, max-age={max_age}"
    return response


@bp.get("/<int:session_id>/master.m3u8")
@login_required
def master(session_id: int):
    return _send(segment_gate.playlist_key(current_user, session_id), max_age=PLAYLIST_MAX_AGE)


@bp.get("/<int:session_id>/<rendition>/index.m3u8")
@login_required
def rendition_playlist(session_id: int, rendition: str):
    return _send(segment_gate.playlist_key(current_user, session_id, rendition),
                 max_age=PLAYLIST_MAX_AGE)


@bp.get("/<int:session_id>/<rendition>/seg_<int(fixed_digits=5):index>.ts")
@delivers_evidence
def segment(session_id: int, rendition: str, index: int):
    # No login_required: the caller's claim is checked in the query that locks the session.
    grant = segment_gate.grant_segment(request_caller(), session_id, rendition, index,
                                   deliver=request.method == "GET")
    # Open the bytes before committing, so a missing file records no delivery.
    response = _send(grant.key, ranges=False) if grant.key else None
    if grant.error is not None:
        # A refused segment's evidence is kept too.
        raise grant.error.keeping_changes()
    return response


@bp.get("/<int:session_id>/poster.jpg")
@login_required
def poster(session_id: int):
    return _send(segment_gate.poster_key(current_user, session_id))


@bp.get("/<int:session_id>/captions/<language>.vtt")
@login_required
def caption(session_id: int, language: str):
    return _send(segment_gate.caption_key(current_user, session_id, language))
