"""What several pages share: the judging date, plan groups, one task (of one plan, when a
tenant holds several), chart rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import request, url_for
from markupsafe import Markup

from domain.errors import DomainError, NotFound
from domain.indicator import Indicator
from domain.obligations import Timing, timing
from domain.text import fold
from projections.plan_state import IndicatorView, PlanState, PlanView, TaskRow, TaskView
from projections.responsibility import involved
from projections.summary import PlanSummary
from service.queries import TenantQueries
from web.charts import stacked_bars
from web.formatting import parse_day
from web.messages import WebError, error_vi
from web.state import state

PLAN_FIELD = "plan"  # the query parameter and hidden form field naming a task's plan


def day_arg(name: str, default: date | None = None) -> tuple[date, str | None]:
    """A dd/mm/yyyy query argument, or the default (today); with the error to show, if any."""
    fallback = default or state().today()
    try:
        return parse_day(request.args.get(name, ""), name, required=False) or fallback, None
    except DomainError as error:
        return fallback, error_vi(error)


def group_titles(plan: PlanState) -> dict[str, str]:
    titles: dict[str, str] = {}
    for view in plan.plans.values():
        titles.update(view.groups)
    return titles


def plans_in_order(plan: PlanState) -> list[PlanView]:
    """The tenant's plans, the earliest issued first (as the summary orders their groups)."""
    return sorted(plan.plans.values(), key=lambda view: (
        view.issued_on or date.max, view.number))


def several_plans(plan: PlanState) -> bool:
    """Whether the tenant holds more than one plan: only then do pages name a task's plan."""
    return len(plan.plans) > 1


def plan_arg() -> str | None:
    """The plan a page or form names: the hidden field of a sent form, else the query
    parameter; None when neither does. Two different plans named at once are refused."""
    named = {_plan_key(value): value.strip() for value in (
        request.args.get(PLAN_FIELD, ""), request.form.get(PLAN_FIELD, "")) if value.strip()}
    if len(named) > 1:
        raise WebError("Biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại.",
                       field=PLAN_FIELD)
    return next(iter(named.values()), None)


def _plan_key(number: str) -> str:
    # As the plan catalogue compares plan numbers: case, accents and spaces aside.
    return fold(number).replace(" ", "")


def _same_plan(known: str, number: str) -> bool:
    return _plan_key(known) == _plan_key(number)


def find_plan(plan: PlanState, number: str) -> PlanView:
    for view in plan.plans.values():
        if _same_plan(view.number, number):
            return view
    raise NotFound("plan.not_found", field=PLAN_FIELD, plan=number.strip())


def _one(found: list[PlanView], what: str) -> None:
    if len(found) > 1:
        numbers = ", ".join(sorted(p.number for p in found))
        raise WebError(f"{what} có trong nhiều kế hoạch ({numbers}); hãy mở từ danh sách "
                       "để chọn đúng kế hoạch.", field=PLAN_FIELD)


def find_task(plan: PlanState, number: str, plan_number: str | None = None) -> TaskView:
    """The task with this number in the named plan; with no plan named, in the only plan
    that has such a task (several: refused, the page must name one)."""
    wanted = number.strip().rstrip(".")
    found = [task for task in plan.sorted_tasks() if task.number == wanted]
    if plan_number is not None:
        plan_id = find_plan(plan, plan_number).id
        found = [task for task in found if task.plan_id == plan_id]
    _one([plan.plans[t.plan_id] for t in found if t.plan_id in plan.plans],
         f"Nhiệm vụ {wanted}")
    if not found:
        raise NotFound("task.not_found", field="task", number=wanted)
    return found[0]


def task_plan(plan: PlanState, task: TaskView) -> str:
    """The number of the plan a task belongs to, as the ledger's commands take it."""
    return plan.plans[task.plan_id].number


def indicator_plan(plan: PlanState, indicator: IndicatorView) -> str:
    """The number of the plan an indicator belongs to (its id derives from the plan's)."""
    for view in plan.plans.values():
        if Indicator.create_id(view.id, indicator.code) == indicator.id:
            return view.number
    raise NotFound("indicator.not_found", field="indicator", code=indicator.code)


def find_indicator(plan: PlanState, code: str, plan_number: str | None = None
                   ) -> IndicatorView:
    """The indicator with this code in the named plan; with no plan named, in the only
    plan that has such an indicator (several: refused, the page must name one)."""
    wanted = code.strip().rstrip(".")
    views = ([find_plan(plan, plan_number)] if plan_number is not None
             else list(plan.plans.values()))
    found = [(view, plan.indicators[Indicator.create_id(view.id, wanted)]) for view in views
             if Indicator.create_id(view.id, wanted) in plan.indicators]
    _one([view for view, _ in found], f"Chỉ tiêu {wanted}")
    if not found:
        raise NotFound("indicator.not_found", field="indicator", code=wanted)
    return found[0][1]


def chosen_plan(plan: PlanState) -> str | None:
    """The plan a page listing tasks or counts is narrowed to (`?plan=`), by its number as
    the tenant knows it; None (all plans) when none is chosen or the tenant has one plan.
    A plan the tenant does not hold: not found."""
    named = request.args.get(PLAN_FIELD, "").strip()
    if not named or not several_plans(plan):
        return None
    return find_plan(plan, named).number


def entry_plans(plan: PlanState) -> dict[str, str]:
    """The plan number of each task and indicator, by its aggregate id (as an audit entry
    names it): what a link from a log entry carries as `plan`, so that task 1 of one plan
    opens that plan's task 1. Empty when the tenant holds one plan (its links stay as
    they were)."""
    if not several_plans(plan):
        return {}
    found = {str(task.id): plan.plans[task.plan_id].number
             for task in plan.tasks.values() if task.plan_id in plan.plans}
    for indicator in plan.indicators.values():
        try:
            found[str(indicator.id)] = indicator_plan(plan, indicator)
        except NotFound:
            continue
    return found


def entry_plans_of(reads: TenantQueries) -> dict[str, str]:
    """entry_plans of the tenant's plan state, read whole only when it holds several plans
    (with one, the links carry no plan and nothing need be read)."""
    return entry_plans(reads.state()) if several_plans(reads.outline()) else {}


def plan_ref(plan: PlanState, number: str) -> str | None:
    """What a task's or indicator's URL and forms carry as `plan`: its plan's number when
    the tenant holds several plans, else nothing (single-plan URLs stay as they were)."""
    return number if several_plans(plan) else None


def summary_charts(summary: PlanSummary, plan: PlanState, slug: str | None = None
                   ) -> dict[str, Markup]:
    """The dashboard's two charts; given the tenant, each bar leads to the tasks it counts."""
    groups = [(summary.group_labels.get(key, key), counts)
              for key, counts in summary.by_group.items()]
    leads = list(summary.by_lead.items())
    group_links = lead_links = None
    if slug is not None:
        group_links = [tasks_url(slug, summary.on, **_group_filter(summary, key, plan))
                       for key in summary.by_group]
        lead_links = [tasks_url(slug, summary.on, lead=name) for name in summary.by_lead]
    return {
        "groups": stacked_bars("bd-nhom", "Tình trạng nhiệm vụ theo nhóm", groups,
                               group_links),
        "leads": stacked_bars("bd-co-quan", "Tình trạng nhiệm vụ theo cơ quan chủ trì", leads,
                              lead_links),
    }


def group_rows(summary: PlanSummary) -> list[tuple[str, dict[str, int]]]:
    """The summary's group counts, each labelled as a reader knows the group."""
    return [(summary.group_labels.get(key, key), counts)
            for key, counts in summary.by_group.items()]


def _group_filter(summary: PlanSummary, key: str, plan: PlanState) -> dict[str, str]:
    plan_number, code = summary.group_refs.get(key, ("", key))
    if several_plans(plan) and plan_number:
        return {"group": code, PLAN_FIELD: plan_number}
    return {"group": code}


def tasks_url(slug: str, on: date, **filters: str) -> str:
    """The task list filtered as a count on the dashboard counted, judged on the same day."""
    values: dict[str, Any] = {"slug": slug, "on": on.strftime("%d/%m/%Y"), **filters}
    return url_for("web.task_list", **values)


def row_timings(plan: PlanState, rows: Iterable[TaskRow], on: date
                ) -> dict[tuple[str, str], Timing]:
    """Each task's due date and days remaining or overdue on `on`, by (plan, number), from
    the tasks' status rows and the plans they belong to."""
    numbers = {p.id: p.number for p in plan.plans.values()}
    return {(numbers.get(r.plan_id, ""), r.number): timing(r.facts(), on) for r in rows}


def requested_task(plan: PlanState, number: str) -> tuple[TaskView, str]:
    """The task a page or form names (its number in the path, its plan as `plan`), and the
    number of its plan, for the ledger's commands."""
    task = find_task(plan, number, plan_arg())
    return task, task_plan(plan, task)


def requested_indicator(plan: PlanState, code: str) -> tuple[IndicatorView, str]:
    indicator = find_indicator(plan, code, plan_arg())
    return indicator, indicator_plan(plan, indicator)


def task_url(slug: str, plan: PlanState, task: TaskView, anchor: str | None = None) -> str:
    """A task's page, naming its plan when the tenant holds several."""
    return url_for("web.task_page", slug=slug, number=task.number,
                   plan=plan_ref(plan, task_plan(plan, task)), _anchor=anchor or None)


def concerned(plan: PlanState, task: TaskView) -> tuple[str, ...]:
    """The agencies whose reporters report on a task: those it names and, today, their
    successors."""
    return involved(plan, task, state().today())


def leading(plan: PlanState, task: TaskView) -> tuple[str, ...]:
    """The agencies that lead a task today: those it names as leads and their successors."""
    return involved(plan, task, state().today(), ("lead",))
