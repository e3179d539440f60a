"""The standing body's periodic report to the People's Committee: the same content as a
print-styled page and as a Word document."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from domain.status import StatusClass
from projections.indicator_progress import IndicatorProgress
from projections.plan_state import PlanView
from projections.plan_status import TaskStatus
from projections.scorecard import AgencyScore
from projections.summary import PlanSummary, current_quarter
from tenants.registry import Tenant
from web.formatting import FIVE_CLASSES, day, percent
from web.messages import period_vi
from web.state import queries, tenancy
from web.views.common import group_titles


@dataclass(frozen=True)
class PeriodicReport:
    tenant: Tenant
    plans: list[PlanView]
    on: date
    period: str
    summary: PlanSummary
    groups: dict[str, str]
    scores: list[AgencyScore]
    overdue: list[TaskStatus]
    indicators: list[IndicatorProgress]

    @property
    def share_done(self) -> str:
        total = self.summary.overall.get("total", 0)
        done = sum(self.summary.overall.get(c.value, 0)
                   for c in (StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE))
        return percent(done / total) if total else "0 %"


def verdict(met: bool | None) -> str:
    return "Chưa đánh giá" if met is None else "Đạt" if met else "Chưa đạt"


def build(slug: str, on: date) -> PeriodicReport:
    reads = queries(slug)
    plan = reads.state()
    rows = reads.status(on)
    return PeriodicReport(
        tenant=tenancy().registry.get(slug), plans=list(plan.plans.values()), on=on,
        period=current_quarter(on).code, summary=reads.summary(on), groups=group_titles(plan),
        scores=reads.scorecard(on.year, on),
        overdue=[r for r in rows if r.status is StatusClass.OPEN_OVERDUE],
        indicators=[i for i in reads.indicators() if not i.is_heading],
    )


def _table(document: docx.document.Document, headers: list[str], rows: list[list[str]]
           ) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def _centred(document: docx.document.Document, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def to_docx(report: PeriodicReport) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    numbers = ", ".join(p.number for p in report.plans) or "-"
    _centred(document, "BÁO CÁO", bold=True)
    _centred(document, f"Kết quả triển khai Kế hoạch số {numbers} thực hiện Nghị quyết số "
                       f"57-NQ/TW, {period_vi(report.period)}", bold=True)
    _centred(document, f"Kính gửi: Ủy ban nhân dân {report.tenant.display_name}")
    document.add_paragraph(f"Số liệu tính đến ngày {day(report.on)}.")
    document.add_heading("I. Tình hình chung", level=2)
    document.add_paragraph(f"Tổng số nhiệm vụ: {report.summary.overall.get('total', 0)}; "
                           f"đã hoàn thành {report.share_done}.")
    _table(document, ["Tình trạng", "Số nhiệm vụ"],
           [[c.label_vi, str(report.summary.overall.get(c.value, 0))] for c in FIVE_CLASSES])
    document.add_heading("II. Kết quả theo nhóm nhiệm vụ", level=2)
    _table(document, ["Nhóm", *[c.label_vi for c in FIVE_CLASSES]], [
        [f"{code}. {report.groups.get(code, '')}",
         *[str(counts.get(c.value, 0)) for c in FIVE_CLASSES]]
        for code, counts in report.summary.by_group.items()])
    document.add_heading(f"III. Kết quả của các cơ quan năm {report.on.year}", level=2)
    _table(document, ["Hạng", "Cơ quan", "Chủ trì", "Đúng hạn", "Quá hạn (đã xong)",
                      "Chưa xong, quá hạn", "Tỷ lệ đúng hạn"], [
        [str(s.rank), s.agency, str(s.led), str(s.done_on_time), str(s.done_late),
         str(s.overdue), percent(s.on_time_rate)] for s in report.scores])
    document.add_heading("IV. Nhiệm vụ chưa hoàn thành, quá hạn", level=2)
    _table(document, ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"], [
        [r.number, r.title, "; ".join(r.leads), r.deadline] for r in report.overdue])
    document.add_heading(f"V. Nhiệm vụ chưa báo cáo {period_vi(report.period)}", level=2)
    _table(document, ["TT", "Nhiệm vụ", "Cơ quan chủ trì"], [
        [r.number, r.title, "; ".join(r.leads)] for r in report.summary.missing_report])
    document.add_heading("VI. Chỉ tiêu", level=2)
    _table(document, ["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả gần nhất", "Đánh giá"], [
        [i.code, i.name, i.target, (i.latest_value or "").replace(".", ","), verdict(i.met)]
        for i in report.indicators])
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
