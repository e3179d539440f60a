"""One indicator: its values and history; reporting a value (the agencies answering for it,
and the standing body) and changing its target (the standing body, with its reason and
deciding document)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.periods import ReportingPeriod
from domain.policy import Action, agencies_acting
from projections.plan_state import IndicatorView, PlanState
from projections.responsibility import ended
from service.commands import ChangeTarget, ReportIndicatorValue
from web.auth import Viewer, require
from web.messages import WebError, period_vi
from web.numbers import parse_number
from web.routes import Routes
from web.state import dispatch, queries, state
from web.views.commands import chosen_agency, periods
from web.views.common import plan_ref, requested_indicator, several_plans
from web.views.forms_flow import Check, context, day, required, run_form

routes = Routes()
VALUE_FIELDS = ("agency", "period", "value", "source")
TARGET_FIELDS = ("target", "reason", "decision_ref", "effective_on")


def _page(slug: str, indicator: IndicatorView, plan: PlanState, plan_number: str) -> str:
    return url_for("web.indicator_page", slug=slug, code=indicator.code,
                   plan=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/indicators/<code>", Action.READ_STATUS)
def indicator_page(slug: str, code: str) -> str:
    reads = queries(slug)
    plan = reads.state()
    indicator, plan_number = requested_indicator(plan, code)
    viewer = require(Action.READ_STATUS, slug)
    timeline = None
    if viewer.can(Action.READ_HISTORY, slug):
        reads.refresh()
        # Several plans may number an indicator alike: keep this indicator's own entries.
        timeline = [e for e in reads.store.entries_about(f"indicator {indicator.code}")
                    if e.aggregate_id == str(indicator.id)]
    values = sorted(indicator.values, key=lambda v: (v.period, v.recorded_at), reverse=True)
    return render_template(
        "web/indicator.html", indicator=indicator, values=values, timeline=timeline,
        responsible=[plan.agency_name(k) for k in indicator.responsible],
        concerned=indicator.responsible, plan_number=plan_number,
        several_plans=several_plans(plan), plan_ref=plan_ref(plan, plan_number),
    )


def value_choices(plan: PlanState, indicator: IndicatorView, viewer: Viewer, slug: str
                  ) -> tuple[list[tuple[str, str]], bool]:
    """(key, name) of the agencies one may report the indicator for, and whether one is
    bound to them (a reporter); else any agency answering for it, or none. Not one
    succeeded, merged or dissolved by today: it reports no more."""
    acting = agencies_acting(viewer.grants, Action.INDICATOR_REPORT, slug,
                             indicator.responsible)
    keys = sorted(acting) if acting is not None else list(indicator.responsible)
    today = state().today()
    return ([(key, plan.agency_name(key)) for key in keys if ended(plan, key, today) is None],
            acting is not None)


@routes.route("/t/<slug>/indicators/<code>/values", Action.INDICATOR_REPORT, ("GET", "POST"))
def indicator_value(slug: str, code: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    indicator, plan_number = requested_indicator(plan, code)
    viewer = require(Action.INDICATOR_REPORT, slug, indicator.responsible)
    choices, bound = value_choices(plan, indicator, viewer, slug)

    def record() -> str:
        form = request.form
        if not form.get("value", "").strip():
            raise WebError("Hãy nhập giá trị đạt được.", field="value")
        ctx = context(viewer, agency=chosen_agency(choices, bound, plan))
        period = form.get("period", "")
        value = str(parse_number(form.get("value", "")))
        dispatch(slug, ReportIndicatorValue(
            indicator=indicator.code, plan=plan_number, period=period, value=value,
            source=form.get("source", ""),
        ), ctx)
        flash(f"Đã ghi nhận số liệu chỉ tiêu {indicator.code} ({period_vi(period)}).",
              "success")
        return _page(slug, indicator, plan, plan_number)

    today = state().today()
    checks: dict[str, Check | tuple[Check, ...]] = {
              "period": ReportingPeriod.parse,
              "value": (required("Hãy nhập giá trị đạt được."), parse_number),
              "source": required("Số liệu cần ghi rõ nguồn.")}
    return run_form(slug, "web/value_form.html", VALUE_FIELDS, record, checks=checks,
                    indicator=indicator,
                    periods=periods(today), default_period=str(today.year),
                    choices=choices, bound=bound, plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/indicators/<code>/target", Action.INDICATOR_MANAGE, ("GET", "POST"))
def indicator_target(slug: str, code: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    indicator, plan_number = requested_indicator(plan, code)
    viewer = require(Action.INDICATOR_MANAGE, slug)

    def record() -> str:
        form = request.form
        if not form.get("target", "").strip():
            raise WebError("Hãy nhập mục tiêu mới.", field="target")
        dispatch(slug, ChangeTarget(
            indicator=indicator.code, plan=plan_number, target=form.get("target", ""),
            reason=form.get("reason", ""), decision_ref=form.get("decision_ref", ""),
        ), context(viewer, effective_field="effective_on"))
        flash(f"Đã điều chỉnh mục tiêu của chỉ tiêu {indicator.code}.", "success")
        return _page(slug, indicator, plan, plan_number)

    checks = {"target": required("Hãy nhập mục tiêu mới."),
              "reason": required("Điều chỉnh mục tiêu cần ghi rõ lý do."), "effective_on": day()}
    return run_form(slug, "web/target_form.html", TARGET_FIELDS, record, checks=checks,
                    indicator=indicator,
                    plan_ref=plan_ref(plan, plan_number))
