"""Access rows for the provider studio (staff of the course's provider and admins; learners
are told the pages are not theirs, staff of another provider that the course does not
exist), redeem codes, analytics and the admins' review queue."""
from __future__ import annotations

import hashlib
import io

from sqlalchemy import select

from lms.catalog import reading_images
from lms.catalog.models import Course, ModuleKind
from lms.media.storage import current_storage
from tests import factories
from lms.extensions import db
from tests.access.matrix import UNAUTH, Case, signed_in


def extend_world(world: dict) -> None:
    draft = db.session.scalar(select(Course).where(Course.slug == world["draft_slug"]))
    world.update(course_id=world["course"].id, draft_course_id=draft.id,
                 draft_module_id=draft.versions[-1].modules[0].id,
                 code_id=factories.code(world["course"]).id,
                 reading_image=_image_in_reading(world["course"]))


def _image_in_reading(course: Course) -> str:
    """An image shown by the published course's reading, which both learners are enrolled in;
    the bytes need not be a real image, since only serving is tried here."""
    data = b"GIF89a matrix"
    name = f"{hashlib.sha256(data).hexdigest()}.gif"
    current_storage().save(reading_images.PREFIX + name, io.BytesIO(data))
    reading = next(m for m in course.current_version.modules if m.kind == ModuleKind.READING)
    reading.body += f'<img src="{reading_images.src_for(course.id, name)}" alt="">'
    db.session.commit()
    return reading_images.src_for(course.id, name)


def studio(status: int) -> dict[str, int]:
    return signed_in(404, learner=403, other_learner=403, staff=status, admin=status)


def staff_pages(status: int) -> dict[str, int]:
    return signed_in(403, staff=status, other_staff=status, admin=status)


def admins(status: int) -> dict[str, int]:
    return signed_in(403, admin=status)


CASES = [
    Case("studio.new_course", "GET", "/provider/courses/new", staff_pages(200)),
    Case("studio.new_course", "POST", "/provider/courses/new", staff_pages(422), data={}),
    Case("studio.course", "GET", "/provider/courses/{draft_course_id}", studio(200)),
    Case("studio.edit_course", "GET", "/provider/courses/{draft_course_id}/edit", studio(200)),
    Case("studio.edit_course", "POST", "/provider/courses/{draft_course_id}/edit", studio(422),
         data={}),
    Case("studio.open_draft", "POST", "/provider/courses/{course_id}/draft", studio(302),
         data={}),
    Case("studio.add_module", "POST", "/provider/courses/{draft_course_id}/modules",
         studio(422), data={}),
    Case("studio.edit_module", "GET", "/provider/modules/{draft_module_id}/edit", studio(200)),
    Case("studio.edit_module", "POST", "/provider/modules/{draft_module_id}/edit", studio(422),
         data={}),
    Case("studio.delete_module", "GET", "/provider/modules/{draft_module_id}/delete",
         studio(200)),
    Case("studio.delete_module", "POST", "/provider/modules/{draft_module_id}/delete",
         studio(422), data={}),
    Case("studio.move_module", "POST", "/provider/modules/{draft_module_id}/move", studio(422),
         data={}),
    Case("studio.reorder", "POST", "/provider/courses/{draft_course_id}/order", studio(422),
         json={}),
    Case("studio.preview_module", "GET", "/provider/modules/{draft_module_id}/preview",
         studio(200)),
    Case("studio.preview_media", "GET",
         "/provider/video-assets/{media_asset_id}/preview/master.m3u8", studio(404)),
    Case("studio.submit_for_review", "POST",
         "/provider/courses/{draft_course_id}/review-requests", studio(422), data={}),
    Case("studio.add_reading_image", "POST", "/provider/modules/{draft_module_id}/images",
         studio(422), data={}),
    Case("catalog.reading_image", "GET", "{reading_image}",
         signed_in(200, anonymous=404, other_staff=404)),
    Case("studio.cover", "GET", "/provider/courses/{draft_course_id}/cover", studio(404)),
    Case("codes.codes", "GET", "/provider/courses/{course_id}/codes", studio(200)),
    Case("codes.generate", "POST", "/provider/courses/{course_id}/codes", studio(422),
         data={}),
    Case("codes.download", "GET", "/provider/courses/{course_id}/codes.csv", studio(200)),
    Case("codes.cancel", "GET", "/provider/codes/{code_id}/cancel", studio(200)),
    Case("codes.cancel", "POST", "/provider/codes/{code_id}/cancel", studio(422), data={}),
    Case("codes.cancel_transaction", "GET", "/provider/codes/{code_id}/cancel-transaction",
         studio(200)),
    Case("codes.cancel_transaction", "POST", "/provider/codes/{code_id}/cancel-transaction",
         studio(422), data={}),
    Case("studio_analytics.analytics_page", "GET", "/provider/courses/{course_id}/analytics",
         studio(200)),
    Case("studio_analytics.analytics_csv", "GET", "/provider/courses/{course_id}/analytics.csv",
         studio(200)),
    Case("course_review.queue", "GET", "/admin/reviews", admins(200)),
    Case("course_review.detail", "GET", "/admin/reviews/{draft_course_id}", admins(200)),
    Case("course_review.decide", "POST", "/admin/reviews/{draft_course_id}", admins(422),
         data={}),
]

API_STUDIO = signed_in(404, anonymous=UNAUTH, learner=403, other_learner=403, staff=422,
                       admin=422)

CASES += [
    Case("api.studio_api.import_package", "POST", "/api/v1/course-packages",
         signed_in(403, anonymous=UNAUTH, staff=422, other_staff=422, admin=422), data={}),
    Case("api.studio_api.export_package", "GET", "/api/v1/courses/{draft_course_id}/package",
         signed_in(404, anonymous=UNAUTH, learner=403, other_learner=403, staff=200,
                   admin=200)),
    Case("api.studio_api.request_review", "POST",
         "/api/v1/courses/{draft_course_id}/review-requests", API_STUDIO, json={}),
    Case("api.studio_api.decide", "POST", "/api/v1/courses/{draft_course_id}/decision",
         signed_in(403, anonymous=UNAUTH, other_staff=404, admin=422),
         json={"decision": "maybe"}),
    Case("api.studio_api.grade", "POST", "/api/v1/submissions/999999/grade",
         signed_in(403, anonymous=UNAUTH, staff=404, other_staff=404),
         json={"decision": "pass", "feedback": "ok"}),
]
