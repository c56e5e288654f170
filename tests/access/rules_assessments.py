"""Access rows for assessments: quiz attempts, skill-task hand-ins, files and grading."""
from __future__ import annotations

import io

from lms.assessments import quizzes, skills
from lms.catalog.models import ModuleKind
from lms.extensions import db
from tests import factories
from tests import factories_assessments as fa
from tests.access.matrix import UNAUTH, Case, signed_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def extend_world(world: dict) -> None:
    """Course X (provider A): a post-test then a skill task; the learner has an attempt
    running. Course Y: only a skill task; the learner handed in a PDF, waiting for grading."""
    learner = world["users"]["learner"]
    course_x = fa.full_course(world["provider_a"], kinds=(ModuleKind.QUIZ, ModuleKind.ASSIGNMENT))
    quiz_module, locked_skill = fa.modules(course_x)
    enrollment_x = factories.enrollment(learner, course_x)
    attempt, _ = quizzes.start_attempt(learner, enrollment_x, quiz_module)
    course_y = fa.full_course(world["provider_a"], kinds=(ModuleKind.ASSIGNMENT,))
    (skill_module,) = fa.modules(course_y)
    enrollment_y = factories.enrollment(learner, course_y)
    submission = skills.submit(learner, enrollment_y, skill_module,
                               upload=skills.Upload("plan.pdf", io.BytesIO(PDF)))
    db.session.commit()
    world.update(ax_enrollment_id=enrollment_x.id, ax_quiz_id=quiz_module.id,
                 ax_skill_id=locked_skill.id, attempt_id=attempt.id,
                 ay_enrollment_id=enrollment_y.id, ay_skill_id=skill_module.id,
                 submission_id=submission.id, ax_course_id=course_x.id,
                 ax_bank_id=quizzes.settings_for(quiz_module).bank_id,
                 ax_question_id=quizzes.settings_for(quiz_module).bank.questions[0].id)


LEARNER_ONLY = signed_in(404, learner=200)
STAFF_ONLY = signed_in(403, staff=200, other_staff=200)

CASES = [
    # Learner pages
    Case("assessments.start_attempt", "POST",
         "/enrollments/{ax_enrollment_id}/modules/{ax_quiz_id}/attempts",
         signed_in(404, learner=302), data={}),
    Case("assessments.attempt", "GET", "/attempts/{attempt_id}", LEARNER_ONLY),
    Case("assessments.submit_attempt", "POST", "/attempts/{attempt_id}",
         signed_in(404, learner=422), data={"tampered": "1"}),
    Case("assessments.submit_skill_task", "POST",
         "/enrollments/{ay_enrollment_id}/modules/{ay_skill_id}/submissions",
         signed_in(404, learner=409), data={}),
    Case("assessments.submission_file", "GET", "/submissions/{submission_id}/file",
         signed_in(404, learner=200, staff=200)),
    # Grading (provider staff of the course's own provider only)
    Case("grading.queue", "GET", "/grading/", STAFF_ONLY),
    Case("grading.submission", "GET", "/grading/submissions/{submission_id}",
         signed_in(403, staff=200, other_staff=404)),
    Case("grading.submission", "POST", "/grading/submissions/{submission_id}",
         signed_in(403, staff=422, other_staff=404), data={}),
    # API
    Case("api.assessment_api.start_attempt", "POST", "/api/v1/modules/{ax_quiz_id}/attempts",
         signed_in(404, anonymous=UNAUTH, learner=201), json={}),
    Case("api.assessment_api.start_attempt", "POST", "/api/v1/modules/{ax_skill_id}/attempts",
         signed_in(404, anonymous=UNAUTH, learner=403), json={}),
    Case("api.assessment_api.get_attempt", "GET", "/api/v1/attempts/{attempt_id}",
         signed_in(404, anonymous=UNAUTH, learner=200)),
    Case("api.assessment_api.submit_attempt", "POST", "/api/v1/attempts/{attempt_id}/submit",
         signed_in(404, anonymous=UNAUTH, learner=422), json={}),
    Case("api.assessment_api.submit_skill_task", "POST",
         "/api/v1/modules/{ay_skill_id}/submissions",
         signed_in(404, anonymous=UNAUTH, learner=409), json={}),
    Case("api.assessment_api.submit_skill_task", "POST",
         "/api/v1/modules/{ax_skill_id}/submissions",
         signed_in(404, anonymous=UNAUTH, learner=403), json={}),
    Case("api.assessment_api.list_submissions", "GET",
         "/api/v1/modules/{ay_skill_id}/submissions",
         signed_in(404, anonymous=UNAUTH, learner=200)),
]

# Authoring pages: staff of the course's provider and admins; learners are refused, staff of
# another provider get 404. Posts are empty, so they are refused as invalid (422).
AUTHOR_PAGE = signed_in(403, staff=200, other_staff=404, admin=200)
AUTHOR_POST = signed_in(403, staff=422, other_staff=404, admin=422)
CASES += [
    Case("authoring.course", "GET", "/provider/courses/{ax_course_id}/assessments", AUTHOR_PAGE),
    Case("authoring.create_bank", "POST", "/provider/courses/{ax_course_id}/assessments/banks",
         AUTHOR_POST, data={}),
    Case("authoring.bank", "GET", "/provider/question-banks/{ax_bank_id}", AUTHOR_PAGE),
    Case("authoring.add_question", "POST", "/provider/question-banks/{ax_bank_id}/questions",
         AUTHOR_POST, data={}),
    Case("authoring.retire_question", "GET", "/provider/questions/{ax_question_id}/retire",
         AUTHOR_PAGE),
    Case("authoring.retire_question", "POST", "/provider/questions/{ax_question_id}/retire",
         AUTHOR_POST, data={}),
    Case("authoring.quiz", "GET", "/provider/modules/{ax_quiz_id}/quiz", AUTHOR_PAGE),
    Case("authoring.quiz", "POST", "/provider/modules/{ax_quiz_id}/quiz", AUTHOR_POST, data={}),
    Case("authoring.skill_task", "GET", "/provider/modules/{ax_skill_id}/skill-task",
         AUTHOR_PAGE),
    Case("authoring.skill_task", "POST", "/provider/modules/{ax_skill_id}/skill-task",
         AUTHOR_POST, data={}),
]

# Extra quiz attempts: provider staff and admins. The learner of course X still has an attempt
# running, so an (empty) grant is refused as a conflict, not made.
CASES += [
    Case("attempt_grants.stuck", "GET", "/grading/attempts/",
         signed_in(403, staff=200, other_staff=200, admin=200)),
    Case("attempt_grants.grant", "POST",
         "/grading/attempts/{ax_enrollment_id}/modules/{ax_quiz_id}",
         signed_in(403, staff=409, other_staff=404, admin=409), data={}),
]
