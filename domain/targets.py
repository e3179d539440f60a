"""Indicator targets as written in a plan ("≥ 80", "> 0,7", "16 - 18", "Tiên tiến, hiện đại")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import DomainError
from domain.text import fold, nfc


class Comparator(StrEnum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    RANGE = "range"
    QUALITATIVE = "qualitative"


@dataclass(frozen=True)
class Target:
    text: str  # as written, always kept
    comparator: Comparator
    value: Decimal | None  # None only when QUALITATIVE
    value_max: Decimal | None = None  # upper bound of a RANGE
    unit: str = ""
    note: str = ""  # free text after the number: "và tăng dần theo yêu cầu phát triển"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "text": self.text,
            "comparator": self.comparator.value,
            "value": _str_or_none(self.value),
            "value_max": _str_or_none(self.value_max),
            "unit": self.unit,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Target:
        try:
            return cls(
                text=data["text"] or "",
                comparator=Comparator(data["comparator"] or ""),
                value=_decimal_or_none(data["value"]),
                value_max=_decimal_or_none(data.get("value_max")),
                unit=data.get("unit") or "",
                note=data.get("note") or "",
            )
        except (KeyError, ValueError, InvalidOperation) as error:
            raise DomainError("target.invalid", field="target", error=str(error)) from None

    def is_met_by(self, actual: Decimal) -> bool | None:
        """Whether an achieved value meets the target; None when it cannot be judged."""
        low, high = self.value, self.value_max
        if low is None:
            return None
        if self.comparator is Comparator.RANGE:
            return high is not None and low <= actual <= high
        return _CHECKS[self.comparator](actual, low) if self.comparator in _CHECKS else None


_CHECKS = {
    Comparator.GE: Decimal.__ge__,
    Comparator.GT: Decimal.__gt__,
    Comparator.LE: Decimal.__le__,
    Comparator.LT: Decimal.__lt__,
    Comparator.EQ: Decimal.__eq__,
}

# Vietnamese numbers: "," is the decimal mark, "." groups thousands ("1.000,5").
_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
# How plans write each comparator; a named group per comparator tells which one matched.
_SPELLINGS = {
    Comparator.GE: "≥|>=|=>|⩾|tối thiểu|ít nhất|không dưới|không thấp hơn|không ít hơn|từ",
    Comparator.LE: "≤|<=|=<|⩽|tối đa|không quá|không vượt quá|không cao hơn|không lớn hơn",
    Comparator.GT: ">|trên|hơn|lớn hơn|cao hơn|nhiều hơn",
    Comparator.LT: "<|dưới|nhỏ hơn|thấp hơn|ít hơn",
    Comparator.EQ: "=|bằng",
}


def _longest_first(spellings: str) -> str:
    return "|".join(sorted(map(re.escape, spellings.split("|")), key=len, reverse=True))


_OPERATOR = "|".join(f"(?P<{c.name}>{_longest_first(s)})" for c, s in _SPELLINGS.items())
_SUFFIXES = {"trở lên": Comparator.GE, "trở xuống": Comparator.LE}
_TARGET = re.compile(
    rf"(?:đạt\s+)?(?:(?:{_OPERATOR})\s*)?(?P<value>{_NUMBER})"
    rf"(?:\s*(?:-|–|—|~|đến|tới)\s*(?P<max>{_NUMBER}))?"
    r"(?P<unit>\s*%(?:/[^\W\d_]+)?)?(?![\w%])\s*(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_RANKS = {"thu bac", "thu hang", "xep hang", "hang"}


def parse_target(text: str, unit: str = "") -> Target:
    """Read a target cell. Never raises: what it cannot read is kept as a QUALITATIVE target."""
    unit = nfc(unit)
    match = _TARGET.fullmatch(nfc(text))
    if match is None:
        return Target(text, Comparator.QUALITATIVE, None, unit=unit)
    value, value_max = _to_decimal(match["value"]), match["max"]
    rest, suffix = _split_suffix(match["rest"])
    found_unit = (match["unit"] or "").strip()
    if value_max is not None:
        low, high = sorted((value, _to_decimal(value_max)))
        comparator, value, high_value = Comparator.RANGE, low, high
    else:
        operator = next((c for c in _SPELLINGS if match[c.name]), None)
        comparator, high_value = _comparator(operator, suffix, unit), None
    return Target(text, comparator, value, high_value, unit or found_unit, rest)


def _comparator(operator: Comparator | None, suffix: Comparator | None, unit: str) -> Comparator:
    if suffix is not None:
        return suffix
    if operator is not None:
        return operator
    # A bare number is a level to reach: at least it, or for a rank, that place or better.
    return Comparator.LE if fold(unit) in _RANKS else Comparator.GE


def _split_suffix(rest: str) -> tuple[str, Comparator | None]:
    """'trở lên, tăng dần' -> ('tăng dần', GE)."""
    for words, comparator in _SUFFIXES.items():
        if rest.casefold().startswith(words):
            return rest[len(words) :].strip(" ,;."), comparator
    return rest.strip(" ,;."), None


def _to_decimal(number: str) -> Decimal:
    whole, _, fraction = number.partition(",")
    if "." in whole and fraction == "" and not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", whole):
        return Decimal(whole)  # "0.7": a decimal point, not thousands
    whole = whole.replace(".", "")
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _str_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_or_none(value: str | None) -> Decimal | None:
    number = None if value is None else Decimal(value)
    if number is not None and not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number
