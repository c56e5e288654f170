"""The provider studio's pages: a course's details and cover, its modules (add, edit, move,
reorder, delete, preview), and "Submit for review" with its checklist.

Handlers parse, load (404 for what the caller may not see), call one service and answer;
lms.transactions commits what an answer below 400 did.
"""
from __future__ import annotations

import re

from flask import (Blueprint, abort, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.catalog import covers, preview, reading_images, review, services
from lms.catalog.errors import CourseIncomplete
from lms.catalog.forms import AddModuleForm, ConfirmForm, CourseForm, ModuleForm, MoveForm
from lms.catalog.models import Course, Module, ModuleKind
from lms.errors import AlurError, Invalid
from lms.media.storage import current_storage
from lms.media import services as media
from lms.transactions import discard_changes
from lms.permissions import catalog as rules

bp = Blueprint("studio", __name__, url_prefix="/provider")

HLS_NAME = re.compile(r"^(?:[a-z0-9_]{1,20}/)?[a-z0-9_]{1,40}\.(?:m3u8|ts|jpg|vtt)$")


@bp.before_request
@login_required
def require_staff():
    rules.ensure_staff(current_user)


def _details(form: CourseForm) -> services.CourseDetails:
    return services.CourseDetails(
        title=form.title.data or "", description=form.description.data or "",
        language=form.language.data, training_type=form.training_type.data,
        finish_within_days=form.finish_within_days.data,
        programme_course_code=form.programme_course_code.data or None)


def _refuse(form, error: AlurError) -> int:
    discard_changes()
    field = getattr(form, error.extra.get("field", ""), None)
    (field.errors if field is not None else form.form_errors).append(str(error.message))
    return error.status


def _cover(form: CourseForm, course: Course) -> None:
    upload = form.cover.data
    if upload and getattr(upload, "filename", ""):
        covers.set_cover(current_user, course, upload.stream)


@bp.route("/courses/new", methods=["GET", "POST"])
def new_course():
    form = CourseForm()
    status = 200
    if form.validate_on_submit():
        try:
            if current_user.provider is None:
                raise Invalid(_("Only staff of a training provider create courses."),
                              code="no_provider")
            course = services.create_course(current_user, current_user.provider, None,
                                            **_details(form).__dict__)
            _cover(form, course)
        except AlurError as error:
            status = _refuse(form, error)
        else:
            flash(_("The course “%(title)s” was created. Add its modules now.",
                    title=course.title), "success")
            return redirect(url_for(".course", course_id=course.id))
    elif form.is_submitted():
        status = 422
    return render_template("studio/course_form.html", form=form, course=None), status


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def edit_course(course_id: int):
    course = services.get_course(current_user, course_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.update_course(current_user, course, _details(form))
            _cover(form, course)
        except AlurError as error:
            status = _refuse(form, error)
        else:
            flash(_("The course details were saved."), "success")
            return redirect(url_for(".course", course_id=course.id))
    elif form.is_submitted():
        status = 422
    return render_template("studio/course_form.html", form=form, course=course), status


def _course_page(course: Course, add_form: AddModuleForm | None = None, status: int = 200,
                 problems: list | None = None):
    version = course.versions[-1]
    return render_template(
        "studio/course.html", course=course, version=version,
        state=review.course_state(course), checklist=review.checklist_for(course),
        rows=preview.module_rows(version), history=review.history(course),
        add_form=add_form or AddModuleForm(formdata=None), move_form=MoveForm(formdata=None),
        confirm=ConfirmForm(formdata=None), editable=rules.may_edit(version),
        refused=problems), status


@bp.get("/courses/<int:course_id>")
def course(course_id: int):
    return _course_page(services.get_course(current_user, course_id))


@bp.post("/courses/<int:course_id>/draft")
def open_draft(course_id: int):
    course_obj = services.get_course(current_user, course_id)
    version = services.open_draft(current_user, course_obj)
    flash(_("Version %(n)d is open for editing. Learners keep studying the published version "
            "until this one is approved.", n=version.number), "success")
    return redirect(url_for(".course", course_id=course_obj.id))


@bp.post("/courses/<int:course_id>/modules")
def add_module(course_id: int):
    course_obj = services.get_course(current_user, course_id)
    form = AddModuleForm()
    if not form.validate_on_submit():
        return _course_page(course_obj, form, 422)
    try:
        module = services.add_module(current_user, course_obj, form.kind.data, form.title.data,
                                     required=form.required.data)
    except AlurError as error:
        return _course_page(course_obj, form, _refuse(form, error))
    flash(_("“%(title)s” was added.", title=module.title), "success")
    return redirect(_setup_url(module))


def _setup_url(module: Module) -> str:
    """Where a new module is set up: its video, quiz settings, skill task or text."""
    return {ModuleKind.VIDEO: url_for("media.video", module_id=module.id),
            ModuleKind.QUIZ: url_for("authoring.quiz", module_id=module.id),
            ModuleKind.ASSIGNMENT: url_for("authoring.skill_task", module_id=module.id),
            }.get(module.kind, url_for(".edit_module", module_id=module.id))


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
def edit_module(module_id: int):
    module = services.get_module(current_user, module_id)
    form = ModuleForm(obj=module) if request.method == "GET" else ModuleForm()
    status = 200
    if request.method == "POST":
        rules.ensure_may_edit(module.version)
    if form.validate_on_submit():
        try:
            services.update_module(current_user, module, form.title.data,
                                   form.required.data, form.body.data,
                                   form.min_dwell_seconds.data)
        except AlurError as error:
            status = _refuse(form, error)
        else:
            flash(_("“%(title)s” was saved.", title=module.title), "success")
            return redirect(url_for(".course", course_id=module.course.id,
                                    _anchor=f"module-{module.id}"))
    elif form.is_submitted():
        status = 422
    return render_template("studio/module_form.html", form=form, module=module,
                           course=module.course, setup_url=_setup_url(module)), status


@bp.post("/modules/<int:module_id>/images")
def add_reading_image(module_id: int):
    """The reading editor's image button: multipart `image`, answered with the src to put in
    the text."""
    module = services.get_module(current_user, module_id)
    upload = request.files.get("image")
    try:
        if upload is None or not upload.filename:
            raise Invalid(_("Choose an image to upload."), code="invalid_image", field="image")
        src = reading_images.add_image(current_user, module, upload.stream)
    except AlurError as error:
        # The editor's script shows the sentence, so the refusal comes as JSON, not a page.
        discard_changes()
        return jsonify(error.payload()), error.status
    return jsonify(src=src), 201


@bp.route("/modules/<int:module_id>/delete", methods=["GET", "POST"])
def delete_module(module_id: int):
    module = services.get_module(current_user, module_id)
    rules.ensure_may_edit(module.version)
    form = ConfirmForm()
    if form.validate_on_submit():
        course_id = module.course.id
        title = module.title
        services.delete_module(current_user, module)
        flash(_("“%(title)s” was deleted.", title=title), "success")
        return redirect(url_for(".course", course_id=course_id))
    return render_template("studio/module_delete.html", module=module, course=module.course,
                           form=form), 422 if form.is_submitted() else 200


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/modules/<int:module_id>/move")
def move_module(module_id: int):
    module = services.get_module(current_user, module_id)
    form = MoveForm()
    if not form.validate_on_submit():
        raise Invalid(_("Move a module up or down."), code="invalid_move")
    services.move_module(current_user, module, -1 if form.direction.data == "up" else 1)
    message = _("“%(title)s” moved to position %(n)d of %(total)d.", title=module.title,
                n=module.position, total=len(module.version.modules))
    if _wants_json():
        return jsonify(order=[m.id for m in module.version.modules], message=message)
    flash(message, "success")
    return redirect(url_for(".course", course_id=module.course.id,
                            _anchor=f"module-{module.id}"))


@bp.post("/courses/<int:course_id>/order")
def reorder(course_id: int):
    course_obj = services.get_course(current_user, course_id)
    body = request.get_json(silent=True) or {}
    ids = body.get("order") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                            for i in ids):
        raise Invalid(_("Send the modules' ids in their new order."), code="invalid_order")
    version = services.reorder_modules(current_user, course_obj, ids)
    return jsonify(order=[m.id for m in version.modules], message=_("The new order was saved."))


@bp.get("/modules/<int:module_id>/preview")
def preview_module(module_id: int):
    module = services.get_module(current_user, module_id)
    return render_template("studio/preview.html", module=module, course=module.course,
                           view=preview.module_preview(module))


@bp.get("/video-assets/<int:asset_id>/preview/<path:name>")
def preview_media(asset_id: int, name: str):
    asset = media.get_asset(current_user, asset_id)
    if not HLS_NAME.match(name) or not asset.is_ready:
        abort(404)
    try:
        stream = current_storage().open(f"{asset.hls_prefix}/{name}")
    except Exception:  # a missing object in any backend: the preview has nothing to show
        abort(404)
    mimetype = {"m3u8": "application/vnd.apple.mpegurl", "ts": "video/mp2t",
                "jpg": "image/jpeg", "vtt": "text/vtt"}[name.rsplit(".", 1)[1]]
    response = send_file(stream, mimetype=mimetype, conditional=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/courses/<int:course_id>/review-requests")
def submit_for_review(course_id: int):
    course_obj = services.get_course(current_user, course_id)
    try:
        review.submit(current_user, course_obj)
    except CourseIncomplete as error:
        discard_changes()
        return _course_page(course_obj, status=422, problems=error.extra["problems"])
    flash(_("The course was sent to the programme's review. You will see the decision here."),
          "success")
    return redirect(url_for(".course", course_id=course_obj.id))


@bp.get("/courses/<int:course_id>/cover")
def cover(course_id: int):
    course_obj = services.get_course(current_user, course_id)
    if not course_obj.cover_key:
        abort(404)
    return send_file(current_storage().open(course_obj.cover_key),
                     mimetype=covers.content_type(course_obj.cover_key), max_age=300)
