"""The task list with its filters, and a task's page: details, reports, timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template, request

from domain.errors import DomainError, NotFound
from domain.obligations import current_period, timing
from domain.policy import Action
from domain.status import StatusClass
from domain.text import sort_key
from projections.plan_status import TaskStatus, match_reasons
from projections.responsibility import Responsibility, responsibility
from projections.summary import is_due_soon
from web.auth import require
from web.formatting import parse_day
from web.messages import error_vi
from web.routes import Routes
from web.state import queries, state
from web.views.commands import stopped_reporting
from web.views.common import (
    chosen_plan,
    concerned,
    day_arg,
    find_plan,
    group_titles,
    leading,
    plan_ref,
    plans_in_order,
    requested_task,
    row_timings,
    several_plans,
)

routes = Routes()
DUE_WITHIN = ("7", "30")  # the horizons the dashboard and the work queue count
REPORTS_SHOWN = 20  # the latest reports a task's page shows (all of them on ?all=1)
EVENTS_SHOWN = 20  # the latest events of its timeline


@dataclass(frozen=True)
class TaskFilter:
    search: str = ""
    group: str = ""
    agency: str = ""
    status: str = ""
    due_from: date | None = None
    due_to: date | None = None
    lead: str = ""  # an agency's name, among the leads only (the dashboard's bars)
    due_within: int | None = None  # open and due within so many days of the judging date
    missing: bool = False  # owes the current period's report and has sent none
    plan: str = ""  # a plan's number, when the tenant holds several and one is chosen

    @property
    def active(self) -> bool:
        return any((self.plan, self.search, self.group, self.agency, self.status, self.due_from,
                    self.due_to, self.lead, self.due_within, self.missing))

    def keeps(self, row: TaskStatus, on: date, missing: set[tuple[str, str]]) -> bool:
        if self.due_from and (row.due is None or row.due < self.due_from):
            return False
        if self.due_to and (row.due is None or row.due > self.due_to):
            return False
        if self.lead and self.lead not in row.leads:
            return False
        if self.due_within is not None and not is_due_soon(row, on, self.due_within):
            return False
        return not (self.missing and (row.plan, row.number) not in missing)


def read_filter(plan: str | None = None) -> tuple[TaskFilter, dict[str, str]]:
    args, errors = request.args, {}
    days: dict[str, date | None] = {}
    for name in ("due_from", "due_to"):
        try:
            days[name] = parse_day(args.get(name, ""), name, required=False)
        except DomainError as error:
            days[name], errors[name] = None, error_vi(error)
    status = args.get("status", "")
    within = args.get("due_within", "")
    return TaskFilter(
        search=args.get("q", "").strip()[:200], group=args.get("group", ""),
        agency=args.get("agency", ""),
        status=status if status in {s.value for s in StatusClass} else "",
        due_from=days["due_from"], due_to=days["due_to"], lead=args.get("lead", "")[:300],
        due_within=int(within) if within in DUE_WITHIN else None,
        missing=args.get("missing") == "1", plan=plan or "",
    ), errors


def filtered_rows(slug: str) -> tuple[list[TaskStatus], TaskFilter, dict[str, str], date]:
    """The status table as the list's filters ask; the exports reuse it."""
    on, error = day_arg("on")
    reads = queries(slug)
    chosen, errors = read_filter(chosen_plan(reads.outline()))
    if error:
        errors["on"] = error
    plan = chosen.plan or None
    rows = reads.status(on, search=chosen.search or None, group=chosen.group or None,
                        agency=chosen.agency or None, status=chosen.status or None,
                        plan=plan)
    missing = {(r.plan, r.number) for r in reads.summary(on, plan=plan).missing_report
               } if chosen.missing else set()
    return [r for r in rows if chosen.keeps(r, on, missing)], chosen, errors, on


@routes.route("/t/<slug>/tasks", Action.READ_STATUS)
def task_list(slug: str) -> str:
    rows, chosen, errors, on = filtered_rows(slug)
    reads = queries(slug)
    plan, every = reads.outline(), reads.task_rows()
    names = {plan.agency_name(k) for t in every for k in t.leads + t.coordinators}
    leads = {plan.agency_name(k) for t in every for k in t.leads}
    why = {(r.plan, r.number): match_reasons(r, chosen.search, chosen.agency)
           for r in rows} if chosen.search or chosen.agency else {}
    return render_template(
        "web/tasks.html", rows=rows, chosen=chosen, errors=errors, on=on, why=why,
        groups=(find_plan(plan, chosen.plan).groups if chosen.plan else group_titles(plan)),
        agencies=sorted(names, key=sort_key),
        leads=sorted(leads, key=sort_key), timings=row_timings(plan, every, on),
        period=current_period(on).code,
        statuses=list(StatusClass), query=request.query_string.decode(),
        several_plans=several_plans(plan), plans=plans_in_order(plan),
    )


@routes.route("/t/<slug>/tasks/<number>", Action.READ_STATUS)
def task_page(slug: str, number: str) -> str:
    return render_task(slug, number)


def render_task(slug: str, number: str, inline_errors: dict[str, str] | None = None) -> str:
    """The task's page; `inline_errors` are the refusals of one of its inline forms, by the
    id of the field each is shown beside (that form keeps the text sent)."""
    reads = queries(slug)
    today = state().today()
    # The latest reports and events unless every one is asked for (?all=1): the page
    # costs the same however long the task's history.
    every = request.args.get("all") == "1"
    page = reads.task_page(number, today, None if every else REPORTS_SHOWN)
    plan = page.state
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.READ_STATUS, slug)
    timeline, timeline_total = None, 0
    if viewer.can(Action.READ_HISTORY, slug):
        timeline, timeline_total = reads.task_timeline(task, None if every else EVENTS_SHOWN)
    row = page.details[task.id]
    # Who carried the task on a date: today from the live state; another date asked
    # (?on=dd/mm/yyyy) from the plan as it stood then.
    on, on_error = day_arg("on")
    try:
        carried: Responsibility | None = (
            responsibility(plan, task, on) if on == today or on_error
            else reads.responsibility(task.number, plan_number, on))
    except NotFound:  # the task was not yet in the plan on that date
        carried = None
    return render_template(
        "web/task.html", task=task, row=row, timeline=timeline,
        timeline_total=timeline_total, carried=carried,
        on_error=on_error, collective_named=any(
            k in plan.collectives for k in task.leads + task.coordinators),
        group_title=plan.plans[task.plan_id].groups.get(task.group_code, ""),
        leads=[plan.agency_name(k) for k in task.leads],
        coordinators=[plan.agency_name(k) for k in task.coordinators],
        agency_name=plan.agency_name, concerned=concerned(plan, task),
        leading=leading(plan, task), stopped=stopped_reporting(plan, task, viewer, slug),
        plan_number=plan_number, several_plans=several_plans(plan),
        plan_ref=plan_ref(plan, plan_number),
        timing=timing(page.rows[task.id].facts(), today),
        inline_errors=inline_errors or {},
    )
