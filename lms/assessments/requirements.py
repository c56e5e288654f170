"""What assessments add to course completion: every post-test passed and every skill task
graded pass — even where the provider marked those modules optional."""
from __future__ import annotations

from sqlalchemy import exists, select

from lms.assessments.models import (QuizAttempt, QuizRole, QuizSettings, SkillSubmission,
                                    SkillTask, SubmissionStatus)
from lms.catalog.models import Module
from lms.extensions import db
from lms.learning.models import Enrollment


def posttests_passed(enrollment: Enrollment) -> bool:
    """Every post-test module of the enrollment's version has a passed, submitted attempt."""
    missing = select(QuizSettings.id).join(Module, Module.id == QuizSettings.module_id).where(
        Module.version_id == enrollment.version_id,
        QuizSettings.role == QuizRole.POSTTEST,
        ~exists().where(QuizAttempt.enrollment_id == enrollment.id,
                        QuizAttempt.module_id == QuizSettings.module_id,
                        QuizAttempt.submitted_at.is_not(None),
                        QuizAttempt.passed.is_(True)))
    return db.session.scalar(missing.limit(1)) is None


def skill_tasks_passed(enrollment: Enrollment) -> bool:
    """Every skill task (assignment module) of the version has a submission graded pass."""
    missing = select(Module.id).where(
        Module.version_id == enrollment.version_id,
        exists().where(SkillTask.module_id == Module.id),
        ~exists().where(SkillSubmission.enrollment_id == enrollment.id,
                        SkillSubmission.module_id == Module.id,
                        SkillSubmission.status == SubmissionStatus.PASSED))
    return db.session.scalar(missing.limit(1)) is None


def assessments_passed(enrollment: Enrollment) -> bool:
    """The assessments' completion condition (`lms.learning.completion.require`)."""
    return posttests_passed(enrollment) and skill_tasks_passed(enrollment)
