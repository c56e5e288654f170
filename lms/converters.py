"""URL converters: ids in URLs are 32-bit database keys, so a longer number is no id at all.

Without the bound, `/grading/submissions/99999999999` reached PostgreSQL, which refuses an
integer parameter out of range (a 500); now such a URL simply matches no route (404).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_DATABASE_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` with a default maximum of the largest key an INTEGER column holds."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_DATABASE_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
