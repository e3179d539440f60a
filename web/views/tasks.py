"""The task list with its filters, and a task's page: details, reports, timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template, request

from domain.errors import DomainError
from domain.policy import Action
from domain.status import StatusClass
from domain.text import sort_key
from projections.plan_status import TaskStatus, match_reasons
from web.auth import require
from web.formatting import parse_day
from web.routes import Routes
from web.state import queries, state
from web.views.common import day_arg, group_titles, plan_ref, requested_task, several_plans

routes = Routes()


@dataclass(frozen=True)
class TaskFilter:
    search: str = ""
    group: str = ""
    agency: str = ""
    status: str = ""
    due_from: date | None = None
    due_to: date | None = None

    def keeps(self, row: TaskStatus) -> bool:
        if self.due_from and (row.due is None or row.due < self.due_from):
            return False
        return not (self.due_to and (row.due is None or row.due > self.due_to))


def read_filter() -> tuple[TaskFilter, dict[str, str]]:
    args, errors = request.args, {}
    days: dict[str, date | None] = {}
    for name in ("due_from", "due_to"):
        try:
            days[name] = parse_day(args.get(name, ""), name, required=False)
        except DomainError as error:
            days[name], errors[name] = None, error.message
    status = args.get("status", "")
    return TaskFilter(
        search=args.get("q", "").strip()[:200], group=args.get("group", ""),
        agency=args.get("agency", ""),
        status=status if status in {s.value for s in StatusClass} else "",
        due_from=days["due_from"], due_to=days["due_to"],
    ), errors


def filtered_rows(slug: str) -> tuple[list[TaskStatus], TaskFilter, dict[str, str], date]:
    """The status table as the list's filters ask; the exports reuse it."""
    on, error = day_arg("on")
    chosen, errors = read_filter()
    if error:
        errors["on"] = error
    rows = queries(slug).status(on, search=chosen.search or None, group=chosen.group or None,
                                agency=chosen.agency or None, status=chosen.status or None)
    return [r for r in rows if chosen.keeps(r)], chosen, errors, on


@routes.route("/t/<slug>/tasks", Action.READ_STATUS)
def task_list(slug: str) -> str:
    rows, chosen, errors, on = filtered_rows(slug)
    plan = queries(slug).state()
    names = {plan.agency_name(k) for t in plan.tasks.values() for k in t.leads + t.coordinators}
    why = {(r.plan, r.number): match_reasons(r, chosen.search, chosen.agency)
           for r in rows} if chosen.search or chosen.agency else {}
    return render_template(
        "web/tasks.html", rows=rows, chosen=chosen, errors=errors, on=on, why=why,
        groups=group_titles(plan), agencies=sorted(names, key=sort_key),
        statuses=list(StatusClass), query=request.query_string.decode(),
        several_plans=several_plans(plan),
    )


@routes.route("/t/<slug>/tasks/<number>", Action.READ_STATUS)
def task_page(slug: str, number: str) -> str:
    reads = queries(slug)
    plan = reads.state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.READ_STATUS, slug)
    timeline = None
    if viewer.can(Action.READ_HISTORY, slug):
        # Several plans may number a task alike: keep this task's own entries.
        timeline = [e for e in reads.history(task.number) if e.aggregate_id == str(task.id)]
    row = reads.task_detail(task.number, plan_number, state().today())
    return render_template(
        "web/task.html", task=task, row=row, timeline=timeline,
        group_title=plan.plans[task.plan_id].groups.get(task.group_code, ""),
        leads=[plan.agency_name(k) for k in task.leads],
        coordinators=[plan.agency_name(k) for k in task.coordinators],
        agency_name=plan.agency_name, concerned=task.leads + task.coordinators,
        plan_number=plan_number, several_plans=several_plans(plan),
        plan_ref=plan_ref(plan, plan_number),
    )
