"""Validate WebVTT caption files that providers upload next to their videos.

Captions matter here: learners often watch muted on a bus or in a shared room,
and a file the browser silently rejects means no captions at all with no hint
why. So we parse strictly at upload time and name the line at fault, in words
a provider who exported subtitles from a video editor can act on (the most
common mistake by far is an SRT file renamed to .vtt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a message for translation; views translate it when showing it.

    Extract with ``pybabel extract -k N_``. Messages use ``{name}``
    placeholders and are formatted after translation.
    """
    return message


CAPTION_LANGUAGES = ("id", "en")

MSG_EMPTY = N_("The caption file is empty.")
MSG_MISSING_HEADER = N_('A WebVTT file must start with the line "WEBVTT".')
MSG_BAD_HEADER = N_('The first line must be "WEBVTT", optionally followed by a space and a title.')
MSG_HEADER_NEEDS_BLANK = N_('Leave an empty line after the "WEBVTT" header, before the first caption.')
MSG_BAD_TIMING = N_('Expected a timing line like "00:01.000 --> 00:04.000".')
MSG_BAD_TIMESTAMP = N_('"{value}" is not a valid time. Use minutes:seconds.milliseconds, e.g. 01:02.500 or 00:01:02.500.')
MSG_COMMA_TIMESTAMP = N_('"{value}" uses a comma before the milliseconds (SRT style). WebVTT needs a full stop: {fixed}.')
MSG_END_NOT_AFTER_START = N_("This caption ends ({end}) before or when it starts ({start}).")
MSG_OUT_OF_ORDER = N_("This caption starts ({start}) before the previous caption ({previous}). Captions must be in time order.")
MSG_BAD_SETTING = N_('"{value}" is not a valid caption setting (allowed: vertical, line, position, size, align, region).')
MSG_MISSING_BLANK_LINE = N_("A new caption starts here without an empty line before it.")
MSG_PAST_END = N_("This caption starts at {start}, after the video ends ({duration}).")
MSG_UNSUPPORTED_LANGUAGE = N_('Captions can be in Indonesian ("id") or English ("en"), not "{value}".')

TIMESTAMP = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
COMMA_TIMESTAMP = re.compile(r"^(?:\d{2,}:)?\d{2}:\d{2},\d{3}$")
ARROW = "-->"
LOOKS_LIKE_TIMING = re.compile(r"^\s*(?:\d+:)?\d+:\d+[.,]?\d*\s*(?:-|–|—|→)")
SETTING_NAMES = frozenset({"vertical", "line", "position", "size", "align", "region"})


class InvalidCaptions(Exception):
    """The file would be rejected or misread by players; names the line at fault."""

    def __init__(self, line_number: int, message: str) -> None:
        super().__init__(f"Line {line_number}: {message}")
        self.line_number = line_number
        self.message = message


@dataclass(frozen=True)
class Cue:
    """One caption: shown from `start` to `end` seconds of media time."""

    start: float
    end: float
    text: str
    identifier: str | None = None
    settings: str = ""


def format_timestamp(seconds: float) -> str:
    """Seconds as a WebVTT timestamp (HH:MM:SS.mmm), for messages and exports."""
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def parse_timestamp(value: str, line_number: int) -> float:
    """Seconds from a WebVTT timestamp, or InvalidCaptions for this line."""
    match = TIMESTAMP.match(value)
    if match:
        hours, minutes, seconds, millis = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
    if COMMA_TIMESTAMP.match(value):
        raise InvalidCaptions(line_number, MSG_COMMA_TIMESTAMP.format(value=value, fixed=value.replace(",", ".")))
    raise InvalidCaptions(line_number, MSG_BAD_TIMESTAMP.format(value=value))


def validate_language(code: str) -> str:
    """Normalise "ID" / "id-ID" / "en_US" to a supported code, or raise ValueError."""
    primary = re.split(r"[-_]", (code or "").strip())[0].lower()
    if primary not in CAPTION_LANGUAGES:
        raise ValueError(MSG_UNSUPPORTED_LANGUAGE.format(value=code))
    return primary


def _parse_timing(line: str, line_number: int) -> tuple[float, float, str]:
    left, arrow, right = line.partition(ARROW)
    if not arrow:
        raise InvalidCaptions(line_number, MSG_BAD_TIMING)
    start = parse_timestamp(left.strip(), line_number)
    right_parts = right.split()
    if not right_parts:
        raise InvalidCaptions(line_number, MSG_BAD_TIMING)
    end = parse_timestamp(right_parts[0], line_number)
    for setting in right_parts[1:]:
        name, colon, value = setting.partition(":")
        if not colon or not value or name not in SETTING_NAMES:
            raise InvalidCaptions(line_number, MSG_BAD_SETTING.format(value=setting))
    return start, end, " ".join(right_parts[1:])


def _blocks(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    """Group lines into blank-line separated blocks with their 1-based start line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first
    for index in range(first, len(lines)):
        line = lines[index]
        if line.strip() == "":
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = index + 1
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def _is_keyword_block(first_line: str, keyword: str) -> bool:
    return first_line == keyword or first_line.startswith((keyword + " ", keyword + "\t"))


def validate_webvtt(text: str, duration: float | None = None) -> list[Cue]:
    """Parse a WebVTT document into cues, or raise InvalidCaptions.

    `duration`, when given, is the video's length: a cue starting after the end
    usually means captions made for a different cut of the video.
    """
    text = text.removeprefix("\ufeff").replace("\x00", "\ufffd")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        raise InvalidCaptions(1, MSG_EMPTY)
    header = lines[0]
    if not header.startswith("WEBVTT"):
        raise InvalidCaptions(1, MSG_MISSING_HEADER)
    if len(header) > 6 and header[6] not in (" ", "\t"):
        raise InvalidCaptions(1, MSG_BAD_HEADER)

    # The header block runs to the first blank line; a timing line inside it
    # means the blank line was forgotten, and browsers then drop that cue.
    index = 1
    while index < len(lines) and lines[index].strip():
        if ARROW in lines[index]:
            raise InvalidCaptions(index + 1, MSG_HEADER_NEEDS_BLANK)
        index += 1

    cues: list[Cue] = []
    for start_line, block in _blocks(lines, index):
        first = block[0]
        # Comments anywhere, and style/region definitions before the first cue
        # (where the format allows them), carry no captions.
        if ARROW not in first and (
            _is_keyword_block(first, "NOTE")
            or (not cues and (_is_keyword_block(first, "STYLE") or _is_keyword_block(first, "REGION")))
        ):
            continue
        identifier: str | None = None
        timing_offset = 0
        if ARROW not in first:
            if LOOKS_LIKE_TIMING.match(first):
                # "00:01.000 -> 00:02.000": a mistyped arrow, not a cue name.
                raise InvalidCaptions(start_line, MSG_BAD_TIMING)
            if len(block) < 2 or ARROW not in block[1]:
                raise InvalidCaptions(start_line + (1 if len(block) > 1 else 0), MSG_BAD_TIMING)
            identifier, timing_offset = first.strip(), 1
        timing_line = start_line + timing_offset
        start, end, settings = _parse_timing(block[timing_offset], timing_line)
        if end <= start:
            raise InvalidCaptions(timing_line, MSG_END_NOT_AFTER_START.format(
                start=format_timestamp(start), end=format_timestamp(end)))
        if cues and start < cues[-1].start:
            raise InvalidCaptions(timing_line, MSG_OUT_OF_ORDER.format(
                start=format_timestamp(start), previous=format_timestamp(cues[-1].start)))
        if duration is not None and start >= duration:
            raise InvalidCaptions(timing_line, MSG_PAST_END.format(
                start=format_timestamp(start), duration=format_timestamp(duration)))
        payload = block[timing_offset + 1:]
        for offset, line in enumerate(payload):
            if ARROW in line:
                # Usually two cues with no blank line between them; report the
                # line that should have been a new cue.
                raise InvalidCaptions(timing_line + 1 + offset, MSG_MISSING_BLANK_LINE)
        cues.append(Cue(start=start, end=end, text="\n".join(payload), identifier=identifier,
                        settings=settings))
    return cues
