"""Audit entries and change types in words, English and Vietnamese, from their codes.

An entry stores a code and its parameters (`AuditEntry.code`, `.params`); the edges (web,
API, CLI) render it here in the reader's language. Texts name their parameters in braces,
with an optional kind: {due:date} (dd/mm/yyyy in Vietnamese), {value:number} (a decimal
comma in Vietnamese), {period:period} (2025-Q2 -> Quý II/2025); a list shows joined by "; ".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from string import Formatter
from typing import Any

from projections.audit import AuditEntry

LANGUAGES = ("vi", "en")

AUDIT_TEXTS: dict[str, dict[str, str]] = {
    "audit.task_added": {
        "en": "Task {number} added: lead {leads}, due '{deadline}'",
        "vi": "Giao nhiệm vụ {number}: chủ trì {leads}, thời hạn '{deadline}'"},
    "audit.task_reassigned": {
        "en": "Reassigned to {leads}",
        "vi": "Giao lại cho {leads}"},
    "audit.deadline_changed": {
        "en": "Deadline changed from '{old}' to '{new}'",
        "vi": "Điều chỉnh thời hạn từ '{old}' thành '{new}'"},
    "audit.trigger_recorded": {
        "en": "Condition met on {triggered_on:date}; due {due:date}",
        "vi": "Điều kiện đã xảy ra ngày {triggered_on:date}; hạn hoàn thành {due:date}"},
    "audit.progress_reported": {
        "en": "Report {report} for {period:period}: {percent}%",
        "vi": "Báo cáo số {report}, {period:period}: {percent}%"},
    "audit.report_verified": {
        "en": "Report {report} verified",
        "vi": "Báo cáo số {report} đã được xác nhận"},
    "audit.report_returned": {
        "en": "Report {report} returned",
        "vi": "Báo cáo số {report} bị trả lại"},
    "audit.task_completed": {
        "en": "Completed on {completed_on:date} with {output_document}",
        "vi": "Hoàn thành ngày {completed_on:date}, sản phẩm: {output_document}"},
    "audit.task_cancelled": {"en": "Task cancelled", "vi": "Hủy nhiệm vụ"},
    "audit.task_suspended": {"en": "Task suspended", "vi": "Tạm dừng nhiệm vụ"},
    "audit.task_resumed": {"en": "Task resumed", "vi": "Tiếp tục thực hiện nhiệm vụ"},
    "audit.indicator_defined": {
        "en": "Indicator {code} defined: target '{target}'",
        "vi": "Xác lập chỉ tiêu {code}: mục tiêu '{target}'"},
    "audit.value_reported": {
        "en": "Value {value:number} reported for {period:period}",
        "vi": "Báo cáo giá trị {value:number}, {period:period}"},
    "audit.target_changed": {
        "en": "Target changed from '{old}' to '{new}'",
        "vi": "Điều chỉnh mục tiêu từ '{old}' thành '{new}'"},
    "audit.plan_issued": {"en": "Plan {number} issued", "vi": "Ban hành kế hoạch {number}"},
    "audit.group_added": {
        "en": "Group {code} added: {title}", "vi": "Thêm nhóm nhiệm vụ {code}: {title}"},
    "audit.agency_registered": {
        "en": "Agency {name} registered", "vi": "Đăng ký cơ quan {name}"},
    "audit.agency_renamed": {
        "en": "Agency renamed from {old} to {new}",
        "vi": "Đổi tên cơ quan từ {old} thành {new}"},
    "audit.catalogue_opened": {
        "en": "Plan catalogue opened", "vi": "Lập danh mục kế hoạch của đơn vị"},
    "audit.plan_listed": {
        "en": "Plan {number} listed", "vi": "Đưa kế hoạch {number} vào danh mục"},
    "audit.completion_requested": {
        "en": "Completion {request} requested: done on {completed_on:date} with "
              "{output_document}",
        "vi": "Đề nghị xác nhận hoàn thành số {request}: hoàn thành ngày {completed_on:date}, "
              "sản phẩm: {output_document}"},
    "audit.completion_accepted": {
        "en": "Completion {request} accepted: done on {completed_on:date}",
        "vi": "Xác nhận hoàn thành (đề nghị số {request}): hoàn thành ngày {completed_on:date}"},
    "audit.completion_returned": {
        "en": "Completion {request} returned",
        "vi": "Trả lại đề nghị hoàn thành số {request}"},
    "audit.task_reopened": {"en": "Task reopened", "vi": "Mở lại nhiệm vụ"},
    "audit.completion_date_corrected": {
        "en": "Completion date corrected from {old:date} to {new:date}",
        "vi": "Sửa ngày hoàn thành từ {old:date} thành {new:date}"},
    "audit.extension_requested": {
        "en": "Extension {request} requested: due '{new}'",
        "vi": "Đề nghị gia hạn số {request}: thời hạn '{new}'"},
    "audit.extension_approved": {
        "en": "Extension {request} approved: due '{new}' instead of '{old}'",
        "vi": "Chấp thuận gia hạn (đề nghị số {request}): thời hạn '{new}' thay cho '{old}'"},
    "audit.extension_refused": {
        "en": "Extension {request} refused",
        "vi": "Không chấp thuận đề nghị gia hạn số {request}"},
    "audit.direction_recorded": {
        "en": "Direction {direction}: {text}",
        "vi": "Ý kiến chỉ đạo số {direction}: {text}"},
    "audit.direction_answered": {
        "en": "Answer to direction {direction}: {text}",
        "vi": "Trả lời chỉ đạo số {direction}: {text}"},
}

CHANGE_TYPE_TEXTS: dict[str, dict[str, str]] = {
    "deadline_changed": {"en": "Deadline changed", "vi": "Điều chỉnh thời hạn"},
    "reassigned": {"en": "Reassigned", "vi": "Giao lại nhiệm vụ"},
    "report_returned": {"en": "Report returned", "vi": "Trả lại báo cáo"},
    "report_corrected": {"en": "Report corrected", "vi": "Báo cáo lại trong cùng kỳ"},
    "cancelled": {"en": "Cancelled", "vi": "Hủy nhiệm vụ"},
    "suspended": {"en": "Suspended", "vi": "Tạm dừng nhiệm vụ"},
    "resumed": {"en": "Resumed", "vi": "Tiếp tục nhiệm vụ"},
    "trigger_recorded": {"en": "Condition met", "vi": "Điều kiện thời hạn đã xảy ra"},
    "target_changed": {"en": "Target changed", "vi": "Điều chỉnh chỉ tiêu"},
    "agency_renamed": {"en": "Agency renamed", "vi": "Đổi tên cơ quan"},
    "completion_accepted": {"en": "Completion accepted", "vi": "Xác nhận hoàn thành"},
    "completion_returned": {"en": "Completion returned", "vi": "Trả lại đề nghị hoàn thành"},
    "reopened": {"en": "Reopened", "vi": "Mở lại nhiệm vụ"},
    "completion_date_corrected": {"en": "Completion date corrected",
                                  "vi": "Sửa ngày hoàn thành"},
    "extension_requested": {"en": "Extension requested", "vi": "Đề nghị gia hạn"},
    "extension_refused": {"en": "Extension refused", "vi": "Không chấp thuận gia hạn"},
    "direction_recorded": {"en": "Direction recorded", "vi": "Ý kiến chỉ đạo"},
    "direction_answered": {"en": "Direction answered", "vi": "Trả lời chỉ đạo"},
}

# How a changed field's old and new values read: task and report states are codes.
_STATE_TEXTS: dict[str, dict[str, str]] = {
    "open": {"en": "open", "vi": "đang thực hiện"},
    "completed": {"en": "completed", "vi": "hoàn thành"},
    "completion_pending": {"en": "awaiting acceptance", "vi": "chờ xác nhận hoàn thành"},
    "cancelled": {"en": "cancelled", "vi": "bị hủy"},
    "suspended": {"en": "suspended", "vi": "tạm dừng"},
    "submitted": {"en": "submitted", "vi": "chờ xác nhận"},
    "verified": {"en": "verified", "vi": "đã xác nhận"},
    "returned": {"en": "returned", "vi": "bị trả lại"},
}
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def audit_text(entry: AuditEntry, language: str = "vi") -> str:
    """The entry's summary line in `language`."""
    return render(entry.code, entry.params, language)


def entry_json(entry: AuditEntry, language: str = "en") -> dict[str, Any]:
    """An entry as the API and `--json` show it: its fields, and its summary in words."""
    return {**entry.to_dict(), "summary": audit_text(entry, language)}


def render(code: str, params: Mapping[str, Any], language: str = "vi") -> str:
    texts = AUDIT_TEXTS.get(code)
    if texts is None:
        raise KeyError(f"No text for audit code {code!r}.")
    return _Formatter(language).vformat(texts[language], (), dict(params))


def change_type_text(change_type: str | None, language: str = "vi") -> str:
    if not change_type:
        return ""
    return CHANGE_TYPE_TEXTS[change_type][language]


def change_value(field: str, value: str, language: str = "vi") -> str:
    """One side of a changed field ("submitted", "2025-06-30", "62.5") as the reader reads it."""
    if field in ("state", "report") and value in _STATE_TEXTS:
        return _STATE_TEXTS[value][language]
    if field == "value":
        return _number(value, language)
    return _day(value, language)


def changes_text(entry: AuditEntry, language: str = "vi") -> str:
    """"old → new" per changed field, "-" for a side with no value."""
    return "; ".join(
        f"{change_value(field, old, language) or '-'} → {change_value(field, new, language) or '-'}"
        for field, (old, new) in entry.changes.items())


def period_text(code: str, language: str = "vi") -> str:
    """'2025-Q2' -> 'Quý II/2025' in Vietnamese; English keeps the code."""
    if language != "vi" or not code:
        return code
    year, _, part = code.partition("-")
    if not part:
        return f"Năm {year}"
    if part.startswith("Q"):
        return f"Quý {_ROMAN.get(part[1:], part[1:])}/{year}"
    named = {"H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm", "9M": "9 tháng năm"}
    if part in named:
        return f"{named[part]} {year}"
    return f"Tháng {part}/{year}"


def _day(value: Any, language: str) -> str:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if not isinstance(day, date):
        return "" if value is None else str(value)
    return day.strftime("%d/%m/%Y") if language == "vi" else day.isoformat()


def _number(value: Any, language: str) -> str:
    text = "" if value is None else str(value)
    return text.replace(".", ",") if language == "vi" else text


class _Formatter(Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key), "")

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":
            return _day(value, self.language)
        if format_spec == "number":
            return _number(value, self.language)
        if format_spec == "period":
            return period_text(str(value or ""), self.language)
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value) or "-"
        return "" if value is None else str(value)
