"""Which reminders a tenant's plan calls for on a day, and for whom: a pure function of the
plan state, the tenant's schedule and who reports for which agency.

Deadlines and missing reports are the lead agencies' to answer: their reporters are
reminded. A returned report or completion request goes to the reporters of the agency that
sent it (the leads' when it was sent for no agency in particular).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from urllib.parse import quote, urlencode

from domain.messages import Message, message
from domain.reminders import (
    Kind,
    Occasion,
    ReminderSchedule,
    deadline_occasion,
    missing_report_occasion,
)
from projections.plan_state import PlanState, TaskView
from service.reminder_store import NewReminder

Reporters = Mapping[str, Sequence[str]]  # agency key -> principals reporting for it


def due_reminders(slug: str, state: PlanState, schedule: ReminderSchedule,
                  reporters: Reporters, today: date) -> list[NewReminder]:
    several = len(state.plans) > 1
    found = []
    for task in state.sorted_tasks():
        link = task_link(slug, state, task, several)
        for occasion, said, agencies in _occasions(schedule, task, today):
            for principal in sorted({p for a in agencies for p in reporters.get(a, ())}):
                found.append(NewReminder(slug, principal, str(task.id), occasion.kind.value,
                                         occasion.key, today.isoformat(), said, link))
    return found


def task_link(slug: str, state: PlanState, task: TaskView, several: bool) -> str:
    """The task's page, relative to the service's base URL (its plan named when the tenant
    holds several)."""
    path = f"/t/{quote(slug)}/tasks/{quote(task.number)}"
    plan = state.plans.get(task.plan_id)
    return f"{path}?{urlencode({'plan': plan.number})}" if several and plan else path


def _occasions(schedule: ReminderSchedule, task: TaskView,
               today: date) -> Iterator[tuple[Occasion, Message, Sequence[str]]]:
    facts = task.facts()
    about = {"number": task.number, "title": task.title}
    for occasion in (deadline_occasion(schedule, facts, today),
                     missing_report_occasion(schedule, facts, today)):
        if occasion is not None:
            yield occasion, _said(occasion, about, task, today), task.leads
    if schedule.on_return:
        yield from _returned(task, about)


def _said(occasion: Occasion, about: dict[str, str], task: TaskView, today: date) -> Message:
    if occasion.kind is Kind.REPORT_MISSING:
        return message("reminder.report_missing", **about, period=occasion.key)
    due = occasion.key.split("/", 1)[0]
    if occasion.kind is Kind.OVERDUE:
        return message("reminder.overdue", **about, days=occasion.days, due=due)
    if occasion.days == 0:
        return message("reminder.due_today", **about, due=due)
    return message("reminder.due_soon", **about, days=occasion.days, due=due)


def _returned(task: TaskView, about: dict[str, str]
              ) -> Iterator[tuple[Occasion, Message, Sequence[str]]]:
    """Returned items still waiting for an answer: a report whose period has no later
    report, a completion request with none after it while the task is open."""
    for report in task.reports:
        answered = any(r.period == report.period and r.number > report.number
                       for r in task.reports)
        if report.state == "returned" and not answered and task.state == "open":
            yield (Occasion(Kind.REPORT_RETURNED, f"report/{report.number}"),
                   message("reminder.report_returned", **about, period=report.period,
                           reason=report.decision_reason),
                   (report.agency,) if report.agency else task.leads)
    for request in task.completions:
        answered = any(c.number > request.number for c in task.completions)
        if request.state == "returned" and not answered and task.state == "open":
            yield (Occasion(Kind.COMPLETION_RETURNED, f"completion/{request.number}"),
                   message("reminder.completion_returned", **about,
                           reason=request.decision_reason),
                   (request.agency,) if request.agency else task.leads)
