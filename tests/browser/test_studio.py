"""Provider staff build a course from nothing in the studio (a video uploaded and transcoded,
a reading, a pre-test, a post-test, a skill task), put the pre-test first with the keyboard,
submit it, fix what the checklist names, an admin approves it, and a learner redeems a code
generated in the page and opens the first module."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.catalog import services
from lms.catalog.models import Course, ModuleKind
from lms.extensions import db
from lms.media.clips import make_clip
from tests import factories
from tests.browser.conftest import browser_login


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("studio") / "pengantar.mp4"
    return make_clip(path, 4, width=320, height=180, fps=5, audio=False)


BANK = (("Bahan utama kue kering?", "Tepung", "Pasir"),
        ("Suhu oven yang wajar?", "160-180 °C", "400 °C"),
        ("Kue disimpan di?", "Wadah kedap udara", "Ember terbuka"))


def add_module(page: Page, kind: str, title: str) -> None:
    page.locator("#add-module #kind").select_option(kind)
    page.locator("#add-module #title").fill(title)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the module").click()


def back_to_course(page: Page, server, course_id: int) -> None:
    page.goto(server.url_for("studio.course", course_id=course_id))


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_staff_build_a_course_an_admin_approves_it_and_a_learner_starts(
        page: Page, new_page, live_server, clip, page_errors):
    server = live_server
    server.app.config["SPL_MIN_VIDEO_HOURS"] = 0.001  # 3.6 s: the clip is 4 s long
    with server.app.app_context():
        provider = factories.provider(name="LPK Studio")
        staff = factories.staff(provider)
        admin = factories.admin()
        learner = factories.learner()
        emails = staff.email, admin.email, learner.email

    browser_login(page, server, emails[0])
    page.get_by_role("link", name="My courses").click()
    page.get_by_role("link", name="New course").click()
    page.locator("#title").fill("Membuat Kue Kering")
    page.locator("#description").fill("Dari adonan sampai toko daring.")
    page.locator("#training_type").select_option("self_paced")
    page.locator("#finish_within_days").fill("30")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the course").click()
    expect(page.locator("h1")).to_have_text("Membuat Kue Kering")
    with server.app.app_context():
        course_id = db.session.scalar(select(Course.id))

    # The tests draw from a bank the staff write themselves.
    page.get_by_role("link", name="Question banks").click()
    page.locator("#bank-form #title").fill("Bank utama")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the bank").click()
    for text, right, wrong in BANK:
        page.locator("#question-form #kind").select_option("single")
        page.locator("#question-form #text").fill(text)
        page.locator("#options-0-text").fill(right)
        page.locator("#options-0-correct").check()
        page.locator("#options-1-text").fill(wrong)
        with page.expect_navigation():
            page.get_by_role("button", name="Add the question").click()
    expect(page.locator(".question[data-active=yes]")).to_have_count(len(BANK))
    back_to_course(page, server, course_id)

    add_module(page, "video", "Video pengantar")
    page.locator("#file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#assets .asset").first).to_have_attribute("data-status", "ready",
                                                                   timeout=120_000)
    back_to_course(page, server, course_id)
    add_module(page, "reading", "Bacaan: bahan kue")
    page.locator("#reading-editor-area").fill("Tepung, gula, mentega.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    add_module(page, "quiz", "Post-test")
    page.locator("#role").select_option("posttest")
    page.locator("#pass_percent").fill("60")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the settings").click()
    back_to_course(page, server, course_id)
    add_module(page, "assignment", "Unjuk keterampilan")
    page.locator("#instructions").fill("Buat satu loyang kue dan kirim fotonya.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the skill task").click()
    back_to_course(page, server, course_id)
    add_module(page, "quiz", "Pre-test")
    back_to_course(page, server, course_id)

    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    checklist = page.locator("#checklist")
    expect(checklist.locator('[data-code="no_pretest"]')).to_be_visible()
    expect(checklist.locator('[data-code="quiz_not_configured"]')).to_be_visible()

    # Put the pre-test first with the keyboard; each move is announced.
    pretest = page.locator(".studio-module", has_text="Pre-test")
    pretest.get_by_role("button", name="Move up").focus()
    for position in (4, 3, 2, 1):
        page.keyboard.press("Enter")
        expect(page.locator("#order-status")).to_have_text(
            f"“Pre-test” moved to position {position} of 5.")
    expect(page.locator("#module-list > li").first).to_have_attribute("data-title", "Pre-test")
    page.reload()
    expect(page.locator("#module-list > li").first).to_have_attribute("data-title", "Pre-test")
    pretest = page.locator(".studio-module", has_text="Pre-test")
    pretest.get_by_role("link", name="Quiz settings").click()
    page.locator("#role").select_option("pretest")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the settings").click()
    back_to_course(page, server, course_id)
    expect(page.locator('#checklist [data-code="no_pretest"]')).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".course-state [data-state]")).to_have_attribute("data-state",
                                                                        "in_review")

    admin_page = new_page()
    browser_login(admin_page, server, emails[1])
    admin_page.get_by_role("link", name="Course reviews").click()
    admin_page.get_by_role("link", name="Membuat Kue Kering").click()
    admin_page.locator("#decision").select_option("approve")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Record the decision").click()
    expect(admin_page.locator(".empty")).to_have_text("No course is waiting for review.")

    back_to_course(page, server, course_id)
    expect(page.locator(".course-state [data-state]")).to_have_attribute("data-state",
                                                                        "published")
    page.get_by_role("link", name="Redeem codes").click()
    page.locator("#count").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Generate codes").click()
    code = page.locator("#fresh-codes").inner_text().split()[0]

    learner_page = new_page()
    browser_login(learner_page, server, emails[2])
    learner_page.goto(server.url_for("learning.dashboard"))
    learner_page.locator("#code").fill(code)
    with learner_page.expect_navigation():
        learner_page.locator("form.redeem button[type=submit]").click()
    expect(learner_page.locator("h1")).to_have_text("Membuat Kue Kering")
    expect(learner_page.locator(".deadline")).to_contain_text("30 days left")
    learner_page.locator("#outline .outline-item").first.get_by_role("link").click()
    expect(learner_page.locator("h1")).to_have_text("Pre-test")
    expect(learner_page.locator(".quiz-panel")).to_have_attribute("data-role", "pretest")
    # Answers the test provokes (the refused submission: 422) are logged as failed loads.
    assert [e for e in page_errors if "Failed to load resource" not in e] == []


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_staff_write_a_reading_with_an_image_and_the_learner_sees_it(
        page: Page, new_page, live_server, page_errors, tmp_path):
    server = live_server
    picture = tmp_path / "diagram.png"
    Image.new("RGB", (40, 20), "orange").save(picture, "PNG")
    with server.app.app_context():
        provider = factories.provider()
        staff = factories.staff(provider)
        learner = factories.learner()
        course = factories.course(provider, kinds=(ModuleKind.READING,), published=False)
        reading_id = course.versions[-1].modules[0].id
        course_id, learner_id, emails = course.id, learner.id, (staff.email, learner.email)

    browser_login(page, server, emails[0])
    page.goto(server.url_for("studio.edit_module", module_id=reading_id))
    expect(page.locator("#body")).to_be_hidden()  # the editor stands in for the HTML field
    editor = page.get_by_role("textbox", name="Text")
    editor.fill("")
    editor.click()
    page.get_by_role("button", name="Heading").click()
    page.keyboard.type("Bahan kue")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("Tepung")
    page.once("dialog", lambda dialog: dialog.accept("Bagan bahan kue"))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Image").click()
    chooser.value.set_files(str(picture))
    expect(page.locator("#reading-editor [role=status]")).to_have_text(
        "The image was added to the text.")
    expect(editor.locator("img")).to_have_attribute("alt", "Bagan bahan kue")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    with server.app.app_context():
        course = db.session.get(Course, course_id)
        body = course.versions[-1].modules[0].body
        assert "<h2>Bahan kue</h2>" in body and "<b>Tepung</b>" in body
        assert f'src="/reading-images/{course_id}/' in body and 'alt="Bagan bahan kue"' in body
        services.publish_course(None, course)
        db.session.commit()
        enrollment = factories.enrollment(db.session.get(User, learner_id), course)
        url = server.url_for("learning.module", enrollment_id=enrollment.id,
                             module_id=course.current_version.modules[0].id)

    learner_page = new_page()
    browser_login(learner_page, server, emails[1])
    learner_page.goto(url)
    image = learner_page.get_by_role("img", name="Bagan bahan kue")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 40
    assert page_errors == []
