"""`flask assessments load`: a course's assessments from a JSON file, strictly checked."""
from __future__ import annotations

import json

from lms.assessments.models import Question, QuestionBank, QuizSettings, SkillTask
from lms.catalog.models import ModuleKind
from lms.extensions import db
from tests import factories

Q, V, A = ModuleKind.QUIZ, ModuleKind.VIDEO, ModuleKind.ASSIGNMENT
SPEC = {
    "banks": {"core": {"title": "Core bank", "questions": [
        {"kind": "single", "text": "2 + 2?", "options": [["4", True], ["5", False]]},
        {"kind": "true_false", "text": "The sky is blue.", "options": [["True", True],
                                                                       ["False", False]],
         "explanation": "On a clear day."}]}},
    "quizzes": [
        {"position": 1, "bank": "core", "role": "pretest", "attempts_allowed": 1,
         "time_limit_seconds": 600},
        {"position": 3, "bank": "core", "role": "posttest", "pass_percent": 70}],
    "skill_tasks": [{"position": 4, "instructions": "<p>Show it.</p>",
                     "accepted_kinds": ["pdf"], "max_mb": 10}],
}


def _load(runner, tmp_path, course, spec):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec) if not isinstance(spec, str) else spec)
    return runner.invoke(args=["assessments", "load", course.slug, str(path)])


def test_a_course_is_set_up_from_a_file_and_loading_twice_changes_nothing(app, runner, tmp_path):
    course = factories.course(kinds=(Q, V, Q, A), published=False)
    result = _load(runner, tmp_path, course, SPEC)
    assert result.exit_code == 0, result.output
    assert "1 question bank(s), 2 quiz setting(s), 1 skill task(s)" in result.output
    assert _load(runner, tmp_path, course, SPEC).exit_code == 0
    assert db.session.query(QuestionBank).count() == 1
    assert db.session.query(Question).count() == 2
    assert sorted(s.role for s in db.session.query(QuizSettings)) == ["posttest", "pretest"]
    assert db.session.query(SkillTask).one().accepted_kinds == "pdf"


def test_a_malformed_file_says_where_and_keeps_nothing(app, runner, tmp_path):
    course = factories.course(kinds=(Q, V, Q, A), published=False)
    broken = json.loads(json.dumps(SPEC))
    broken["quizzes"][1]["pass_percent"] = "70"
    result = _load(runner, tmp_path, course, broken)
    assert result.exit_code == 1 and "quizzes[1].pass_percent" in result.output
    assert db.session.query(QuestionBank).count() == 0
    assert _load(runner, tmp_path, course, "{nope").exit_code == 1
    wrong_role = json.loads(json.dumps(SPEC))
    wrong_role["quizzes"][0]["position"] = 3
    wrong_role["quizzes"][1]["position"] = 1
    result = _load(runner, tmp_path, course, wrong_role)
    assert result.exit_code == 1 and "pre-test must come before" in result.output
