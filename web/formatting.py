"""How pages write values: dates dd/mm/yyyy, times in Vietnam, numbers with a decimal comma,
and how they read dates typed the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint

from domain.status import StatusClass
from domain.text import ascii_digits
from i18n import render, render_code
from reports.words import ended_note
from service.audit_texts import audit_text, change_type_text
from web.messages import WebError, deadline_kind_vi, period_vi, report_state_vi, role_vi
from web.people import actor_name
from web.state import local

_DAY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Colours of the status classes, dark enough for white text (WCAG AA, 4.5:1).
STATUS_COLOURS = {
    StatusClass.DONE_ON_TIME: "#157f3b",
    StatusClass.DONE_LATE: "#c2410c",
    StatusClass.OPEN_WITHIN_DEADLINE: "#1d4ed8",
    StatusClass.OPEN_OVERDUE: "#b91c1c",
    StatusClass.NOT_STARTED: "#4b5563",
    StatusClass.CANCELLED: "#111827",
    StatusClass.SUSPENDED: "#6d28d9",
}
FIVE_CLASSES = (StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE,
                StatusClass.OPEN_WITHIN_DEADLINE, StatusClass.OPEN_OVERDUE,
                StatusClass.NOT_STARTED)


def day(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = local(value) if value.tzinfo else value
    return f"{value:%d/%m/%Y}"


def moment(value: datetime | str | None) -> str:
    """A recorded time, in Vietnam's clock: '27/02/2025 14:05'."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{local(value):%d/%m/%Y %H:%M}"


def number(value: object) -> str:
    """Decimal comma, as Vietnamese documents write numbers: 62,5."""
    if value is None or value == "":
        return ""
    text = str(value)
    return text.replace(".", ",")


def percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + " %"


def parse_day(text: str, field: str, *, required: bool = True) -> date | None:
    """dd/mm/yyyy (or ISO yyyy-mm-dd, as date pickers send); refused with the field named."""
    text = ascii_digits(text).strip()
    if not text:
        if required:
            raise WebError("Hãy nhập ngày theo dạng dd/mm/yyyy.", field=field)
        return None
    try:
        found = None
        if _ISO_DAY.fullmatch(text):
            found = date.fromisoformat(text)
        elif match := _DAY.fullmatch(text):
            found = date(int(match[3]), int(match[2]), int(match[1]))
        if found is not None and 1900 <= found.year <= 2999:
            return found
    except ValueError:
        pass
    raise WebError(f"'{text}' không phải ngày hợp lệ; hãy nhập theo dạng dd/mm/yyyy, từ "
                   "01/01/1900 đến 31/12/2999.", field=field)


def parse_int(text: str, field: str, low: int, high: int, label: str) -> int:
    try:
        value = Decimal(ascii_digits(text).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value() or not low <= value <= high:
        raise WebError(f"{label} phải là số nguyên từ {low} đến {high}.", field=field)
    return int(value)


def install(bp: Blueprint) -> None:
    filters: dict[str, Callable[..., Any]] = {
        "vi_actor": actor_name,
        "vi_ended": ended_note,
        "vi_day": day, "vi_moment": moment, "vi_number": number, "vi_percent": percent,
        "vi_period": period_vi, "vi_row_reason": lambda reason: render(reason, "vi"),
        "vi_audit": lambda entry: audit_text(entry, "vi"),
        "vi_change": lambda code: change_type_text(code, "vi"),
        "vi_revision_kind": lambda kind: render_code(f"revision_kind.{kind}", "vi"),
        "vi_deadline_kind": deadline_kind_vi,
        "vi_report_state": report_state_vi,
        "vi_role": role_vi,
        "status_colour": lambda s: STATUS_COLOURS[StatusClass(s)],
        "status_label": lambda s: StatusClass(s).label_vi,
    }
    for name, function in filters.items():
        bp.add_app_template_filter(function, name)
