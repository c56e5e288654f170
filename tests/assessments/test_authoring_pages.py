"""The provider's assessment authoring pages: question banks and their questions, retiring a
question, quiz settings and skill tasks; what learners then get, who may use the pages, and
the audit trail."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.assessments.models import Question, QuestionBank, QuizSettings, SkillTask
from lms.catalog import services as catalog
from lms.catalog.models import ModuleKind
from lms.extensions import db
from tests import factories
from tests import factories_assessments as fa

Q, V, A = ModuleKind.QUIZ, ModuleKind.VIDEO, ModuleKind.ASSIGNMENT


@pytest.fixture
def draft(app):
    """An unconfigured draft course of provider A (pre-test, video, post-test, skill task), its
    staff, and staff of provider B."""
    provider = factories.provider()
    course = factories.course(provider, kinds=(Q, V, Q, A), published=False)
    return {"course": course, "modules": list(course.versions[-1].modules),
            "staff": factories.staff(provider), "other_staff": factories.staff(
                factories.provider())}


def _options(*rows: tuple[str, bool]) -> dict[str, str]:
    data = {}
    for i, (text, correct) in enumerate(rows):
        data[f"options-{i}-text"] = text
        if correct:
            data[f"options-{i}-correct"] = "y"
    return data


def _add(client, bank_id, kind, text, rows, explanation=""):
    return client.post(f"/provider/question-banks/{bank_id}/questions",
                       data={"kind": kind, "text": text, "explanation": explanation,
                             **_options(*rows)})


def _create_bank(client, course, title="Core questions"):
    response = client.post(f"/provider/courses/{course.id}/assessments/banks",
                           data={"title": title})
    assert response.status_code == 302
    return db.session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id,
                                                        QuestionBank.title == title))


def _configure(client, module, bank, **fields):
    data = {"role": "pretest", "bank_id": str(bank.id), "pass_percent": "",
            "attempts_allowed": "2", "time_limit_minutes": "10", "questions_per_attempt": ""}
    data.update(fields)
    return client.post(f"/provider/modules/{module.id}/quiz", data=data)


def _text(response) -> str:
    """The page's text without tags, entities decoded enough for the English strings here."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
                  .replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def _start_as_learner(app, course, module):
    learner = factories.learner()
    factories.enrollment(learner, course)
    api = app.test_client()
    response = api.post(f"/api/v1/modules/{module.id}/attempts",
                        headers=factories.api_token(learner))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["questions"]


def test_staff_build_a_bank_of_every_kind_and_learners_get_those_questions(client, auth, draft,
                                                                          app):
    course, (pretest, _, posttest, _) = draft["course"], draft["modules"]
    auth.login(draft["staff"].email)
    listing = client.get("/provider/courses")
    assert f"/provider/courses/{course.id}/assessments" in listing.get_data(as_text=True)
    empty = client.get(f"/provider/courses/{course.id}/assessments")
    assert empty.status_code == 200
    assert "No question banks yet" in _text(empty)
    assert "Not set up yet: learners cannot take it." in _text(empty)

    bank = _create_bank(client, course)
    assert _add(client, bank.id, "single", "Which channel reaches most buyers?",
                [("Marketplace", True), ("Fax", False), ("Telegram", False)],
                "Most buyers shop on marketplaces.").status_code == 302
    assert _add(client, bank.id, "multiple", "Which are social media?",
                [("Instagram", True), ("TikTok", True), ("Excel", False)]).status_code == 302
    assert _add(client, bank.id, "true_false", "A logo is a brand.",
                [("True", False), ("False", True)]).status_code == 302

    page = _text(client.get(f"/provider/question-banks/{bank.id}"))
    for text in ("Which channel reaches most buyers?", "Single choice", "Which are social media?",
                 "Multiple choice", "A logo is a brand.", "True or false",
                 "Explanation: Most buyers shop on marketplaces."):
        assert text in page
    assert "✓ Marketplace correct" in page and "✓ Instagram correct" in page \
        and "✓ TikTok correct" in page and "✓ False correct" in page
    assert "✓ Fax" not in page and "✓ True" not in page
    overview = _text(client.get(f"/provider/courses/{course.id}/assessments"))
    assert "Core questions Active questions: 3" in overview

    assert _configure(client, pretest, bank).status_code == 302
    catalog.publish_course(None, course)
    db.session.commit()
    paper = _start_as_learner(app, course, pretest)
    assert sorted(q["text"] for q in paper) == ["A logo is a brand.", "Which are social media?",
                                                "Which channel reaches most buyers?"]
    kinds = {q["text"]: (q["kind"], sorted(o["text"] for o in q["options"])) for q in paper}
    assert kinds["Which are social media?"] == ("multiple", ["Excel", "Instagram", "TikTok"])


@pytest.mark.parametrize("kind, text, rows, message", [
    ("single", "Pick one", [("Yes", True), ("Also yes", True)],
     "Mark exactly one option as correct."),
    ("multiple", "Pick some", [("One", False), ("Two", False)],
     "Mark at least one option as correct."),
    ("true_false", "Is it?", [("True", True), ("False", False), ("Maybe", False)],
     "A true/false question has exactly two options."),
    ("single", "Only one", [("Lonely", True)], "A question has between 2 and 10 options."),
    ("single", "   ", [("Yes", True), ("No", False)], "Write the question"),
    ("single", "Blank option", [("Yes", False), ("", True)], "Every option needs a text."),
    ("essay", "Not a kind", [("Yes", True), ("No", False)], "Not a valid choice"),
])
def test_an_invalid_question_is_refused_on_the_form_keeping_the_input(client, auth, draft,
                                                                      kind, text, rows, message):
    bank = fa.bank(draft["course"], questions=0)
    auth.login(draft["staff"].email)
    response = _add(client, bank.id, kind, text, rows, "Kept explanation")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in _text(response)
    if text.strip():
        assert text in page
    assert "Kept explanation" in page
    for option, _ in rows:
        if option:
            assert f'value="{option}"' in page
    assert db.session.scalar(select(Question).where(Question.bank_id == bank.id)) is None


def test_a_bank_needs_a_title(client, auth, draft):
    auth.login(draft["staff"].email)
    response = client.post(f"/provider/courses/{draft['course'].id}/assessments/banks",
                           data={"title": "   "})
    assert response.status_code == 422
    assert "Give the bank a title of at most 200 characters." in _text(response)
    assert db.session.scalar(select(QuestionBank)) is None


def test_retiring_a_question_asks_first_and_keeps_it_out_of_new_attempts(client, auth, app):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q, V, Q), questions=3)
    pretest = fa.modules(course)[0]
    bank = db.session.scalar(select(QuizSettings).where(
        QuizSettings.module_id == pretest.id)).bank
    first = bank.questions[0]
    staff = factories.staff(provider)
    auth.login(staff.email)

    confirm = client.get(f"/provider/questions/{first.id}/retire")
    assert confirm.status_code == 200 and "Retire this question?" in _text(confirm)
    unconfirmed = client.post(f"/provider/questions/{first.id}/retire", data={})
    assert unconfirmed.status_code == 422
    db.session.refresh(first)
    assert first.active

    response = client.post(f"/provider/questions/{first.id}/retire", data={"confirm": "yes"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert f'id="question-{first.id}" data-question="{first.id}" data-active="no"' \
        in page.get_data(as_text=True)
    assert "Active questions: 2" in _text(client.get(f"/provider/courses/{course.id}/assessments"))
    paper = _start_as_learner(app, course, pretest)
    assert first.text not in [q["text"] for q in paper] and len(paper) == 2


def test_a_long_bank_is_paginated(client, auth, draft):
    bank = fa.bank(draft["course"], questions=23)
    auth.login(draft["staff"].email)
    first = _text(client.get(f"/provider/question-banks/{bank.id}"))
    assert "Question 20?" in first and "Question 21?" not in first and "Page 1 of 2" in first
    second = _text(client.get(f"/provider/question-banks/{bank.id}?page=2"))
    assert "Question 23?" in second and "Question 1?" not in second


def test_quiz_settings_are_saved_and_shown(client, auth, draft):
    course, (pretest, _, posttest, _) = draft["course"], draft["modules"]
    bank = fa.bank(course, questions=4, title="Shared")
    auth.login(draft["staff"].email)
    assert _configure(client, pretest, bank).status_code == 302
    response = _configure(client, posttest, bank, role="posttest", pass_percent="70",
                          attempts_allowed="3", time_limit_minutes="15",
                          questions_per_attempt="3")
    assert response.status_code == 302
    settings = db.session.scalar(select(QuizSettings).where(QuizSettings.module_id == posttest.id))
    assert (settings.role, settings.pass_percent, settings.attempts_allowed,
            settings.time_limit_seconds, settings.questions_per_attempt) == \
        ("posttest", 70, 3, 900, 3)
    overview = _text(client.get(f"/provider/courses/{course.id}/assessments"))
    assert "Post-test · Shared · pass mark 70% · attempts: 3 · 15 min · answers never shown" \
        in overview
    assert "Pre-test · Shared · no pass mark · attempts: 2 · 10 min" in overview
    form = client.get(f"/provider/modules/{posttest.id}/quiz").get_data(as_text=True)
    assert 'value="70"' in form and 'value="15"' in form


@pytest.mark.parametrize("fields, message", [
    ({"role": "posttest", "pass_percent": "150"}, "Set a pass mark between 1 and 100 percent."),
    ({"role": "quiz", "pass_percent": ""}, "Set a pass mark between 1 and 100 percent."),
    ({"pass_percent": "50"}, "A pre-test has no pass mark."),
    ({"attempts_allowed": "0"}, "Allow between 1 and 20 attempts."),
    ({"attempts_allowed": "many"}, "Not a valid integer value."),
    ({"time_limit_minutes": "1000"}, "The time limit is between 30 seconds and 6 hours."),
    ({"questions_per_attempt": "99999999999999999999"}, "Draw between 1 and 200 questions"),
    ({"role": "boss"}, "Not a valid choice"),
    ({"bank_id": "999999"}, "Not a valid choice"),
])
def test_quiz_settings_are_validated_on_the_form(client, auth, draft, fields, message):
    bank = fa.bank(draft["course"], questions=2)
    auth.login(draft["staff"].email)
    response = _configure(client, draft["modules"][0], bank, **fields)
    assert response.status_code == 422
    assert message in _text(response)
    assert db.session.scalar(select(QuizSettings)) is None


def test_a_pretest_after_content_and_a_leaking_bank_are_refused(client, auth, draft):
    course, (pretest, _, posttest, _) = draft["course"], draft["modules"]
    bank = fa.bank(course, questions=2)
    other_course_bank = fa.bank(factories.course(factories.provider(), published=False))
    auth.login(draft["staff"].email)
    late = _configure(client, posttest, bank, role="pretest")
    assert late.status_code == 422
    assert "The pre-test must come before the first video or reading." in _text(late)
    assert _configure(client, posttest, bank, role="posttest", pass_percent="60") \
        .status_code == 302
    leak = _configure(client, pretest, bank, show_answers_after_last="y")
    assert leak.status_code == 422 and "cannot share its question bank with the post-test" \
        in _text(leak)
    foreign = _configure(client, pretest, other_course_bank)
    assert foreign.status_code == 422 and "Not a valid choice" in _text(foreign)


def test_a_quiz_needs_a_bank_first(client, auth, draft):
    auth.login(draft["staff"].email)
    page = client.get(f"/provider/modules/{draft['modules'][0].id}/quiz")
    assert page.status_code == 200
    assert "This course has no question bank yet." in _text(page)


def test_the_skill_task_form_saves_and_validates(client, auth, draft):
    course, task_module = draft["course"], draft["modules"][3]
    auth.login(draft["staff"].email)
    assert "Not set up yet: learners cannot hand in their work." in _text(
        client.get(f"/provider/courses/{course.id}/assessments"))
    refused = client.post(f"/provider/modules/{task_module.id}/skill-task",
                          data={"instructions": "Make a plan."})
    assert refused.status_code == 422 and "Accept files, links or both." in _text(refused)
    assert "Make a plan." in refused.get_data(as_text=True)
    too_big = client.post(f"/provider/modules/{task_module.id}/skill-task",
                          data={"instructions": "Make a plan.", "accepted_kinds": ["pdf"],
                                "max_mb": "5000"})
    assert too_big.status_code == 422
    assert "The size limit is between 1 and 2048 MB." in _text(too_big)
    no_text = client.post(f"/provider/modules/{task_module.id}/skill-task",
                          data={"instructions": "", "allow_link": "y"})
    assert no_text.status_code == 422 and "Write the instructions" in _text(no_text)
    bad_kind = client.post(f"/provider/modules/{task_module.id}/skill-task",
                           data={"instructions": "x", "accepted_kinds": ["exe"]})
    assert bad_kind.status_code == 422
    assert db.session.scalar(select(SkillTask)) is None

    saved = client.post(f"/provider/modules/{task_module.id}/skill-task", data={
        "instructions": "<p>Make a <b>plan</b>.</p><script>alert(1)</script>",
        "accepted_kinds": ["pdf", "docx"], "max_mb": "20", "allow_link": "y"})
    assert saved.status_code == 302
    task = db.session.scalar(select(SkillTask).where(SkillTask.module_id == task_module.id))
    assert task.kinds == ["pdf", "docx"] and task.max_mb == 20 and task.allow_link
    assert "<script>" not in task.instructions and "<b>plan</b>" in task.instructions
    overview = _text(client.get(f"/provider/courses/{course.id}/assessments"))
    assert "PDF, DOCX · links accepted · at most 20 MB" in overview


def test_other_providers_staff_get_404_and_learners_403(client, auth, draft):
    course, modules = draft["course"], draft["modules"]
    bank = fa.bank(course, questions=1)
    question = bank.questions[0]
    pages = [f"/provider/courses/{course.id}/assessments", f"/provider/question-banks/{bank.id}",
             f"/provider/questions/{question.id}/retire",
             f"/provider/modules/{modules[0].id}/quiz",
             f"/provider/modules/{modules[3].id}/skill-task"]
    posts = [(f"/provider/courses/{course.id}/assessments/banks", {"title": "Stolen"}),
             (f"/provider/question-banks/{bank.id}/questions",
              {"kind": "single", "text": "Sneaky?", **_options(("a", True), ("b", False))}),
             (f"/provider/questions/{question.id}/retire", {"confirm": "yes"}),
             (f"/provider/modules/{modules[3].id}/skill-task",
              {"instructions": "Hijacked", "allow_link": "y"})]
    for user, status in ((draft["other_staff"], 404), (factories.learner(), 403)):
        auth.login(user.email)
        for path in pages:
            assert client.get(path).status_code == status, path
        for path, data in posts:
            assert client.post(path, data=data).status_code == status, path
        auth.logout()
    db.session.expire_all()
    assert [b.title for b in db.session.scalars(select(QuestionBank))] == ["Bank"]
    assert len(bank.questions) == 1 and bank.questions[0].active
    assert db.session.scalar(select(SkillTask)) is None
    assert client.get(pages[0]).status_code == 302  # signed out: to the sign-in form
    assert client.get("/provider/question-banks/999999").status_code == 302


def test_unknown_ids_and_wrong_module_kinds_are_404_for_staff(client, auth, draft):
    auth.login(draft["staff"].email)
    video = draft["modules"][1]
    huge = "99999999999999999999"
    for path in ("/provider/courses/999999/assessments", "/provider/question-banks/999999",
                 "/provider/questions/999999/retire", f"/provider/modules/{video.id}/quiz",
                 f"/provider/modules/{video.id}/skill-task",
                 f"/provider/courses/{huge}/assessments", f"/provider/question-banks/{huge}",
                 f"/provider/questions/{huge}/retire", f"/provider/modules/{huge}/quiz",
                 f"/provider/modules/{huge}/skill-task"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/provider/question-banks/{huge}/questions", data={}).status_code == 404
    assert client.post(f"/provider/courses/{huge}/assessments/banks",
                       data={"title": "x"}).status_code == 404


def test_control_characters_are_dropped_rather_than_failing(client, auth, draft):
    bank = fa.bank(draft["course"], questions=0)
    auth.login(draft["staff"].email)
    assert client.post(f"/provider/courses/{draft['course'].id}/assessments/banks",
                       data={"title": "Tit\x00le"}).status_code == 302
    assert "Title" in [b.title for b in db.session.scalars(select(QuestionBank))]
    response = _add(client, bank.id, "single", "Nul\x00 byte?",
                    [("Ye\x00s", True), ("No", False)], "Because\x00.")
    assert response.status_code == 302
    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    assert (question.text, question.explanation, [o.text for o in question.options]) == \
        ("Nul byte?", "Because.", ["Yes", "No"])


def test_admins_may_author_any_providers_course(client, auth, draft):
    auth.login(factories.admin().email)
    bank = _create_bank(client, draft["course"], "Admin bank")
    assert bank is not None and bank.course_id == draft["course"].id


def test_every_change_is_audited_with_its_author(client, auth, draft):
    course, (pretest, _, _, task_module) = draft["course"], draft["modules"]
    staff = draft["staff"]
    auth.login(staff.email)
    bank = _create_bank(client, course)
    _add(client, bank.id, "single", "Audited?", [("Yes", True), ("No", False)])
    _add(client, bank.id, "true_false", "Also audited?", [("True", True), ("False", False)])
    question = bank.questions[0]
    client.post(f"/provider/questions/{question.id}/retire", data={"confirm": "yes"})
    _configure(client, pretest, bank)
    client.post(f"/provider/modules/{task_module.id}/skill-task",
                data={"instructions": "Plan.", "accepted_kinds": ["pdf"]})
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == staff.id)
                                      .order_by(AuditEntry.id)))
    assert [(e.action, e.subject_id) for e in entries] == [
        ("question_bank.created", str(bank.id)),
        ("question.added", str(question.id)),
        ("question.added", str(bank.questions[1].id)),
        ("question.retired", str(question.id)),
        ("quiz.configured", str(pretest.id)),
        ("skill_task.configured", str(task_module.id)),
    ]


def test_a_true_false_question_needs_only_a_tick_in_the_staff_language(client, auth, draft):
    course = draft["course"]
    auth.login(draft["staff"].email)
    bank = _create_bank(client, course)
    response = client.post(f"/provider/question-banks/{bank.id}/questions?lang=id",
                           data={"kind": "true_false", "text": "Logo adalah merek.",
                                 **_options(("", False), ("", True))})
    assert response.status_code == 302
    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    assert [(o.text, o.is_correct) for o in question.options] == [("Benar", False),
                                                                   ("Salah", True)]
