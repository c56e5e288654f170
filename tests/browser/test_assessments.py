"""A learner walks from the pre-test through a quiz and the post-test to the skill task, in
a real browser; provider staff grade it pass in another browser; the course is completed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lms.catalog.models import ModuleKind
from tests import factories
from tests import factories_assessments as fa
from tests.browser.conftest import browser_login

Q, A = ModuleKind.QUIZ, ModuleKind.ASSIGNMENT
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _answer(page: Page, right: bool) -> None:
    """Tick, in every question, the options whose text says right (or one that says wrong)."""
    for question in page.locator("fieldset.question").all():
        wanted = "right" if right else "wrong"
        options = question.locator("label.option", has_text=wanted)
        for option in (options.all() if right else options.all()[:1]):
            option.click()


def _take(page: Page, right: bool) -> None:
    with page.expect_navigation():
        page.locator("#start-attempt").click()
    expect(page.locator("#countdown")).to_be_visible()
    expect(page.locator("#time-left")).to_have_text(re.compile(r"^\d+:\d\d$"))
    _answer(page, right)
    with page.expect_navigation():
        page.locator("#submit-answers").click()


@pytest.mark.browser
def test_pretest_quiz_posttest_and_a_skill_task_graded_pass_complete_the_course(
        page: Page, new_page, live_server):
    with live_server.app.app_context():
        provider = factories.provider()
        course = fa.full_course(provider, kinds=(Q, Q, Q, A), questions=3, time_limit=600)
        learner = factories.learner(name="Siti Peserta")
        enrollment = factories.enrollment(learner, course)
        staff = factories.staff(provider)
        first = fa.modules(course)[0]
        learner_email, staff_email = learner.email, staff.email
        outline = f"/enrollments/{enrollment.id}"
        first_url = f"{outline}/modules/{first.id}"

    browser_login(page, live_server, learner_email)
    page.goto(live_server.url + first_url)
    expect(page.locator(".quiz-panel")).to_have_attribute("data-role", "pretest")

    # Pre-test: no pass mark, the score is recorded whatever it is.
    _take(page, right=False)
    expect(page.locator(".result")).to_contain_text("Your score: 0%")
    expect(page.locator(".result")).to_contain_text("no pass mark")
    with page.expect_navigation():
        page.locator("#next-module").click()

    # The module quiz: passed with every answer right.
    expect(page.locator(".quiz-panel")).to_have_attribute("data-role", "quiz")
    _take(page, right=True)
    expect(page.locator(".result")).to_have_attribute("data-result", "passed")
    with page.expect_navigation():
        page.locator("#next-module").click()

    # The post-test: failed once, then passed.
    expect(page.locator(".quiz-panel")).to_have_attribute("data-role", "posttest")
    _take(page, right=False)
    expect(page.locator(".result")).to_have_attribute("data-result", "failed")
    with page.expect_navigation():
        page.locator("#start-attempt").click()
    _answer(page, right=True)
    with page.expect_navigation():
        page.locator("#submit-answers").click()
    expect(page.locator(".result")).to_have_attribute("data-result", "passed")
    with page.expect_navigation():
        page.locator("#next-module").click()

    # The skill task: a PDF handed in, waiting for the provider.
    expect(page.locator(".skill-task")).to_contain_text("marketing plan")
    page.locator("#f-file").set_input_files(
        files=[{"name": "rencana.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#f-note").fill("Rencana pemasaran saya")
    with page.expect_navigation():
        page.locator("form.hand-in-file button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("[data-waiting]")).to_be_visible()

    # Provider staff, on another device, grade it pass with written feedback.
    staff_page = new_page()
    browser_login(staff_page, live_server, staff_email)
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="Grading").click()
    row = staff_page.locator("table.queue tr[data-submission]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Siti Peserta")
    with staff_page.expect_navigation():
        row.get_by_role("link", name="Siti Peserta").click()
    expect(staff_page.locator("#work-file")).to_have_text("rencana.pdf")
    staff_page.get_by_label("Pass").check()
    staff_page.locator("#feedback").fill("Rencana lengkap dan jelas. Bagus!")
    with staff_page.expect_navigation():
        staff_page.locator("#grade-form button[type=submit]").click()
    expect(staff_page.locator(".flash-success")).to_contain_text("Siti Peserta")
    expect(staff_page.locator("[data-empty]")).to_be_visible()

    # The learner sees the feedback and the course completed.
    page.reload()
    expect(page.locator("[data-feedback]")).to_contain_text("Rencana lengkap dan jelas")
    expect(page.locator("[data-course-completed]")).to_be_visible()
    page.goto(live_server.url + outline)
    statuses = page.locator(".outline-item").evaluate_all(
        "items => items.map(i => i.dataset.status)")
    assert statuses == ["completed"] * 4
    page.goto(live_server.url + "/dashboard")
    expect(page.locator("[data-pretest]")).to_have_text("0%")
    expect(page.locator("[data-posttest]")).to_have_text("100%")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The countdown script ran on every paper without an error (the browser's own favicon
    # request may log a 404, which is no script error).
    assert [e for e in page.alur_errors if e.startswith("pageerror")] == []
