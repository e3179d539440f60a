"""How official outputs write values: dd/mm/yyyy dates, decimal commas, "40%"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.clock import VIETNAM as ZONE
from domain.status import StatusClass
from projections.scorecard import AgencyScore

VIETNAM = ZoneInfo(ZONE)  # the one clock's zone (domain/clock.py): printed times follow it
STATUS_SHORT = {
    StatusClass.DONE_ON_TIME: "Hoàn thành đúng hạn",
    StatusClass.DONE_LATE: "Hoàn thành quá hạn",
    StatusClass.OPEN_WITHIN_DEADLINE: "Đang thực hiện trong hạn",
    StatusClass.OPEN_OVERDUE: "Quá hạn",
    StatusClass.NOT_STARTED: "Chưa triển khai",
}
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def day(value: date | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


def ended_note(score: AgencyScore) -> str:
    """How an agency's duties passed on, for an agency shown apart from the ranking:
    "Đã được kế nhiệm bởi Sở Khoa học và Công nghệ từ ngày 01/03/2025"."""
    successors = "; ".join(score.successors)
    when = f"từ ngày {day(score.ended_on)}"
    if score.ended == "succession":
        return f"Đã được kế nhiệm bởi {successors} {when}"
    if score.ended == "merger":
        return f"Đã hợp nhất vào {successors} {when}"
    if score.ended == "dissolution":
        return f"Đã giải thể {when}"
    return ""


def moment_words(value: datetime) -> str:
    """'16 giờ 45 phút ngày 29/11/2026' in Vietnam's clock."""
    local = value.astimezone(VIETNAM)
    return f"{local.hour} giờ {local.minute:02d} phút ngày {local:%d/%m/%Y}"


def number(value: object) -> str:
    """Vietnamese digits: '.' groups thousands, ',' marks decimals: 1.234,5."""
    if value is None or value == "":
        return ""
    text = str(value)
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}".replace(",", ".") if digits.isdigit() else digits
    return sign + grouped + ("," + fraction if fraction else "")


def percent(share: float) -> str:
    """'8,3%': one decimal, no space before the sign."""
    text = f"{share * 100:.1f}".replace(".", ",")
    return text.removesuffix(",0") + "%"


def period_words(code: str | None) -> str:
    if not code:
        return ""
    year, _, part = code.partition("-")
    if not part:
        return f"năm {year}"
    if part.startswith("Q"):
        return f"quý {_ROMAN.get(part[1], part[1])}/{year}"
    if part in ("H1", "H2"):
        return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {year}"
    if part == "9M":
        return f"9 tháng năm {year}"
    return f"tháng {int(part)}/{year}"
