"""The programme's checks as pure rules: the 9-hour minimum at its boundary, the order of the
pre-test, post-test and skill task, and what `general` courses skip."""
from __future__ import annotations

import pytest

from lms.catalog.checklist import ModuleFacts, blocking, check, warnings

HOUR = 3600.0
PRE = ModuleFacts("quiz", "Pre", quiz_role="pretest")
POST = ModuleFacts("quiz", "Post", quiz_role="posttest")
TASK = ModuleFacts("assignment", "Task", task_ready=True)
READING = ModuleFacts("reading", "Read")


def video(seconds: float, ready: bool = True, captions: bool = True) -> ModuleFacts:
    return ModuleFacts("video", "V", video_ready=ready, video_seconds=seconds,
                       has_captions=captions)


def codes(modules, training_type="self_paced", hours=9.0):
    return [p.code for p in blocking(check(modules, training_type, hours))]


@pytest.mark.parametrize("seconds, ok", [
    (9 * HOUR - 1, False), (9 * HOUR, True), (9 * HOUR + 1, True), (0.0, False)])
def test_nine_hours_of_ready_video_at_the_boundary(app, seconds, ok):
    found = codes([PRE, video(seconds), POST, TASK])
    assert ("video_hours_below_minimum" not in found) is ok


def test_hours_are_summed_over_ready_videos_only(app):
    modules = [PRE, video(5 * HOUR), video(4 * HOUR, ready=False), POST, TASK]
    assert codes(modules) == ["media_not_ready", "video_hours_below_minimum"]
    assert codes([PRE, video(5 * HOUR), video(4 * HOUR), POST, TASK]) == []


@pytest.mark.parametrize("modules, expected", [
    ([video(9 * HOUR), POST, TASK], ["no_pretest"]),
    ([PRE, video(9 * HOUR), TASK], ["no_posttest"]),
    ([PRE, video(9 * HOUR), POST], ["no_skill_task"]),
    ([PRE, POST, TASK, video(9 * HOUR)], ["no_posttest", "no_skill_task"]),
    ([PRE, video(9 * HOUR), TASK, POST], []),
    ([PRE, video(9 * HOUR), READING, POST, TASK], []),
    ([ModuleFacts("quiz", "Q"), video(9 * HOUR), POST, TASK],
     ["quiz_not_configured", "no_pretest"]),
    ([PRE, video(9 * HOUR), POST, ModuleFacts("assignment", "T")],
     ["skill_task_not_configured"]),
    ([], ["no_modules"]),
])
def test_the_order_of_the_programme_assessments(app, modules, expected):
    assert codes(modules) == expected


def test_general_courses_skip_the_programme_rules(app):
    assert codes([video(60)], "general") == []
    assert codes([video(60, ready=False)], "general") == ["media_not_ready"]


def test_missing_captions_are_a_warning_not_a_refusal(app):
    problems = check([PRE, video(9 * HOUR, captions=False), POST, TASK], "self_paced", 9)
    assert blocking(problems) == []
    assert [p.code for p in warnings(problems)] == ["captions_missing"]
