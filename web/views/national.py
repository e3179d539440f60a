"""Toàn quốc: the provinces side by side for the centre's monitor, with a drill-down into
each province (read-only) and the comparison as CSV or XLSX."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, url_for
from werkzeug.wrappers import Response

from domain.errors import DomainError
from domain.policy import Action
from domain.status import StatusClass
from reports.spreadsheet import Heading
from service.national import NationalComparison, comparable_tenants, compare, period_of
from web.auth import require
from web.charts import legend, stacked_bars
from web.formatting import FIVE_CLASSES
from web.messages import error_vi
from web.routes import Routes
from web.state import state
from web.tables import national_table, to_csv, to_xlsx
from web.views.common import day_arg, tasks_url
from web.views.exports import download

routes = Routes()


def _comparison() -> tuple[NationalComparison, dict[str, str]]:
    viewer = require(Action.READ_NATIONAL)
    on, on_error = day_arg("on")
    errors = {"on": on_error} if on_error else {}
    start, start_error = day_arg("from", date(1900, 1, 1))
    end, end_error = day_arg("to", on)
    for name, error in (("from", start_error), ("to", end_error)):
        if error:
            errors[name] = error
    given_start = None if start == date(1900, 1, 1) or start_error else start
    try:
        changes_from, changes_to = period_of(on, given_start, end)
    except DomainError as error:
        errors["from"] = error_vi(error)
        changes_from, changes_to = period_of(on, None, on)
    tenancy = state().tenancy
    tenants = comparable_tenants(tenancy, viewer.tenants(Action.READ_NATIONAL))
    return compare(tenancy, tenants, on, changes_from, changes_to), errors


@routes.route("/quoc-gia", Action.READ_NATIONAL)
def national_view() -> str:
    """Provinces side by side: status classes, overdue, deadline changes, reports missing."""
    comparison, errors = _comparison()
    on = comparison.on
    rows = [(r.name, r.counts) for r in comparison.provinces]
    chart = stacked_bars("so-sanh-tinh", f"Tình trạng nhiệm vụ của các tỉnh ngày "
                         f"{on:%d/%m/%Y}", rows,
                         [tasks_url(r.slug, on) for r in comparison.provinces])
    links = {r.slug: {
        "dashboard": url_for("web.dashboard", slug=r.slug, on=f"{on:%d/%m/%Y}"),
        "overdue": tasks_url(r.slug, on, status=StatusClass.OPEN_OVERDUE.value),
        "missing": tasks_url(r.slug, on, missing="1"),
        "changes": url_for("web.change_log", tenant=r.slug, type="deadline_changed",
                           effective_from=f"{comparison.changes_from:%d/%m/%Y}",
                           effective_to=f"{comparison.changes_to:%d/%m/%Y}"),
    } for r in comparison.provinces}
    query = {"on": f"{on:%d/%m/%Y}", "from": f"{comparison.changes_from:%d/%m/%Y}",
             "to": f"{comparison.changes_to:%d/%m/%Y}"}
    return render_template("web/national.html", comparison=comparison, errors=errors,
                           chart=chart, legend=legend(), links=links, query=query,
                           statuses=list(FIVE_CLASSES))


@routes.route("/quoc-gia.<kind>", Action.READ_NATIONAL)
def national_export(kind: str) -> Response:
    if kind not in ("csv", "xlsx"):
        abort(404)
    comparison, _ = _comparison()
    on = comparison.on
    table = national_table(comparison)
    body = to_csv(table) if kind == "csv" else to_xlsx(Heading(
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số", "Theo dõi thực hiện Nghị quyết số 57-NQ/TW",
        f"Tình hình tại ngày {on:%d/%m/%Y}", on,
        simulated=any(r.simulated for r in comparison.provinces)), [table])
    return download(body, f"so-sanh-cac-tinh-{on:%Y%m%d}", kind)
