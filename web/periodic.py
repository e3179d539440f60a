"""The periodic report's page: which period, which date, who signs; the document itself is
written by `reports` (Word and PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import request

from domain.errors import DomainError
from reports import periodic, periods
from reports.periodic import Particulars, PeriodicReport
from reports.periods import KINDS, ReportPeriod
from web.formatting import parse_day
from web.messages import error_vi
from web.state import end_of_day, queries, state, tenancy

_TEXT_FIELDS = ("number", "signer_title", "signer_name")


@dataclass(frozen=True)
class ReportChoice:
    """What the form asked for, as typed, and what was wrong with it."""

    kind: str
    year: int
    args: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def _period(kind: str, year: int, errors: dict[str, str]) -> ReportPeriod:
    today = state().today()
    if kind == "dates":
        try:
            start = parse_day(request.args.get("from", ""), "from")
            end = parse_day(request.args.get("to", ""), "to")
            if start and end:
                return periods.between(start, end)
        except DomainError as error:
            errors[error.field or "from"] = error_vi(error)
        return periods.quarter_of(today)
    return periods.chosen(kind, year)


def _known_at(on: date, errors: dict[str, str]) -> datetime:
    now = state().clock.now()
    text = request.args.get("known_at", "").strip()
    if text:
        try:
            known = datetime.fromisoformat(text)
            if known.tzinfo is not None:
                return min(known, now)
        except ValueError:
            pass
        errors["known_at"] = "Thời điểm dữ liệu không hợp lệ; đã dùng thời điểm hiện tại."
    # Made now, the report reads everything recorded so far; asked "as it stood on the
    # report's date", it reads only what had been recorded by the end of that day.
    if request.args.get("data") == "on_date":
        return min(now, end_of_day(on))
    return now


def read_choice() -> tuple[ReportChoice, ReportPeriod, date, datetime, Particulars]:
    args = request.args
    today = state().today()
    errors: dict[str, str] = {}
    kind = args.get("kind", "") or f"Q{(today.month - 1) // 3 + 1}"
    if kind not in KINDS and kind != "dates":
        errors["kind"] = "Hãy chọn kỳ báo cáo trong danh sách."
        kind = f"Q{(today.month - 1) // 3 + 1}"
    try:
        year = int(args.get("year", "") or today.year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors["year"] = "Năm báo cáo phải là số từ 2000 đến 2100."
        year = today.year
    period = _period(kind, year, errors)
    try:
        on = parse_day(args.get("on", ""), "on", required=False) or min(today, period.end)
    except DomainError as error:
        errors["on"] = error_vi(error)
        on = min(today, period.end)
    known_at = _known_at(on, errors)
    texts = {name: args.get(name, "").strip()[:120] for name in _TEXT_FIELDS}
    particulars = Particulars(
        number=texts["number"], signer_title=texts["signer_title"] or "Giám đốc",
        signer_name=texts["signer_name"])
    shown = {name: args.get(name, "") for name in ("from", "to", "on")} | texts
    return ReportChoice(kind, year, shown, errors), period, on, known_at, particulars


def build(slug: str) -> tuple[ReportChoice, PeriodicReport]:
    choice, period, on, known_at, particulars = read_choice()
    tenant = tenancy().registry.get(slug)
    report = periodic.build(queries(slug), tenant.display_name, period, on, known_at,
                            particulars, simulated=tenant.simulated)
    return choice, report


def same_report_args(choice: ReportChoice, report: PeriodicReport) -> dict[str, str]:
    """The query that makes this very report again: the period, the date and the instant
    the data was read at."""
    args = {"kind": choice.kind, "year": str(choice.year), "on": f"{report.on:%d/%m/%Y}",
            "known_at": report.known_at.isoformat()}
    if choice.kind == "dates":
        args |= {"from": f"{report.period.start:%d/%m/%Y}", "to": f"{report.period.end:%d/%m/%Y}"}
    return args | {k: v for k, v in choice.args.items() if k in _TEXT_FIELDS and v}
