"""Reporting periods: monthly, quarterly, six-monthly, nine-monthly and yearly."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.text import ascii_digits

# Accepted spellings: 2025, 2025-H1, 2025-Q3, 2025-9M, 2025-03 (a month).
_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<part>H[12]|Q[1-4]|9M|0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    start: date
    end: date
    code: str

    @classmethod
    def parse(cls, text: str) -> ReportingPeriod:
        match = _PATTERN.match(ascii_digits(text).strip().upper())
        if match is None:
            raise DomainError("period.invalid", field="period", period=text)
        year, part = int(match["year"]), match["part"]
        if not 2000 <= year <= 2100:
            raise DomainError("period.year_out_of_range", field="period", year=year)
        first, last = _months(part)
        end_day = calendar.monthrange(year, last)[1]
        return cls(date(year, first, 1), date(year, last, end_day), match.group(0))

    def __str__(self) -> str:
        return self.code


def _months(part: str | None) -> tuple[int, int]:
    """First and last month of a period part."""
    if part is None:
        return 1, 12
    if part.startswith("H"):
        return (1, 6) if part == "H1" else (7, 12)
    if part.startswith("Q"):
        quarter = int(part[1])
        return 3 * quarter - 2, 3 * quarter
    if part == "9M":
        return 1, 9
    return int(part), int(part)
