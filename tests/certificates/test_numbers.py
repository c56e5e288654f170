"""Certificate numbers: readable, unique-looking, and a typo is caught by the check character."""
from __future__ import annotations

import pytest

from lms.certificates import numbers
from lms.certificates.numbers import ALPHABET, MalformedNumber, MistypedNumber

SAMPLES = [numbers.format_number(2026, body) for body in ("7K3M9QX2", "00000000", "ZZZZZZZZ",
                                                          "A1B2C3D4")]


def test_a_number_has_the_documented_shape_and_no_confusable_characters():
    for _ in range(200):
        number = numbers.generate(2026)
        prefix, year, first, second, check = number.split("-")
        assert (prefix, year, len(first), len(second), len(check)) == ("ALR", "2026", 4, 4, 1)
        assert not set(first + second + check) & set("ILOU")
        assert numbers.parse(number) == number


@pytest.mark.parametrize("number", SAMPLES)
def test_every_single_character_typo_is_caught(number):
    coded = [i for i, ch in enumerate(number) if i > 3 and ch != "-"]
    for index in coded:
        # The year is digits only; a letter typed there makes the number malformed instead.
        for replacement in ("0123456789" if index < 9 else ALPHABET):
            if replacement == number[index]:
                continue
            typo = number[:index] + replacement + number[index + 1:]
            with pytest.raises(MistypedNumber):
                numbers.parse(typo)


def test_swapping_two_adjacent_characters_is_caught_except_0_and_z():
    number = numbers.format_number(2026, "7K3M9QX2")
    compact = number.replace("-", "")
    missed = []
    for i in range(3, len(compact) - 1):
        a, b = compact[i], compact[i + 1]
        if a == b:
            continue
        swapped = compact[:i] + b + a + compact[i + 2:]
        try:
            numbers.parse(swapped)
            missed.append((a, b))
        except MistypedNumber:
            pass
    assert missed == []
    assert numbers.check_character("20260Z000000") == numbers.check_character("2026Z0000000")


@pytest.mark.parametrize("text", [
    "", "ALR", "ALR-2026", "XYZ-2026-7K3M-9QX2-C", "ALR-26-7K3M-9QX2-C", "ALR-2026-7K3M-9QX2",
    "ALR-2026-7K3M-9QX2-CC", "ALR-2026-7K3M-9QX!-C", "A" * 65, None, 12])
def test_text_that_is_not_a_number_is_malformed(text):
    with pytest.raises(MalformedNumber):
        numbers.parse(text)
