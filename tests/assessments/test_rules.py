"""The grading and attempt rules as pure functions: what a client may send, how it scores."""
from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.assessments import files, rules
from lms.assessments.errors import (AlreadyCompleted, InvalidAnswers, NoAttemptsLeft,
                                    UnsupportedFile)
from lms.errors import Invalid

NOW = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
BANK = [(10, [101, 102, 103]), (20, [201, 202, 203, 204]), (30, [301, 302])]
KINDS = {10: "single", 20: "multiple", 30: "true_false"}


def _layout(seed=1):
    return rules.draw_layout(BANK, None, random.Random(seed))


def _tokens(layout, question_id):
    entry = next(e for e in layout if e["q"] == question_id)
    return {oid: token for token, oid in entry["o"]}


def test_a_paper_holds_every_question_and_option_once_under_fresh_tokens():
    layout = _layout()
    assert sorted(e["q"] for e in layout) == [10, 20, 30]
    for question_id, options in BANK:
        assert sorted(_tokens(layout, question_id)) == options
    tokens = [t for e in layout for t, _ in e["o"]]
    assert len(set(tokens)) == len(tokens)
    # Tokens are not the database ids, so "pick option 102" cannot be passed around.
    assert not {str(oid) for _, opts in BANK for oid in opts} & set(tokens)


def test_papers_are_shuffled_per_attempt():
    orders = {tuple((e["q"], tuple(o for _, o in e["o"])) for e in _layout(seed))
              for seed in range(20)}
    assert len(orders) > 1


def test_a_paper_can_draw_a_subset_of_the_bank():
    layout = rules.draw_layout(BANK, 2, random.Random(3))
    assert len(layout) == 2 and len({e["q"] for e in layout}) == 2


def test_answers_are_read_back_to_option_ids():
    layout = _layout()
    t10, t20 = _tokens(layout, 10), _tokens(layout, 20)
    selected = rules.parse_answers({"10": [t10[102]], "20": [t20[201], t20[203]], "30": []},
                                   layout, KINDS)
    assert selected == {10: {102}, 20: {201, 203}, 30: frozenset()}


@pytest.mark.parametrize("tamper", [
    lambda t: {"99": [t[10][101]]},  # a question not on this paper
    lambda t: {"10": [t[20][201]]},  # an option of another question
    lambda t: {"10": ["deadbeef"]},  # a token of another attempt
    lambda t: {"10": [101]},  # the database id instead of the token
    lambda t: {"10": [t[10][101], t[10][101]]},  # the same option twice
    lambda t: {"10": [t[10][101], t[10][102]]},  # two choices for single choice
    lambda t: {"30": [t[30][301], t[30][302]]},  # both true and false
    lambda t: {"10": t[10][101]},  # not a list
    lambda t: {"10": [[t[10][101]]]},  # nested
    lambda t: {"10": [True]},
    lambda t: {"010x": [t[10][101]]},
    lambda t: {" 10": [t[10][101]]},
    lambda t: ["10"],
    lambda t: None,
])
def test_anything_not_on_the_paper_is_refused_whole(tamper):
    layout = _layout()
    tokens = {q: _tokens(layout, q) for q in (10, 20, 30)}
    with pytest.raises(InvalidAnswers):
        rules.parse_answers(tamper(tokens), layout, KINDS)


def test_web_forms_may_only_carry_question_fields_and_the_csrf_token():
    assert rules.answers_from_form([("csrf_token", ["x"]), ("q10", ["ab12cd34"]),
                                    ("q20", ["", "ab12cd35"])]) == {
        "10": ["ab12cd34"], "20": ["ab12cd35"]}
    for extra in ("score", "q10x", "passed", "q"):
        with pytest.raises(InvalidAnswers):
            rules.answers_from_form([("q10", ["ab12cd34"]), (extra, ["100"])])


def test_multiple_choice_is_all_or_nothing_and_ticking_everything_earns_nothing():
    correct = {20: frozenset({201, 203}), 10: frozenset({101})}
    assert rules.count_correct({20: frozenset({201, 203}), 10: frozenset({101})}, correct) == 2
    assert rules.count_correct({20: frozenset({201})}, correct) == 0
    assert rules.count_correct({20: frozenset({201, 202, 203, 204})}, correct) == 0
    assert rules.count_correct({}, correct) == 0


def test_passing_compares_the_exact_fraction_not_the_rounded_score():
    assert rules.score_percent(2, 3) == 66.67
    assert not rules.is_pass(2, 3, 67)
    assert rules.is_pass(2, 3, 66)
    assert rules.is_pass(3, 5, 60) and not rules.is_pass(2, 5, 60)
    assert rules.is_pass(0, 5, None), "a pre-test has no pass mark"
    assert not rules.is_pass(0, 0, 50)


def test_the_deadline_is_the_time_limit_capped_by_the_finish_by_date():
    assert rules.deadline_for(NOW, 600, None) == NOW + timedelta(seconds=600)
    assert rules.deadline_for(NOW, None, None) is None
    finish_by = NOW + timedelta(seconds=60)
    assert rules.deadline_for(NOW, 600, finish_by) == finish_by
    assert rules.deadline_for(NOW, None, finish_by) == finish_by


def test_an_attempt_expires_a_few_seconds_after_its_deadline():
    deadline = NOW + timedelta(seconds=60)
    assert not rules.is_expired(deadline, deadline + timedelta(seconds=rules.SUBMIT_GRACE_SECONDS))
    assert rules.is_expired(deadline, deadline + timedelta(seconds=rules.SUBMIT_GRACE_SECONDS + 1))
    assert not rules.is_expired(None, NOW + timedelta(days=365))
    assert rules.seconds_left(deadline, NOW) == 60
    assert rules.seconds_left(deadline, deadline + timedelta(seconds=3)) == 0


F = rules.AttemptFacts


def test_attempts_run_out_and_expired_ones_count():
    two = [F(True, False, False), F(False, None, True)]
    with pytest.raises(NoAttemptsLeft):
        rules.ensure_may_start("quiz", 2, two)
    rules.ensure_may_start("quiz", 3, two)
    assert rules.attempts_left(3, two) == 1


def test_a_passed_quiz_or_a_taken_pretest_is_not_taken_again():
    with pytest.raises(AlreadyCompleted):
        rules.ensure_may_start("quiz", 5, [F(True, True, False)])
    with pytest.raises(AlreadyCompleted):
        rules.ensure_may_start("pretest", 5, [F(True, True, False)])
    assert rules.attempts_available("quiz", 5, [F(True, True, False)]) == 0


def test_answers_are_revealed_only_after_the_last_attempt_when_the_quiz_allows_it():
    failed = F(True, False, False)
    assert not rules.may_reveal_answers(True, "quiz", 2, [failed])
    assert rules.may_reveal_answers(True, "quiz", 2, [failed, failed])
    assert not rules.may_reveal_answers(False, "quiz", 2, [failed, failed])
    assert rules.may_reveal_answers(True, "quiz", 3, [failed, F(True, True, False)])
    # A running attempt is never shown the answers of the others.
    assert not rules.may_reveal_answers(True, "quiz", 2, [failed, F(False, None, False)])


@pytest.mark.parametrize("kind, options", [
    ("single", [("a", True), ("b", True)]),
    ("single", [("a", False), ("b", False)]),
    ("single", [("a", True)]),
    ("multiple", [("a", False), ("b", False)]),
    ("true_false", [("a", True), ("b", False), ("c", False)]),
    ("essay", [("a", True), ("b", False)]),
    ("single", [("a", True), ("  ", False)]),
])
def test_questions_must_fit_their_kind(kind, options):
    with pytest.raises(Invalid):
        rules.check_question(kind, options)


def test_quiz_settings_and_positions_are_checked():
    rules.check_quiz_settings("pretest", None, 1, 600, None)
    for args in [("pretest", 50, 1, 600, None), ("posttest", None, 1, None, None),
                 ("quiz", 0, 1, None, None), ("quiz", 60, 0, None, None),
                 ("quiz", 60, 1, 5, None), ("quiz", 60, 1, None, 0), ("final", 60, 1, None, None)]:
        with pytest.raises(Invalid):
            rules.check_quiz_settings(*args)
    rules.check_role_position("pretest", 1, [2, 3])
    rules.check_role_position("posttest", 4, [2, 3])
    with pytest.raises(Invalid):
        rules.check_role_position("pretest", 2, [1, 3])
    with pytest.raises(Invalid):
        rules.check_role_position("posttest", 2, [1, 3])


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.txt", "hello")
    return buffer.getvalue()


ALL = list(files.FILE_KINDS)


@pytest.mark.parametrize("name, content, kind", [
    ("plan.pdf", b"%PDF-1.7\n...", "pdf"),
    ("PHOTO.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
    ("shot.png", b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    ("demo.mp4", b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "mp4"),
    ("plan.docx", _docx(), "docx"),
    ("work.zip", _zip(), "zip"),
    ("work.zip", _docx(), "zip"),
])
def test_files_are_accepted_when_name_and_content_agree(name, content, kind):
    assert files.check_upload(name, io.BytesIO(content), ALL) == kind


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00\x03 this is a windows program"),
    ("plan.docx", _zip()),  # a plain zip renamed .docx
    ("plan.pdf", b"\xff\xd8\xff\xe0 a jpeg renamed"),
    ("page.html", b"<html><script>alert(1)</script>"),
    ("noextension", b"%PDF-1.7"),
    ("plan.pdf.exe", b"%PDF-1.7"),
])
def test_files_whose_name_or_content_is_not_accepted_are_refused(name, content):
    with pytest.raises(UnsupportedFile):
        files.check_upload(name, io.BytesIO(content), ALL)


def test_a_kind_the_task_does_not_accept_is_refused():
    with pytest.raises(UnsupportedFile):
        files.check_upload("demo.mp4", io.BytesIO(b"\x00\x00\x00\x20ftypisom\x00\x00"), ["pdf"])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "example.com",
                                 "https://", "https://exa mple.com", "http://[::1", "",
                                 "https://e.com/" + "a" * 2100])
def test_only_plain_web_links_are_accepted(url):
    with pytest.raises(Invalid):
        files.check_url(url)
    link = "https://drive.example.com/file/1"
    assert files.check_url(f" {link} ") == link


def test_display_names_lose_their_paths():
    assert files.display_name("C:\\Users\\siti\\rencana.pdf") == "rencana.pdf"
    assert files.display_name("../../etc/passwd.pdf") == "passwd.pdf"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=5), st.lists(st.text(max_size=9), max_size=4),
                       max_size=4), st.integers(0, 1000))
def test_no_random_answer_sheet_is_accepted_unless_it_only_names_its_own_options(raw, seed):
    layout = _layout(seed)
    on_paper = {str(e["q"]): {t for t, _ in e["o"]} for e in layout}
    try:
        selected = rules.parse_answers(raw, layout, KINDS)
    except InvalidAnswers:
        return
    for key, tokens in raw.items():
        assert key in on_paper and set(tokens) <= on_paper[key]
    assert 0 <= rules.count_correct(selected, {10: frozenset({101})}) <= 1
