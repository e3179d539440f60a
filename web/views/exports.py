"""Downloads: the status table, the scorecard and the change log as CSV or XLSX, and the
periodic report as a printable page or a Word document."""

from __future__ import annotations

from flask import abort, render_template
from werkzeug.wrappers import Response

from domain.policy import Action
from reports.pdf import PdfUnavailable, docx_to_pdf, office
from reports.periodic import PeriodicReport
from reports.periodic_docx import title, to_docx
from reports.periods import KINDS
from web import periodic
from web.routes import Routes
from web.state import queries, state
from web.tables import Table, changes_table, scorecard_table, status_table, to_csv, to_xlsx
from web.views.changes import all_changes, read_filter, selected, visible_tenants
from web.views.insight import year_arg
from web.views.tasks import filtered_rows

routes = Routes()
_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _download(body: bytes, name: str, kind: str) -> Response:
    response = Response(body, mimetype=_TYPES[kind].split(";")[0])
    response.headers["Content-Type"] = _TYPES[kind]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _table(table: Table, name: str, kind: str) -> Response:
    if kind not in ("csv", "xlsx"):
        abort(404)
    return _download(to_csv(table) if kind == "csv" else to_xlsx(table), name, kind)


@routes.route("/t/<slug>/tasks.<kind>", Action.READ_STATUS)
def tasks_export(slug: str, kind: str) -> Response:
    rows, _, _, on = filtered_rows(slug)
    return _table(status_table(rows), f"tinh-trang-nhiem-vu-{slug}-{on:%Y%m%d}", kind)


@routes.route("/t/<slug>/scorecard.<kind>", Action.READ_STATUS)
def scorecard_export(slug: str, kind: str) -> Response:
    year = year_arg()
    rows = queries(slug).scorecard(year, state().today())
    return _table(scorecard_table(rows, year), f"xep-hang-co-quan-{slug}-{year}", kind)


@routes.route("/changes.<kind>", Action.READ_CHANGES)
def changes_export(kind: str) -> Response:
    where, _ = read_filter()
    changes = all_changes(selected(visible_tenants()), where)
    return _table(changes_table(changes), f"nhat-ky-thay-doi-{state().today():%Y%m%d}", kind)


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
    return _download(to_docx(report), _report_name(slug, report), "docx")


@routes.route("/t/<slug>/periodic-report.pdf", Action.READ_STATUS)
def periodic_report_pdf(slug: str) -> Response | tuple[str, int]:
    _, report = periodic.build(slug)
    try:
        body = docx_to_pdf(to_docx(report))
    except PdfUnavailable as error:
        return render_template("web/error.html", status=503, title="Chưa tạo được bản PDF",
                               message=str(error)), 503
    return _download(body, _report_name(slug, report), "pdf")
