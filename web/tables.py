"""Tables for export: the status table with a summary per agency, the scorecard and the
change log, each as CSV (UTF-8 with a byte order mark, so Excel reads Vietnamese) or as an
XLSX workbook ready to print (see reports.spreadsheet)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime

from domain.status import StatusClass
from domain.text import sort_key
from projections.plan_status import TaskStatus
from projections.scorecard import AgencyScore
from reports.spreadsheet import Cell, Heading, Sheet, inert
from reports.spreadsheet import to_xlsx as workbook
from reports.words import ended_note
from service.audit_texts import audit_text, change_type_text, changes_text
from service.national import NationalComparison
from web.formatting import FIVE_CLASSES, day, moment
from web.messages import period_vi
from web.people import actor_name
from web.views.changes import TenantChange

Table = Sheet  # one table of an export: a sheet of the workbook, or the whole CSV
BOM = "\ufeff"


def status_table(rows: Sequence[TaskStatus]) -> Sheet:
    return Sheet("Tình trạng nhiệm vụ", "Tình trạng thực hiện các nhiệm vụ", (
        "Nhóm", "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả",
        "Thời hạn", "Hạn hoàn thành", "Số lần điều chỉnh hạn", "Số ngày lùi hạn",
        "Tình trạng", "Kỳ báo cáo gần nhất", "Tỷ lệ hoàn thành (%)", "Ngày hoàn thành",
        "Văn bản, sản phẩm", "Kế hoạch"), [
        (r.group, r.number, r.title, "; ".join(r.leads), "; ".join(r.coordinators),
         r.expected_output, r.deadline, r.due, r.deadline_changes, r.slip_days,
         r.status.label_vi, period_vi(r.last_report_period), r.last_report_percent,
         r.completed_on, r.output_document, r.plan) for r in rows],
        widths={0: 7, 1: 6, 2: 50, 3: 28, 4: 28, 5: 24, 15: 16})


def agency_summary(rows: Sequence[TaskStatus]) -> Sheet:
    """Per lead agency and plan: the tasks it leads by status, and the shares done."""
    counted: dict[tuple[str, str], dict[StatusClass, int]] = {}
    for row in rows:
        for lead in row.leads:
            counts = counted.setdefault((row.plan, lead), {})
            counts[row.status] = counts.get(row.status, 0) + 1
    table: list[tuple[Cell, ...]] = []
    for (plan, agency), counts in sorted(counted.items(), key=_agency_order):
        total = sum(counts.get(c, 0) for c in FIVE_CLASSES)
        done = counts.get(StatusClass.DONE_ON_TIME, 0) + counts.get(StatusClass.DONE_LATE, 0)
        table.append((agency, total, *[counts.get(c, 0) for c in FIVE_CLASSES],
                      done / total if total else 0.0,
                      counts.get(StatusClass.DONE_ON_TIME, 0) / total if total else 0.0, plan))
    return Sheet("Tổng hợp theo cơ quan", "Tổng hợp tình trạng theo cơ quan chủ trì", (
        "Cơ quan chủ trì", "Số nhiệm vụ", *[c.label_vi for c in FIVE_CLASSES],
        "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn", "Kế hoạch"), table, percent_columns=(7, 8),
        widths={0: 40, 9: 16})


def _agency_order(item: tuple[tuple[str, str], object]) -> tuple[object, ...]:
    (plan, agency), _ = item
    return (plan, sort_key(agency))


def scorecard_table(rows: Sequence[AgencyScore], year: int, plans: str = "",
                    apart: Sequence[AgencyScore] = ()) -> Sheet:
    """The ranked agencies, then, unranked with a note, the collectives and the agencies
    whose duties had passed on (`apart`)."""
    def note(s: AgencyScore) -> str:
        if s.ended:
            return f"{ended_note(s)}; không xếp hạng"
        return "Nhóm cơ quan, không xếp hạng" if s.is_collective else ""

    return Sheet(f"Xếp hạng cơ quan năm {year}", f"Kết quả của các cơ quan năm {year}", (
        "Hạng", "Cơ quan", "Nhiệm vụ chủ trì", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
        "Quá hạn", "Tỷ lệ đúng hạn", "Báo cáo", "Báo cáo đúng hạn", "Kế hoạch", "Ghi chú"), [
        (s.rank or None, s.agency, s.led, s.done_on_time, s.done_late, s.overdue,
         s.on_time_rate, s.reports, s.reports_on_time, plans, note(s))
        for s in (*rows, *apart)],
        percent_columns=(6,), widths={1: 40, 9: 16, 10: 40})


def changes_table(changes: Sequence[TenantChange],
                  plan_of: Callable[[TenantChange], str] = lambda _: "") -> Sheet:
    return Sheet("Nhật ký thay đổi", "Nhật ký thay đổi", (
        "Thời điểm ghi nhận", "Ngày hiệu lực", "Đơn vị", "Loại thay đổi", "Đối tượng",
        "Nội dung", "Từ → thành", "Lý do", "Văn bản", "Người ghi nhận", "Thay mặt cơ quan",
        "Kế hoạch"), [
        (c.entry.recorded_at, c.entry.effective_on, c.tenant.display_name,
         change_type_text(c.entry.change_type, "vi"),
         c.entry.subject.replace("task", "Nhiệm vụ").replace("indicator", "Chỉ tiêu"),
         audit_text(c.entry, "vi"), changes_text(c.entry, "vi"), c.entry.reason,
         c.entry.document, actor_name(c.entry.actor), c.entry.on_behalf_of, plan_of(c))
        for c in changes],
        widths={5: 40, 6: 30, 7: 40})


def _text(cell: Cell, percent: bool = False) -> str:
    if cell is None:
        return ""
    if percent and isinstance(cell, float):
        return f"{cell * 100:.1f}".replace(".", ",")
    if isinstance(cell, datetime):
        return moment(cell)
    if isinstance(cell, date):
        return day(cell)
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    return str(cell)


def to_csv(table: Sheet) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(table.headers)
    writer.writerows([inert(_text(c, i in table.percent_columns)) for i, c in enumerate(row)]
                     for row in table.rows)
    return (BOM + stream.getvalue()).encode("utf-8")


def to_xlsx(heading: Heading, tables: Sequence[Sheet]) -> bytes:
    return workbook(heading, tables)


def national_table(comparison: NationalComparison) -> Sheet:
    """The provinces side by side: each status class as a count and a share."""
    statuses = tuple(StatusClass)
    headers = ("Đơn vị", "Mã", "Tổng số nhiệm vụ",
               *(h for s in statuses for h in (s.label_vi, f"{s.label_vi} (%)")),
               "Quá hạn", f"Điều chỉnh thời hạn ({day(comparison.changes_from)} - "
                          f"{day(comparison.changes_to)})",
               "Chưa báo cáo kỳ hiện tại", "Nguồn dữ liệu", "Đã xác minh đến vị trí",
               "Chậm so với nguồn (vị trí)", "Chậm so với nguồn (giây)",
               "Cảnh báo toàn vẹn")
    rows: list[tuple[Cell, ...]] = []
    for r in [*comparison.provinces, comparison.totals]:
        replica = r.replica
        rows.append((
            (f"{r.name} (dữ liệu mô phỏng)" if r.slug and r.simulated else r.name or "Cả nước"),
            r.admin_code, r.total,
            *(v for s in statuses for v in (r.counts.get(s.value, 0), r.share(s.value))),
            r.overdue, r.deadline_changes, r.reports_missing,
            ("" if not r.slug else f"Bản sao từ {replica.source_url}" if replica
             else "Tại hệ thống này"),
            replica.verified_position if replica else None,
            replica.lag_positions if replica else None,
            replica.lag_seconds if replica else None,
            "Có" if r.integrity_failed else ""))
    percent = tuple(3 + 2 * i + 1 for i in range(len(statuses)))
    return Sheet("So sánh các tỉnh", f"So sánh tình hình thực hiện tại ngày "
                 f"{day(comparison.on)}", headers, rows, percent_columns=percent,
                 widths={0: 28})
