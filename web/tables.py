"""Tables for export: the status table, the scorecard and the change log, each as CSV
(UTF-8 with a byte order mark, so Excel reads Vietnamese) or as an XLSX workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from projections.plan_status import TaskStatus
from projections.scorecard import AgencyScore
from web.formatting import day, moment
from web.messages import CHANGE_TYPES_VI, period_vi, summary_vi
from web.state import VIETNAM
from web.views.changes import TenantChange

Cell = str | int | float | date | datetime | None
BOM = "\ufeff"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def status_table(rows: Sequence[TaskStatus]) -> Table:
    return Table("Tình trạng nhiệm vụ", (
        "Nhóm", "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả",
        "Thời hạn", "Hạn hoàn thành", "Số lần điều chỉnh hạn", "Số ngày lùi hạn",
        "Tình trạng", "Kỳ báo cáo gần nhất", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành",
        "Văn bản, sản phẩm"), [
        (r.group, r.number, r.title, "; ".join(r.leads), "; ".join(r.coordinators),
         r.expected_output, r.deadline, r.due, r.deadline_changes, r.slip_days,
         r.status.label_vi, period_vi(r.last_report_period), r.last_report_percent,
         r.completed_on, r.output_document) for r in rows])


def scorecard_table(rows: Sequence[AgencyScore], year: int) -> Table:
    return Table(f"Kết quả của các cơ quan năm {year}", (
        "Hạng", "Cơ quan", "Nhiệm vụ chủ trì", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
        "Quá hạn", "Tỷ lệ đúng hạn (%)", "Báo cáo", "Báo cáo đúng hạn"), [
        (s.rank, s.agency, s.led, s.done_on_time, s.done_late, s.overdue,
         round(s.on_time_rate * 100, 1), s.reports, s.reports_on_time) for s in rows])


def _changed(change: TenantChange) -> str:
    return "; ".join(f"{old or '-'} → {new or '-'}"
                     for old, new in change.entry.changes.values())


def changes_table(changes: Sequence[TenantChange]) -> Table:
    return Table("Nhật ký thay đổi", (
        "Thời điểm ghi nhận", "Ngày hiệu lực", "Đơn vị", "Loại thay đổi", "Đối tượng",
        "Nội dung", "Từ → thành", "Lý do", "Văn bản", "Người ghi nhận", "Thay mặt cơ quan"), [
        (c.entry.recorded_at, c.entry.effective_on, c.tenant.display_name,
         CHANGE_TYPES_VI.get(c.entry.change_type or "", c.entry.change_type),
         c.entry.subject.replace("task", "Nhiệm vụ").replace("indicator", "Chỉ tiêu"),
         summary_vi(c.entry.summary), _changed(c), c.entry.reason, c.entry.document,
         c.entry.actor, c.entry.on_behalf_of) for c in changes])


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return moment(cell)
    if isinstance(cell, date):
        return day(cell)
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    return str(cell)


# A typed text starting with one of these is a formula to Excel or LibreOffice: written as
# typed, a reporter's "=HYPERLINK(...)" would run in the reader's spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(table: Table) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(table.headers)
    writer.writerows([_inert(_text(c)) for c in row] for row in table.rows)
    return (BOM + stream.getvalue()).encode("utf-8")


def _cell(cell: Cell) -> Cell:
    # Excel stores no time zone: recorded times are written in Vietnam's clock.
    if isinstance(cell, datetime):
        return cell.astimezone(VIETNAM).replace(tzinfo=None)
    if isinstance(cell, str):
        return _inert(cell)
    return cell


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append(list(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([_cell(c) for c in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    for index, header in enumerate(table.headers, start=1):
        widest = max([len(header)] + [len(_text(r[index - 1])) for r in table.rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, widest + 2))
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
