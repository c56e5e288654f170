"""WebVTT validation: good files parse to cues, bad ones name the line to fix.

Providers fix caption files by hand in a text editor, so the line number and
the wording of each error are the feature.
"""

from __future__ import annotations

import pytest

from lms.media import captions
from lms.media.captions import CAPTION_LANGUAGES, Cue, InvalidCaptions, validate_language, validate_webvtt

GOOD = """WEBVTT - Modul 1

NOTE dibuat oleh penyedia pelatihan

intro
00:00.000 --> 00:04.500
Selamat datang di pelatihan ini.

00:00:04.500 --> 00:00:09.000 align:start position:10%
Hari ini kita belajar
membuat laporan keuangan.

01:00:00.000 --> 01:00:02.000
Sampai jumpa!
"""


def _error(text: str, **kwargs: float) -> InvalidCaptions:
    with pytest.raises(InvalidCaptions) as caught:
        validate_webvtt(text, **kwargs)
    return caught.value


def test_a_valid_file_gives_its_cues_in_order() -> None:
    cues = validate_webvtt(GOOD)
    assert cues == [
        Cue(0.0, 4.5, "Selamat datang di pelatihan ini.", identifier="intro"),
        Cue(4.5, 9.0, "Hari ini kita belajar\nmembuat laporan keuangan.", settings="align:start position:10%"),
        Cue(3600.0, 3602.0, "Sampai jumpa!"),
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_fine() -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    assert len(validate_webvtt(text)) == 3


def test_style_blocks_before_the_first_cue_are_skipped() -> None:
    text = "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\n00:01.000 --> 00:02.000\nHalo\n"
    assert [cue.text for cue in validate_webvtt(text)] == ["Halo"]


def test_an_empty_file_is_refused_on_line_1() -> None:
    error = _error("")
    assert error.line_number == 1 and error.message == captions.MSG_EMPTY


def test_an_srt_file_without_header_is_refused_on_line_1() -> None:
    error = _error("1\n00:00:01,000 --> 00:00:02,000\nHalo\n")
    assert error.line_number == 1
    assert "WEBVTT" in error.message
    assert str(error).startswith("Line 1: ")


def test_a_header_glued_to_other_text_is_refused() -> None:
    assert _error("WEBVTTX\n\n00:01.000 --> 00:02.000\nHalo\n").line_number == 1


def test_a_missing_blank_line_after_the_header_points_at_the_timing_line() -> None:
    error = _error("WEBVTT\n00:01.000 --> 00:02.000\nHalo\n")
    assert (error.line_number, error.message) == (2, captions.MSG_HEADER_NEEDS_BLANK)


def test_srt_style_commas_are_explained_with_the_fix() -> None:
    error = _error("WEBVTT\n\n1\n00:00:01,000 --> 00:00:02,000\nHalo\n")
    assert error.line_number == 4
    assert "00:00:01.000" in error.message and "comma" in error.message


@pytest.mark.parametrize("bad", ["00:01 --> 00:02.000", "0:01.000 --> 00:02.000", "00:61.000 --> 01:02.000",
                                 "00:01.0 --> 00:02.000", "00:01.000 -> 00:02.000", "00:01.000 -->"])
def test_a_bad_timestamp_names_its_line(bad: str) -> None:
    error = _error(f"WEBVTT\n\n{bad}\nHalo\n")
    assert error.line_number == 3


def test_a_cue_ending_before_it_starts_is_refused() -> None:
    error = _error("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:05.000 --> 00:04.000\nB\n")
    assert error.line_number == 6
    assert "00:00:04.000" in error.message and "00:00:05.000" in error.message


def test_a_zero_length_cue_is_refused() -> None:
    assert _error("WEBVTT\n\n00:01.000 --> 00:01.000\nA\n").line_number == 3


def test_cues_out_of_time_order_are_refused() -> None:
    error = _error("WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:01.000 --> 00:02.000\nB\n")
    assert error.line_number == 6 and "previous" in error.message


def test_two_cues_without_a_blank_line_between_them_are_refused() -> None:
    error = _error("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:02.000 --> 00:03.000\nB\n")
    assert (error.line_number, error.message) == (5, captions.MSG_MISSING_BLANK_LINE)


def test_an_identifier_without_a_timing_line_is_refused() -> None:
    error = _error("WEBVTT\n\nintro\nSelamat datang\n")
    assert (error.line_number, error.message) == (4, captions.MSG_BAD_TIMING)


def test_an_unknown_cue_setting_is_refused() -> None:
    error = _error("WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nA\n")
    assert error.line_number == 3 and "colour:red" in error.message


def test_a_cue_after_the_video_ends_is_refused_when_the_duration_is_known() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n10:00.000 --> 10:02.000\nB\n"
    assert len(validate_webvtt(text, duration=900.0)) == 2
    assert _error(text, duration=300.0).line_number == 6


def test_indonesian_and_english_are_the_caption_languages() -> None:
    assert CAPTION_LANGUAGES == ("id", "en")
    assert validate_language("ID") == "id"
    assert validate_language("en-US") == "en"
    with pytest.raises(ValueError):
        validate_language("jv")
