"""The demo course gets every kind of assessment; the API document lists the endpoints."""
from __future__ import annotations

from lms.assessments.models import QuizSettings, SkillTask
from lms.catalog import services as catalog
from lms.demo.assessments import seed_assessments
from lms.demo.seed import MODULES
from lms.extensions import db
from tests import factories


def test_the_demo_course_has_a_pretest_a_quiz_a_posttest_and_a_skill_task(app):
    course = factories.course(kinds=tuple(kind for kind, _, _ in MODULES), published=False)
    seed_assessments(course)
    seed_assessments(course)  # safe to run again
    catalog.publish_course(None, course)
    db.session.commit()
    roles = [s.role for s in db.session.query(QuizSettings).join(QuizSettings.module)
             .order_by("position")]
    assert roles == ["pretest", "quiz", "posttest"]
    tasks = db.session.query(SkillTask).all()
    assert len(tasks) == 1 and "rencana pemasaran" in tasks[0].instructions
    assert all(len(s.bank.questions) >= 3 for s in db.session.query(QuizSettings))


def test_the_openapi_document_describes_the_assessment_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/modules/{module_id}/attempts"]["post"]["responses"]) >= {
        "201", "403", "409"}
    assert set(paths["/api/v1/attempts/{attempt_id}/submit"]["post"]["responses"]) >= {
        "200", "409", "410", "422"}
    assert set(paths["/api/v1/modules/{module_id}/submissions"]["post"]["responses"]) >= {
        "201", "403", "413", "422"}
