"""Downloads: the status table, the scorecard and the change log as CSV or XLSX, and the
periodic report as a printable page or a Word document."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template
from werkzeug.wrappers import Response

from domain.policy import Action
from i18n import render
from reports.pdf import PdfUnavailable, docx_to_pdf, office
from reports.periodic import PeriodicReport, province_of
from reports.periodic_docx import title, to_docx
from reports.periods import KINDS
from reports.spreadsheet import Heading
from web import periodic
from web.routes import Routes
from web.state import queries, state, tenancy
from web.tables import (
    Table,
    agency_summary,
    changes_table,
    scorecard_table,
    status_table,
    to_csv,
    to_xlsx,
)
from web.views.changes import (
    all_changes,
    chosen_plan_number,
    plan_finder,
    read_filter,
    selected,
    visible_tenants,
)
from web.views.common import chosen_plan
from web.views.insight import year_arg
from web.views.tasks import filtered_rows

routes = Routes()
_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def download(body: bytes, name: str, kind: str) -> Response:
    response = Response(body, mimetype=_TYPES[kind].split(";")[0])
    response.headers["Content-Type"] = _TYPES[kind]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _tables(tables: list[Table], heading: Heading, name: str, kind: str) -> Response:
    """CSV holds the first table; the workbook holds them all, under the title block."""
    if kind not in ("csv", "xlsx"):
        abort(404)
    body = to_csv(tables[0]) if kind == "csv" else to_xlsx(heading, tables)
    return download(body, name, kind)


def _heading(slug: str, period: str, as_of: date) -> Heading:
    plans = list(queries(slug).state().plans.values())
    tenant = tenancy().registry.get(slug)
    province, _ = province_of(tenant.display_name, plans)
    numbers = ", ".join(p.number for p in plans)
    return Heading(f"Ủy ban nhân dân {province}",
                   f"Kế hoạch số {numbers}" if numbers else "", period, as_of,
                   simulated=tenant.simulated)


@routes.route("/t/<slug>/tasks.<kind>", Action.READ_STATUS)
def tasks_export(slug: str, kind: str) -> Response:
    rows, _, _, on = filtered_rows(slug)
    return _tables([status_table(rows), agency_summary(rows)],
                   _heading(slug, f"Tình trạng tại ngày {on:%d/%m/%Y}", on),
                   f"tinh-trang-nhiem-vu-{slug}-{on:%Y%m%d}", kind)


@routes.route("/t/<slug>/scorecard.<kind>", Action.READ_STATUS)
def scorecard_export(slug: str, kind: str) -> Response:
    year = year_arg()
    today = state().today()
    heading = _heading(slug, f"Năm {year}", min(today, date(year, 12, 31)))
    reads = queries(slug)
    chosen = chosen_plan(reads.state())
    rows = reads.scorecard(year, today, plan=chosen)
    apart = [*reads.collective_scores(year, today, plan=chosen),
             *reads.ended_scores(year, today, plan=chosen)]
    plans = chosen or heading.plan.removeprefix("Kế hoạch số ")
    return _tables([scorecard_table(rows, year, plans, apart)],
                   heading, f"xep-hang-co-quan-{slug}-{year}", kind)


@routes.route("/changes.<kind>", Action.READ_CHANGES)
def changes_export(kind: str) -> Response:
    where, _ = read_filter()
    tenants = selected(visible_tenants())
    changes = all_changes(tenants, where, chosen_plan_number())
    today = state().today()
    issuer = (f"Ủy ban nhân dân {province_of(tenants[0].display_name, [])[0]}"
              if len(tenants) == 1 else "Các đơn vị được theo dõi")
    heading = Heading(issuer, "", "", today, simulated=any(t.simulated for t in tenants))
    return _tables([changes_table(changes, plan_finder(tenants, every=True))], heading,
                   f"nhat-ky-thay-doi-{today:%Y%m%d}", kind)


@routes.route("/t/<slug>/periodic-report", Action.READ_STATUS)
def periodic_report(slug: str) -> str:
    choice, report = periodic.build(slug)
    return render_template(
        "web/periodic.html", report=report, choice=choice, kinds=KINDS,
        same=periodic.same_report_args(choice, report), title=title(report),
        pdf_ready=office() is not None)


def _report_name(slug: str, report: PeriodicReport) -> str:
    return f"bao-cao-{slug}-{report.period.code.replace('..', '-')}-{report.on:%Y%m%d}"


@routes.route("/t/<slug>/periodic-report.docx", Action.READ_STATUS)
def periodic_report_docx(slug: str) -> Response:
    _, report = periodic.build(slug)
    return download(to_docx(report), _report_name(slug, report), "docx")


@routes.route("/t/<slug>/periodic-report.pdf", Action.READ_STATUS)
def periodic_report_pdf(slug: str) -> Response | tuple[str, int]:
    _, report = periodic.build(slug)
    try:
        body = docx_to_pdf(to_docx(report))
    except PdfUnavailable as error:
        return render_template("web/error.html", status=503, title="Chưa tạo được bản PDF",
                               message=render(error.as_message(), "vi")), 503
    return download(body, _report_name(slug, report), "pdf")
