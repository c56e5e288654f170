"""Certificate numbers people can read aloud, type from paper and check for typos.

A number looks like ``ALR-2026-7K3M-9QX2-C``: a fixed prefix, the year of issue, eight
random characters and a check character. The alphabet is Crockford's base 32 (no I, L, O
or U), so the characters people confuse are mapped back (O→0, I/L→1) before checking, and
the check character (Luhn mod 32 over year and body) catches every single-character typo
and every swap of two adjacent characters but 0↔Z (as decimal Luhn misses 09↔90).
"""
from __future__ import annotations

import re
import secrets

PREFIX = "ALR"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^{PREFIX}(\d{{4}})([{ALPHABET}]{{{BODY_LENGTH}}})([{ALPHABET}])$")
MAX_INPUT = 64


class MalformedNumber(ValueError):
    """The text is not shaped like a certificate number at all."""


class MistypedNumber(ValueError):
    """The text has the right shape but its check character does not match."""


def check_character(payload: str) -> str:
    """Luhn mod N: doubling every second code point from the right, digits summed in base N."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def is_valid_check(payload: str, check: str) -> bool:
    return check_character(payload) == check


def format_number(year: int, body: str) -> str:
    payload = f"{year:04d}{body}"
    return f"{PREFIX}-{year:04d}-{body[:4]}-{body[4:]}-{check_character(payload)}"


def generate(year: int) -> str:
    """A fresh random number for the year (40 random bits; the database keeps it unique)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_number(year, body)


def parse(text: str) -> str:
    """The canonical form of a typed number (any case, spaces or dashes, O/I/L for 0/1).

    Raises MalformedNumber when it cannot be a number and MistypedNumber when the check
    character shows a typo."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        raise MalformedNumber(text)
    compact = re.sub(r"[\s\-_.]", "", text).upper()
    if not compact.startswith(PREFIX):
        raise MalformedNumber(text)
    # The prefix keeps its letters; only the coded part may carry look-alike characters.
    compact = PREFIX + compact[len(PREFIX):].translate(_CONFUSABLE)
    match = _SHAPE.match(compact)
    if match is None:
        raise MalformedNumber(text)
    year, body, check = match.groups()
    if not is_valid_check(year + body, check):
        raise MistypedNumber(text)
    return format_number(int(year), body)
