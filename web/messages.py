"""Vietnamese for what the layers below say in English: domain refusals, deadline kinds,
roles and reporting periods. Audit entries and change types are codes, rendered by
service/audit_texts.py."""

from __future__ import annotations

import re
from functools import cache

from domain.errors import DomainError
from i18n import render


class WebError(DomainError):
    """A refusal from the web layer itself, already in Vietnamese."""


_ERRORS_VI: dict[str, str] = {
    "Percent must be between 0 and 100.": "Tỷ lệ hoàn thành phải từ 0 đến 100.",
    "A returned report needs the reason.": "Trả lại báo cáo cần ghi rõ lý do.",
    "A deadline change needs its reason.": "Điều chỉnh thời hạn cần ghi rõ lý do.",
    "This change needs its reason.": "Thay đổi này cần ghi rõ lý do.",
    "Completion needs the output document.": "Báo cáo hoàn thành cần có văn bản, sản phẩm đầu ra.",
    "A task needs at least one lead agency.": "Nhiệm vụ cần ít nhất một cơ quan chủ trì.",
    "An agency cannot both lead and coordinate.":
        "Một cơ quan không thể vừa chủ trì vừa phối hợp.",
    "Task {n} is already assigned so.": "Nhiệm vụ {n} đã được giao như vậy.",
    "Task {n} is already due '{d}'.": "Nhiệm vụ {n} đã có thời hạn '{d}'.",
    "Task {n} has no report {r}.": "Nhiệm vụ {n} không có báo cáo số {r}.",
    "Task {n} is {s}; it takes no reports.": "Nhiệm vụ {n} đã {s}; không nhận báo cáo.",
    "Task {n} is {s}; it can no longer change.": "Nhiệm vụ {n} đã {s}; không thể thay đổi.",
    "Task {n} is suspended; resume it first.":
        "Nhiệm vụ {n} đang tạm dừng; hãy cho tiếp tục trước.",
    "Task {n} is already suspended.": "Nhiệm vụ {n} đang tạm dừng.",
    "Task {n} is not suspended.": "Nhiệm vụ {n} không tạm dừng; không cần cho tiếp tục.",
    "Indicator {c} is a heading; report on its sub-indicators.":
        "Chỉ tiêu {c} là nhóm chỉ tiêu; hãy báo cáo số liệu của các chỉ tiêu con.",
    "A reported value needs its source.": "Số liệu cần ghi rõ nguồn.",
    "'{v}' is not a number.": "'{v}' không phải là số; hãy nhập một số, phần thập phân "
                              "sau dấu phẩy (ví dụ 62,5).",
    "'{v}' is not a finite number.": "'{v}' không phải là số hữu hạn.",
    "The target is already '{t}'.": "Mục tiêu hiện đã là '{t}'.",
    "A target change needs its reason.": "Điều chỉnh mục tiêu cần ghi rõ lý do.",
    "Task {n} has no pending conditional deadline.":
        "Nhiệm vụ {n} không có thời hạn theo điều kiện đang chờ.",
    "Report {r} was already {s}.": "Báo cáo số {r} đã được xử lý ({s}).",
    "Completion on {d} is before the plan was issued ({p}).":
        "Ngày hoàn thành {d} trước ngày ban hành kế hoạch ({p}).",
    "Deadline '{d}' is not understood: {w}":
        "Không hiểu thời hạn '{d}'. Hãy ghi theo dạng 30/06/2025, 6/2025, Quý II/2025 hoặc 2026.",
    "Reporting period '{p}' is not one of YYYY, YYYY-H1/H2, YYYY-Q1..Q4, YYYY-9M or YYYY-MM.":
        "Kỳ báo cáo '{p}' không hợp lệ.",
    "Reporting year {y} is out of range.": "Năm báo cáo {y} nằm ngoài phạm vi.",
    "Agency '{a}' neither leads nor coordinates task {n}.":
        "Cơ quan '{a}' không chủ trì cũng không phối hợp nhiệm vụ {n}.",
    "Agency '{a}' is not in this tenant's registry.": "Cơ quan '{a}' chưa có trong danh mục.",
    "Expected version {e}, but it is now at version {v}; reload and retry.":
        "Dữ liệu vừa được người khác cập nhật (phiên bản {v}); hãy tải lại trang và thử lại.",
    "Someone else recorded a change to the same item first; reload and retry.":
        "Người khác vừa ghi nhận thay đổi trước; hãy tải lại trang và thử lại.",
    "No task {n}.": "Không có nhiệm vụ {n}.",
    "The recorded history of this item does not load: it was changed outside the service. "
    "Nothing was recorded; an operator must verify the log (r57 verify --live) and restore it.":
        "Lịch sử đã ghi của mục này không đọc được: dữ liệu đã bị thay đổi ngoài hệ thống. "
        "Chưa ghi nhận gì; quản trị viên cần kiểm tra nhật ký (r57 verify --live) và khôi "
        "phục.",
    "No tenant '{t}'.": "Không có đơn vị '{t}'.",
    "No indicator {c}.": "Không có chỉ tiêu {c}.",
    "No agency '{a}'.": "Không có cơ quan '{a}'.",
    "No plan {p} in this tenant.": "Không có kế hoạch {p}.",
    "No {w}.": "Không tìm thấy {w}.",
    "This tenant has no plan yet; import one first.": "Đơn vị chưa có kế hoạch; hãy nhập kế hoạch.",
    "This tenant has several plans; name one: {p}":
        "Đơn vị có nhiều kế hoạch; hãy chọn một kế hoạch: {p}.",
    "Plan {p} was imported from another document; record corrections as commands, not by "
    "importing again.": "Kế hoạch {p} đã được nhập từ một văn bản khác; hãy điều chỉnh bằng "
                       "các thao tác trên nhiệm vụ, không nhập lại.",
    "The document has no plan number.": "Văn bản không có số hiệu kế hoạch.",
    "The document lists {w} {v} twice.": "Văn bản liệt kê {w} {v} hai lần.",
    "{c} row(s) could not be read; nothing was recorded.":
        "{c} dòng không đọc được; chưa ghi nhận gì.",
    "Tenant '{t}' is archived; it records nothing new.":
        "Đơn vị '{t}' đã lưu trữ; không ghi nhận thêm thay đổi.",
    "The cursor is not one this service issued.": "Liên kết phân trang không hợp lệ.",
}

_ROW_REASONS_VI: dict[str, str] = {
    "the task has no title": "nhiệm vụ không có tên",
    "the task has no number": "nhiệm vụ không có số thứ tự",
    "unreadable task number '{x}'": "không đọc được số thứ tự '{x}'",
    "task {n} appears twice in group {g}": "nhiệm vụ {n} có hai lần trong nhóm {g}",
    "indicator {c} appears twice": "chỉ tiêu {c} có hai lần",
    "unreadable group '{x}'": "không đọc được nhóm '{x}'",
    "unreadable year '{x}'": "không đọc được năm '{x}'",
    "the indicator has no name": "chỉ tiêu không có tên",
    "group {c} has no title": "nhóm {c} không có tên",
    "lines that belong to no row": "các dòng không thuộc hàng nào của bảng",
}

DEADLINE_KINDS_VI = {
    "date": "Ngày cụ thể", "month": "Tháng", "quarter": "Quý", "year": "Năm",
    "range": "Giai đoạn", "yearly": "Hằng năm", "continuous": "Thường xuyên",
    "conditional": "Theo điều kiện", "unparsed": "Chưa xác định",
}

ROLES_VI = {
    "system_admin": "Quản trị hệ thống",
    "tenant_admin": "Cơ quan thường trực",
    "agency_reporter": "Cán bộ báo cáo của cơ quan",
    "auditor": "Kiểm toán",
    "inspector": "Thanh tra",
}

REPORT_STATES_VI = {"submitted": "Chờ xác nhận", "verified": "Đã xác nhận",
                    "returned": "Bị trả lại"}
TASK_STATES_VI = {"open": "đang thực hiện", "completed": "hoàn thành", "cancelled": "bị hủy",
                  "suspended": "tạm dừng"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_vi(code: str | None) -> str:
    """'2025-Q2' -> 'Quý II/2025', as the province's reports name periods."""
    if not code:
        return ""
    year, _, part = code.partition("-")
    if not part:
        return f"Năm {year}"
    if part.startswith("Q"):
        return f"Quý {_ROMAN.get(int(part[1]), part[1])}/{year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    if part == "9M":
        return f"9 tháng năm {year}"
    return f"Tháng {part}/{year}"


def error_vi(error: DomainError) -> str:
    if isinstance(error, WebError):
        return error.message
    coded = error.as_message()
    if coded is not None:
        return render(coded, "vi")
    return _translate(error.message, _compiled_errors()) or (
        "Không thể ghi nhận: dữ liệu chưa hợp lệ (" + error.message + ")")


def row_reason_vi(reason: str) -> str:
    """Why an imported row was not read; the reader may prefix where it was ("table 2: ")."""
    where, _, what = reason.rpartition(": ")
    translated = _translate(what, _compiled_rows())
    if translated is None:
        return reason
    return f"{where}: {translated}" if where else translated


def _translate(message: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str | None:
    for pattern, template in table:
        match = pattern.fullmatch(message)
        if match:
            found = match.groupdict()
            if "s" in found:
                found["s"] = TASK_STATES_VI.get(found["s"], REPORT_STATES_VI.get(found["s"],
                                                                                found["s"]))
            if "period" in found:
                found["period"] = period_vi(found["period"])
            if "num" in found:  # a decimal comma, as Vietnamese documents write numbers
                found["num"] = found["num"].replace(".", ",")
            return template.format(**found)
    return None


def _compile(table: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for english, vietnamese in sorted(table.items(), key=lambda t: -len(t[0])):
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))
        compiled.append((re.compile(regex, re.DOTALL), vietnamese))
    return tuple(compiled)


@cache
def _compiled_errors() -> tuple[tuple[re.Pattern[str], str], ...]:
    return _compile(_ERRORS_VI)


@cache
def _compiled_rows() -> tuple[tuple[re.Pattern[str], str], ...]:
    return _compile(_ROW_REASONS_VI)
