"""Markers read from single cells: task numbers, roman group codes, years, column numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
_ROMAN = re.compile(r"^([IVXLC]+)[.)]?$")
# A group row merged across the whole table, number included: "I. Nâng cao nhận thức..."
_ROMAN_HEADING = re.compile(r"^([IVXLC]+)[.)]\s*(\S.*)$")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_COLUMN_NUMBER = re.compile(r"^\(?(\d+)\)?$")
_ROMAN_VALUES = (
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def to_roman(value: int) -> str:
    """3 -> 'III'; group numbers written in arabic are stored as roman numerals."""
    digits = []
    for amount, numeral in _ROMAN_VALUES:
        count, value = divmod(value, amount)
        digits.append(numeral * count)
    return "".join(digits)


def from_roman(text: str) -> int | None:
    """'IV' -> 4; None unless `text` is a well-formed numeral ('IIII' is not)."""
    total, rest = 0, text
    for amount, numeral in _ROMAN_VALUES:
        while rest.startswith(numeral):
            total, rest = total + amount, rest[len(numeral) :]
    return total if not rest and total and to_roman(total) == text else None


def task_number(text: str) -> str | None:
    """'1.' -> '1', '7.1' -> '7.1'; None when the cell holds no number."""
    found = _NUMBER.match(text.strip())
    return found.group(1) if found else None


def roman(text: str) -> str | None:
    """'II.' -> 'II'; None when the cell is not a roman numeral."""
    found = _ROMAN.match(text.strip())
    return found.group(1) if found and from_roman(found.group(1)) else None


def roman_heading(text: str) -> tuple[str, str] | None:
    """'II. Khẩn trương...' -> ('II', 'Khẩn trương...')."""
    found = _ROMAN_HEADING.match(text.strip())
    if found and from_roman(found.group(1)):
        return found.group(1), found.group(2)
    return None


def group_code(text: str) -> str | None:
    """A group cell written 'II', 'II.' or '2' -> 'II'."""
    number = task_number(text)
    if number and number.isdigit() and 0 < int(number) < 400:
        return to_roman(int(number))
    return roman(text)


def last_year(text: str) -> int | None:
    """The last year named: 'Đến năm 2030' -> 2030, 'Giai đoạn 2026 - 2030' -> 2030."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def is_column_numbers(cells: Sequence[str]) -> bool:
    """True for the '(1) (2) (3)...' row that many Vietnamese tables put under the header."""
    filled = [cell for cell in cells if cell]
    numbers = [_COLUMN_NUMBER.match(cell) for cell in filled]
    if len(filled) < 3 or not all(numbers):
        return False
    values = [int(found.group(1)) for found in numbers if found]
    return values == list(range(values[0], values[0] + len(values)))


def distinct(cells: Iterable[str]) -> list[str]:
    """Non-empty cells with consecutive repeats removed, as merged cells repeat their text."""
    kept: list[str] = []
    for cell in cells:
        if cell and (not kept or kept[-1] != cell):
            kept.append(cell)
    return kept
