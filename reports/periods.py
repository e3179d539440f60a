"""The period a report covers: a quarter, a half-year, nine months, a year, or two dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.periods import ReportingPeriod

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KINDS = {"Q1": "Quý I", "Q2": "Quý II", "Q3": "Quý III", "Q4": "Quý IV",
         "H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm", "9M": "9 tháng",
         "Y": "Cả năm"}


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date
    label: str  # "quý II năm 2025", "6 tháng đầu năm 2025", "từ 01/03/2025 đến 30/06/2025"
    code: str  # "2025-Q2", "2025", "2025-03-01..2025-06-30": what a URL carries

    def covers(self, period_code: str) -> bool:
        """Whether a reporting period (of an agency's report) falls within this one."""
        try:
            reported = ReportingPeriod.parse(period_code)
        except DomainError:
            return False
        return self.start <= reported.end <= self.end


def of_reporting(period: ReportingPeriod) -> ReportPeriod:
    year, _, part = period.code.partition("-")
    if not part:
        label = f"năm {year}"
    elif part.startswith("Q"):
        label = f"quý {_ROMAN[int(part[1])]} năm {year}"
    elif part == "H1":
        label = f"6 tháng đầu năm {year}"
    elif part == "H2":
        label = f"6 tháng cuối năm {year}"
    elif part == "9M":
        label = f"9 tháng năm {year}"
    else:
        label = f"tháng {int(part)} năm {year}"
    return ReportPeriod(period.start, period.end, label, period.code)


def chosen(kind: str, year: int) -> ReportPeriod:
    """A named period of a year: kind is Q1..Q4, H1, H2, 9M or Y."""
    if kind not in KINDS:
        raise DomainError("report_period.unknown_kind", field="kind")
    return of_reporting(ReportingPeriod.parse(str(year) if kind == "Y" else f"{year}-{kind}"))


def between(start: date, end: date) -> ReportPeriod:
    if end < start:
        raise DomainError("report_period.ends_before_start", field="to")
    return ReportPeriod(start, end, f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
                        f"{start.isoformat()}..{end.isoformat()}")


def quarter_of(day: date) -> ReportPeriod:
    return chosen(f"Q{(day.month - 1) // 3 + 1}", day.year)
