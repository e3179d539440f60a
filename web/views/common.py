"""What several pages share: the judging date, plan groups, one task, chart rows."""

from __future__ import annotations

from datetime import date

from flask import request
from markupsafe import Markup

from domain.errors import DomainError, NotFound
from projections.plan_state import PlanState, TaskView
from projections.summary import PlanSummary
from web.charts import stacked_bars
from web.formatting import parse_day
from web.state import state


def day_arg(name: str, default: date | None = None) -> tuple[date, str | None]:
    """A dd/mm/yyyy query argument, or the default (today); with the error to show, if any."""
    fallback = default or state().today()
    try:
        return parse_day(request.args.get(name, ""), name, required=False) or fallback, None
    except DomainError as error:
        return fallback, error.message


def group_titles(plan: PlanState) -> dict[str, str]:
    titles: dict[str, str] = {}
    for view in plan.plans.values():
        titles.update(view.groups)
    return titles


def find_task(plan: PlanState, number: str) -> TaskView:
    wanted = number.strip().rstrip(".")
    for task in plan.sorted_tasks():
        if task.number == wanted:
            return task
    raise NotFound(f"No task {wanted}.", field="task")


def summary_charts(summary: PlanSummary, plan: PlanState) -> dict[str, Markup]:
    titles = group_titles(plan)
    groups = [(f"{code}. {titles.get(code, '')}".rstrip(". "), counts)
              for code, counts in summary.by_group.items()]
    leads = list(summary.by_lead.items())
    return {
        "groups": stacked_bars("bd-nhom", "Tình trạng nhiệm vụ theo nhóm", groups),
        "leads": stacked_bars("bd-co-quan", "Tình trạng nhiệm vụ theo cơ quan chủ trì", leads),
    }
