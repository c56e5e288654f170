"""Editing a published course while a learner is mid-course: the learner keeps the modules,
videos and quiz settings of the version they enrolled in; new learners get the new version."""
from __future__ import annotations

from sqlalchemy import select

from lms.assessments import authoring
from lms.assessments.models import QuizSettings
from lms.catalog import review, services
from lms.catalog.models import CourseStatus, ModuleKind
from lms.catalog.versions import draft_version
from lms.extensions import db
from lms.learning import services as learning
from lms.media.services import playable_asset as ready_asset
from tests import factories, factories_assessments as fa, factories_media as fm


def _settings(module):
    return db.session.scalar(select(QuizSettings).where(QuizSettings.module_id == module.id))


def test_a_draft_starts_as_a_copy_of_the_published_version(app):
    course = fa.full_course(kinds=("quiz", "video", "reading", "quiz", "assignment"))
    published = course.current_version
    video = published.modules[1]
    asset = fm.ready_video(video, seconds=6, captions=())
    draft = draft_version(course)
    db.session.commit()
    assert draft.number == published.number + 1 and draft.status == CourseStatus.DRAFT
    assert [(m.kind, m.title, m.position) for m in draft.modules] == \
        [(m.kind, m.title, m.position) for m in published.modules]
    assert draft.modules[2].body == published.modules[2].body
    assert _settings(draft.modules[0]).role == "pretest"
    assert _settings(draft.modules[3]).attempts_allowed == _settings(published.modules[3]).attempts_allowed
    assert ready_asset(draft.modules[1]).id == asset.id  # the video is referenced, not copied
    assert draft_version(course) is draft  # asked again: the same draft


def test_edit_and_republish_while_a_learner_is_mid_course(app):
    course = fa.full_course(kinds=("quiz", "video", "reading", "quiz", "assignment"))
    v1 = course.current_version
    old_asset = fm.ready_video(v1.modules[1], seconds=6, captions=())
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    factories.complete_module(enrollment, 1)
    before = [(m.id, m.title, m.position) for m in enrollment.version.modules]
    post_settings = _settings(v1.modules[3])
    old_attempts = post_settings.attempts_allowed

    app.config["SPL_MIN_VIDEO_HOURS"] = 0.001  # 3.6 s: these clips are short
    staff = factories.staff(course.provider)
    draft = services.open_draft(staff, course)
    db.session.commit()
    new_video = draft.modules[1]
    new_asset = fm.ready_video(new_video, seconds=8, captions=())
    services.update_module(staff, draft.modules[2], "Bacaan yang diperbarui", True,
                           "<p>Baru</p>", None)
    authoring.configure_quiz(staff, draft.modules[3], _settings(draft.modules[3]).bank,
                             role="posttest", pass_percent=90, attempts_allowed=1)
    services.move_module(staff, draft.modules[2], -1)
    db.session.commit()
    review.submit(staff, course)
    review.decide(factories.admin(), course, "approve", "")
    db.session.commit()

    assert course.current_version.number == 2
    db.session.expire_all()
    assert [(m.id, m.title, m.position) for m in enrollment.version.modules] == before
    assert ready_asset(enrollment.version.modules[1]).id == old_asset.id
    assert _settings(enrollment.version.modules[3]).attempts_allowed == old_attempts
    assert _settings(enrollment.version.modules[3]).pass_percent == post_settings.pass_percent

    newcomer = factories.learner()
    code = factories.code(course)
    fresh = learning.redeem_code(newcomer, code.code)
    db.session.commit()
    assert fresh.version.number == 2
    video = next(m for m in fresh.version.modules if m.kind == ModuleKind.VIDEO)
    assert ready_asset(video).id == new_asset.id

    # A later replacement in the next draft reaches neither version's learners.
    services.open_draft(staff, course)
    db.session.commit()
    third = course.versions[-1]
    fm.ready_video(next(m for m in third.modules if m.kind == ModuleKind.VIDEO), seconds=4,
                   captions=())
    db.session.expire_all()
    assert ready_asset(video).id == new_asset.id
    assert ready_asset(enrollment.version.modules[1]).id == old_asset.id


def test_finish_within_days_sets_the_deadline_at_redeem(app, clock):
    course = factories.course()
    course.finish_within_days = 14
    db.session.commit()
    enrollment = learning.redeem_code(factories.learner(), factories.code(course).code)
    assert (enrollment.finish_by - enrollment.enrolled_at).days == 14
