"""Deadlines as written in a plan's "Thời gian hoàn thành" column, and what they mean.

`parse_deadline` reads the common Vietnamese forms (a date, a month, a quarter, a year, a
range, "Hằng năm", "Thường xuyên", "Ngay sau khi ...") and never raises: text it cannot
read is kept as UNPARSED with a warning, so no deadline is ever lost on import.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from domain.messages import Message, Param
from domain.text import ascii_digits, fold, nfc


class DeadlineKind(StrEnum):
    DATE = "date"  # a day: "15/3/2025"
    MONTH = "month"  # "3/2025", due on its last day
    QUARTER = "quarter"  # "Quý I/2025", due on its last day
    YEAR = "year"  # "2025", due on 31/12
    RANGE = "range"  # "2025 - 2030", due at the end of its last period
    YEARLY = "yearly"  # "Hằng năm": due every year, no single due date
    CONTINUOUS = "continuous"  # "Thường xuyên": never due, reported every period
    CONDITIONAL = "conditional"  # "Ngay sau khi ...": due once an outside event happens
    UNPARSED = "unparsed"  # kept as written, with a warning


_DATED = {
    DeadlineKind.DATE,
    DeadlineKind.MONTH,
    DeadlineKind.QUARTER,
    DeadlineKind.YEAR,
    DeadlineKind.RANGE,
}
_PERIODS = _DATED - {DeadlineKind.DATE}
_UNDATED = {DeadlineKind.YEARLY, DeadlineKind.CONTINUOUS, DeadlineKind.UNPARSED}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Years outside this window are read but flagged: they are almost always typing slips.
_PLAUSIBLE_YEARS = range(2000, 2101)
# How long a conditional task has once its trigger happens, unless the plan says otherwise.
DEFAULT_TRIGGER_DAYS = 30


@dataclass(frozen=True)
class Deadline:
    text: str  # as written, NFC-normalised; kept whatever the kind
    kind: DeadlineKind
    due: date | None  # the last day to finish, when there is one
    start: date | None = None  # first day of the month, quarter, year or range; of a
    #                            yearly task, the first day of its first year
    warning: str | None = None  # why the text could not be read, or looks wrong
    annual_due: str | None = None  # a yearly task's day in each year, "MM-DD" ("12-15")
    # The warning as a catalogue message ("deadline_warning.empty"), when just parsed; the
    # log keeps the Vietnamese `warning` it always kept, so this is neither stored nor compared.
    warning_message: Message | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        problem = _inconsistency(self)
        if problem:
            raise ValueError(f"Inconsistent deadline {self.text!r}: {problem}.")

    def to_dict(self) -> dict[str, str | None]:
        found = {
            "text": self.text,
            "kind": self.kind.value,
            "due": _iso(self.due),
            "start": _iso(self.start),
            "warning": self.warning,
        }
        if self.annual_due:  # absent otherwise, so earlier deadlines keep their exact form
            found["annual_due"] = self.annual_due
        return found

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Deadline:
        text, kind = data.get("text"), data.get("kind")
        if text is None or kind is None:
            raise ValueError("A deadline needs both 'text' and 'kind'.")
        return cls(
            text=text,
            kind=DeadlineKind(kind),
            due=_from_iso(data.get("due")),
            start=_from_iso(data.get("start")),
            warning=data.get("warning"),
            annual_due=data.get("annual_due"),
        )

    def is_open_ended(self) -> bool:
        return self.due is None

    def due_in_year(self, year: int) -> date | None:
        if self.kind is DeadlineKind.YEARLY:
            if self.start and year < self.start.year:
                return None  # "Từ năm 2026": nothing is due in 2025
            month, day = (int(part) for part in (self.annual_due or "12-31").split("-"))
            return date(year, month, day)
        return self.due if self.due is not None and self.due.year == year else None

    def with_trigger(self, triggered_on: date, days: int = DEFAULT_TRIGGER_DAYS) -> Deadline:
        """The deadline once its trigger happened: due `days` days after `triggered_on`.

        The period runs from the trigger day, so `start` is `triggered_on`.
        """
        if self.kind is not DeadlineKind.CONDITIONAL:
            raise ValueError(f"Only a conditional deadline has a trigger, not {self.kind.value}.")
        if days < 0:
            raise ValueError(f"Days after the trigger cannot be negative: {days}.")
        return replace(self, start=triggered_on, due=triggered_on + timedelta(days=days))

    def describe_vi(self) -> str:
        return _DESCRIBERS[self.kind](self)


def parse_deadline(text: str) -> Deadline:
    """Read a deadline cell; never raises, and always keeps `text` (NFC-normalised)."""
    original = nfc(text)
    body = _LEADING_WORDS.sub("", _clean(original))
    if not body:
        return _unparsed(original, *_warned("empty", "Thời hạn để trống."))
    special = _special(original, body)
    if special is not None:
        return special
    for kind, pattern in _OPEN_FORMS:
        if pattern.match(body):
            return Deadline(original, kind, None)
    try:
        found = _single(body) or _range(body)
    except _ImpossibleValueError as invalid:
        return _unparsed(original, str(invalid), invalid.message)
    if found is None:
        return _unparsed(original, *_warned(
            "not_recognised", f"Không nhận dạng được thời hạn “{original}”.", text=original))
    return _flag_unlikely_year(Deadline(original, found.kind, found.due, found.start))


# "Nhiệm vụ thường xuyên", "Thực hiện hằng năm": words that only say it is a task.
_LEADING_WORDS = re.compile(r"^(?:nhiem vu|thuc hien|trien khai)\s+")
_EVERY_YEAR = r"(?:hang|moi)\s+nam"
_CONTINUOUS_YEARLY = re.compile(rf"(?:thuong xuyen|lien tuc)\W+{_EVERY_YEAR}\b")
_YEARLY_FROM = (
    re.compile(r"(?:tu\s+)?(?:nam\s+)?([0-9]{4})\s+va\s+(?:nhung|cac)\s+nam\s+tiep\s+theo"),
    re.compile(r"tu\s+nam\s+([0-9]{4})(?:\s+(?:tro\s+di|tro\s+ve\s+sau))?"),
)
_QUARTERS_YEARLY = re.compile(
    rf"(?:quy\s*(?:[ivx]+|[1-4])(?:\s*(?:,|va)\s*)?)+\s*{_EVERY_YEAR}"
)
_QUARTER_NAMED = re.compile(r"quy\s*([ivx]+|[1-4])")
_DAY_YEARLY = re.compile(
    rf"(?:truoc\s+)?(?:ngay\s+)?([0-9]{{1,2}})[/.-]([0-9]{{1,2}})\s*(?:,\s*)?{_EVERY_YEAR}"
)
_FOLLOWS = re.compile(r"(?:theo\s+tien\s+do|theo\s+lo\s+trinh)\b")


def _special(original: str, body: str) -> Deadline | None:
    """The phrases plans use for recurring or dependent deadlines (README, "Deadlines")."""
    if _CONTINUOUS_YEARLY.fullmatch(body):
        return Deadline(original, DeadlineKind.YEARLY, None)
    for pattern in _YEARLY_FROM:
        found = pattern.fullmatch(body)
        if found:
            year = int(found.group(1))
            if year not in _PLAUSIBLE_YEARS:
                return _unparsed(original, *_warned(
                    "unlikely_year", f"Năm {year} có vẻ nhầm; hãy kiểm tra lại.", year=year))
            return Deadline(original, DeadlineKind.YEARLY, None, start=date(year, 1, 1))
    if _QUARTERS_YEARLY.fullmatch(body):
        last = max(_quarter(q) for q in _QUARTER_NAMED.findall(body))
        month = last * 3
        day = calendar.monthrange(2001, month)[1]  # a quarter never ends on 29 February
        return Deadline(original, DeadlineKind.YEARLY, None, annual_due=f"{month:02d}-{day:02d}")
    found = _DAY_YEARLY.fullmatch(body)
    if found:
        day, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
            return _unparsed(original, *_warned(
                "no_such_day", f"Ngày {day}/{month} không tồn tại.", day=day, month=month))
        return Deadline(original, DeadlineKind.YEARLY, None, annual_due=f"{month:02d}-{day:02d}")
    if _FOLLOWS.match(body):
        return _unparsed(original, *_warned(
            "depends_on_progress",
            f"Thời hạn phụ thuộc tiến độ khác (“{original}”); hãy ghi thời hạn cụ thể khi có.",
            text=original))
    return None


class _ImpossibleValueError(Exception):
    """The text has a known shape but an impossible value; the message is the warning."""

    def __init__(self, code: str, text: str, /, **params: Param) -> None:
        super().__init__(text)
        self.message = _warned(code, text, **params)[1]


def _warned(code: str, text: str, /, **params: Param) -> tuple[str, Message]:
    """A deadline's warning as the log keeps it (Vietnamese) and as a catalogue message;
    tests/unit/test_deadlines.py checks that the catalogue renders the same Vietnamese."""
    return text, Message(f"deadline_warning.{code}", params)


@dataclass(frozen=True)
class _Span:
    kind: DeadlineKind
    start: date | None
    due: date

    @property
    def first_day(self) -> date:
        return self.start or self.due


_OPEN_FORMS = (
    (DeadlineKind.CONDITIONAL, re.compile(r"(ngay sau khi|sau khi|ngay khi|khi)\s")),
    (DeadlineKind.CONTINUOUS, re.compile(r"(thuong xuyen|lien tuc)\b")),
    (DeadlineKind.YEARLY, re.compile(r"(dinh ky\s+)?(hang|moi)\s+nam\b")),
)
_NUM = r"([0-9]+)"
_DATE_LEAD = r"(?:truoc\s+)?(?:ngay\s+)?"
_MONTH_YEAR = r"(?:\s+nam\s+|/)"
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE = re.compile(_DATE_LEAD + r"([0-9]{1,2})([/.-])([0-9]{1,2})\2" + _NUM)
_WORDY_DATE = re.compile(_DATE_LEAD + r"([0-9]{1,2})\s+thang\s+([0-9]{1,2})" + _MONTH_YEAR + _NUM)
_MONTH = re.compile(r"(?:thang\s*|t\s*)?([0-9]{1,2})(?:\s+nam\s+|[/-])" + _NUM)
_QUARTER = re.compile(r"(?:quy|q)\s*([ivx]+|[0-9]+)(?:/|\s+nam\s+|\s+)" + _NUM)
_YEAR = re.compile(r"(?:nam\s+)?" + _NUM)
# Words that add nothing to a single period: "trong năm 2025", "đến năm 2030".
_FILLER = re.compile(r"^(?:(?:trong|den|cuoi)\s+)+")
_RANGE_LEAD = re.compile(r"(?:giai doan|tu)\s+")
_RANGE_SEPARATOR = re.compile(r"\s*-\s*|\s+den\s+")
# En dash, em dash, minus sign and non-breaking hyphen all separate a range.
_DASHES = str.maketrans(dict.fromkeys("\u2013\u2014\u2212\u2011", "-"))


def _clean(text: str) -> str:
    """Folded text with dashes unified, spaces around '/' removed and edge punctuation cut."""
    folded = fold(ascii_digits(text)).translate(_DASHES)
    folded = re.sub(r"\s*/\s*", "/", folded)
    return folded.strip(" .,;:!?…•*+").strip()


def _single(body: str) -> _Span | None:
    body = _FILLER.sub("", body)
    for pattern, reader in _READERS:
        match = pattern.fullmatch(body)
        if match:
            return reader(match)
    return None


def _range(body: str) -> _Span | None:
    """Try every separator as the split point; '2025-03-01 - 2025-06-30' has several."""
    lead = _RANGE_LEAD.match(body)
    body = body[lead.end() :] if lead else body
    first_error: _ImpossibleValueError | None = None
    for left, right in _splits(body):
        try:
            span = _join(_single(left), _single(right))
        except _ImpossibleValueError as invalid:
            first_error = first_error or invalid
            continue
        if span:
            return span
    if first_error:
        raise first_error
    return None


def _splits(body: str) -> Iterator[tuple[str, str]]:
    for match in _RANGE_SEPARATOR.finditer(body):
        if match.start() > 0 and match.end() < len(body):
            yield body[: match.start()], body[match.end() :]


def _join(first: _Span | None, last: _Span | None) -> _Span | None:
    if first is None or last is None:
        return None
    if first.first_day > last.first_day or first.due > last.due:
        raise _ImpossibleValueError(
            "reversed_range",
            f"Khoảng thời gian bị ngược: bắt đầu {_vi(first.first_day)} "
            f"sau khi kết thúc {_vi(last.due)}.",
            start=_iso(first.first_day), end=_iso(last.due))
    return _Span(DeadlineKind.RANGE, first.first_day, last.due)


def _read_iso(match: re.Match[str]) -> _Span:
    year, month, day = match.groups()
    return _day(day, month, year)


def _read_dmy(match: re.Match[str]) -> _Span:
    day, _, month, year = match.groups()
    return _day(day, month, year)


def _read_wordy(match: re.Match[str]) -> _Span:
    day, month, year = match.groups()
    return _day(day, month, year)


def _read_month(match: re.Match[str]) -> _Span:
    month, year = _month(match[1]), _year(match[2])
    return _Span(DeadlineKind.MONTH, date(year, month, 1), _month_end(year, month))


def _read_quarter(match: re.Match[str]) -> _Span:
    quarter, year = _quarter(match[1]), _year(match[2])
    last_month = quarter * 3
    start = date(year, last_month - 2, 1)
    return _Span(DeadlineKind.QUARTER, start, _month_end(year, last_month))


def _read_year(match: re.Match[str]) -> _Span:
    year = _year(match[1])
    return _Span(DeadlineKind.YEAR, date(year, 1, 1), date(year, 12, 31))


_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Span]], ...] = (
    (_ISO_DATE, _read_iso),
    (_DMY_DATE, _read_dmy),
    (_WORDY_DATE, _read_wordy),
    (_MONTH, _read_month),
    (_QUARTER, _read_quarter),
    (_YEAR, _read_year),
)


def _day(day: str, month: str, year: str) -> _Span:
    number, month_number, year_number = int(day), _month(month), _year(year)
    try:
        return _Span(DeadlineKind.DATE, None, date(year_number, month_number, number))
    except ValueError:
        raise _ImpossibleValueError("no_such_date", f"Ngày {day}/{month}/{year} không tồn tại.",
                                    day=day, month=month, year=year) from None


def _month(text: str) -> int:
    month = int(text)
    if not 1 <= month <= 12:
        raise _ImpossibleValueError("bad_month", f"Tháng {text} không hợp lệ (phải từ 1 đến 12).",
                                    text=text)
    return month


def _quarter(text: str) -> int:
    quarter = _ROMAN.get(text) or (int(text) if text.isdigit() else 0)
    if not 1 <= quarter <= 4:
        raise _ImpossibleValueError(
            "bad_quarter", f"Quý {text.upper()} không hợp lệ (phải từ I đến IV).",
            text=text.upper())
    return quarter


def _year(text: str) -> int:
    if len(text) != 4 or text == "0000":
        raise _ImpossibleValueError("bad_year", f"Năm {text} không hợp lệ (cần 4 chữ số).",
                                    text=text)
    return int(text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _flag_unlikely_year(deadline: Deadline) -> Deadline:
    years = {day.year for day in (deadline.start, deadline.due) if day}
    unlikely = sorted(year for year in years if year not in _PLAUSIBLE_YEARS)
    if not unlikely:
        return deadline
    text, warned = _warned("unlikely_year", f"Năm {unlikely[0]} có vẻ nhầm; hãy kiểm tra lại.",
                           year=unlikely[0])
    return replace(deadline, warning=text, warning_message=warned)


def _unparsed(text: str, warning: str, message: Message | None = None) -> Deadline:
    return Deadline(text, DeadlineKind.UNPARSED, None, warning=warning, warning_message=message)


def _inconsistency(deadline: Deadline) -> str | None:
    kind = deadline.kind
    if kind in _DATED and deadline.due is None:
        return f"a {kind.value} deadline needs a due date"
    if kind in _PERIODS and deadline.start is None:
        return f"a {kind.value} deadline needs a start date"
    if kind in _UNDATED and deadline.due:
        return f"a {kind.value} deadline has no due date"
    if kind in _UNDATED - {DeadlineKind.YEARLY} and deadline.start:
        return f"a {kind.value} deadline has no dates"
    if deadline.annual_due and kind is not DeadlineKind.YEARLY:
        return "only a yearly deadline has a day in each year"
    if kind is DeadlineKind.UNPARSED and not deadline.warning:
        return "an unparsed deadline needs a warning"
    if deadline.start and deadline.due and deadline.start > deadline.due:
        return "it starts after it is due"
    return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _from_iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _vi(day: date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else "?"


def _describe_date(deadline: Deadline) -> str:
    return f"Ngày {_vi(deadline.due)}"


def _describe_month(deadline: Deadline) -> str:
    start = deadline.start or date.min
    return f"Tháng {start.month}/{start.year} (hạn {_vi(deadline.due)})"


def _describe_quarter(deadline: Deadline) -> str:
    start = deadline.start or date.min
    roman = ("I", "II", "III", "IV")[(start.month - 1) // 3]
    return f"Quý {roman}/{start.year} (hạn {_vi(deadline.due)})"


def _describe_year(deadline: Deadline) -> str:
    year = deadline.due.year if deadline.due else "?"
    return f"Năm {year} (hạn {_vi(deadline.due)})"


def _describe_range(deadline: Deadline) -> str:
    start, due = deadline.start or date.min, deadline.due or date.max
    if (start.month, start.day, due.month, due.day) == (1, 1, 12, 31):
        return f"Giai đoạn {start.year}–{due.year} (hạn {_vi(due)})"
    return f"Từ {_vi(start)} đến {_vi(due)}"


def _describe_yearly(deadline: Deadline) -> str:
    text = "Hằng năm"
    if deadline.annual_due:
        month, day = deadline.annual_due.split("-")
        text += f", hạn ngày {day}/{month}"
    if deadline.start:
        text += f", từ năm {deadline.start.year}"
    return text


def _describe_conditional(deadline: Deadline) -> str:
    if deadline.due is None:
        return f"Có điều kiện: {deadline.text}"
    return f"Có điều kiện: {deadline.text} (hạn {_vi(deadline.due)})"


def _describe_unparsed(deadline: Deadline) -> str:
    return f"Chưa rõ thời hạn: {deadline.text}" if deadline.text else "Chưa có thời hạn"


_DESCRIBERS: dict[DeadlineKind, Callable[[Deadline], str]] = {
    DeadlineKind.DATE: _describe_date,
    DeadlineKind.MONTH: _describe_month,
    DeadlineKind.QUARTER: _describe_quarter,
    DeadlineKind.YEAR: _describe_year,
    DeadlineKind.RANGE: _describe_range,
    DeadlineKind.YEARLY: _describe_yearly,
    DeadlineKind.CONTINUOUS: lambda _: "Thường xuyên",
    DeadlineKind.CONDITIONAL: _describe_conditional,
    DeadlineKind.UNPARSED: _describe_unparsed,
}
