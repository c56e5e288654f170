"""The cast of the access matrix: two providers with staff, two learners, an admin, and a
published course of provider A that the learner (not the other learner) is enrolled in."""
from __future__ import annotations

from tests import factories


def build_world() -> dict:
    provider_a = factories.provider(slug="prov-a")
    provider_b = factories.provider(slug="prov-b")
    users = {
        "learner": factories.learner(email="learner@example.test"),
        "other_learner": factories.learner(email="other@example.test"),
        "staff": factories.staff(provider_a, email="staff@example.test"),
        "other_staff": factories.staff(provider_b, email="otherstaff@example.test"),
        "admin": factories.admin(email="admin@example.test"),
    }
    course = factories.course(provider_a, slug="matrix-course")
    draft = factories.course(provider_a, slug="matrix-draft", published=False)
    enrollment = factories.enrollment(users["learner"], course)
    factories.enrollment(users["other_learner"], course)
    modules = course.current_version.modules
    return {
        "users": users,
        "provider_a": provider_a,
        "provider_b": provider_b,
        "course": course,
        "enrollment": enrollment,
        "slug": course.slug,
        "draft_slug": draft.slug,
        "enrollment_id": enrollment.id,
        "module_id": modules[0].id,
        "locked_module_id": modules[1].id,
        "token": "not-a-real-token",
        "code": "nope",
    }
