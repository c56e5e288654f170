"""URL converters: ids in URLs are 32-bit database keys, so a longer number is no id at all.

Without the bound, `/grading/submissions/99999999999` reached PostgreSQL, which refuses an
integer parameter out of range (a 500); now such a URL simply matches no route (404).

The bound is in the converter's regular expression, not only in its `to_python`: Werkzeug
judges the method of a rule whose pattern matched before it converts the values, so where a
GET and a POST rule share a path, a POST to `/enrollments/99999999999/rating` found the GET
rule's pattern matching, the POST rule's conversion failing, and answered 405, not 404.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_DATABASE_ID = 2**31 - 1


def digits_at_most(maximum: int) -> str:
    """A regular expression (no capturing groups) matching exactly the decimal numbers from 0
    to `maximum` (non-negative), written without leading zeros."""
    bound = str(maximum)
    if len(bound) == 1:
        return f"(?:[0-{bound}])"
    alternatives = ["0", r"[1-9]\d{0,%d}" % (len(bound) - 2)]  # the shorter numbers
    # As long as the bound: its first i digits, a smaller digit at i, then any digits.
    for i, digit in enumerate(bound):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(bound) - i - 1
            alternatives.append(f"{bound[:i]}[{low}-{int(digit) - 1}]"
                                + (r"\d{%d}" % rest if rest else ""))
    alternatives.append(bound)
    return "(?:" + "|".join(alternatives) + ")"


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` with a default maximum of the largest key an INTEGER column holds."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_DATABASE_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if max is not None and not signed and not fixed_digits:
            self.regex = digits_at_most(max)
