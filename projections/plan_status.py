"""Plan status: each task's current assignment, deadline, last report and status class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.status import StatusClass, classify
from domain.text import matches
from projections.plan_state import PlanState, TaskView


@dataclass(frozen=True)
class TaskStatus:
    plan: str
    group: str
    number: str
    title: str
    leads: tuple[str, ...]
    coordinators: tuple[str, ...]
    expected_output: str
    deadline: str
    deadline_kind: str
    due: date | None
    deadline_changes: int
    slip_days: int
    state: str
    completed_on: date | None
    output_document: str
    last_report_period: str | None
    last_report_percent: int | None
    last_report_narrative: str | None
    status: StatusClass
    version: int

    @property
    def last_report(self) -> LastReport | None:
        if self.last_report_period is None:
            return None
        return LastReport(self.last_report_period, self.last_report_percent,
                          self.last_report_narrative)

    @property
    def status_label(self) -> str:
        return self.status.label_vi


@dataclass(frozen=True)
class LastReport:
    period: str
    percent: int | None
    narrative: str | None


def task_status(state: PlanState, task: TaskView, on: date) -> TaskStatus:
    last = task.last_report
    plan = state.plans.get(task.plan_id)
    return TaskStatus(
        plan=plan.number if plan else "",
        group=task.group_code,
        number=task.number,
        title=task.title,
        leads=tuple(state.agency_name(k) for k in task.leads),
        coordinators=tuple(state.agency_name(k) for k in task.coordinators),
        expected_output=task.expected_output,
        deadline=task.deadline.text,
        deadline_kind=task.deadline.kind.value,
        due=task.deadline.due,
        deadline_changes=task.deadline_changes,
        slip_days=task.slip_days,
        state=task.state,
        completed_on=task.completed_on,
        output_document=task.output_document,
        last_report_period=last.period if last else None,
        last_report_percent=last.percent if last else None,
        last_report_narrative=last.narrative if last else None,
        status=classify(task.facts(), on),
        version=task.version,
    )


def plan_status(state: PlanState, on: date) -> list[TaskStatus]:
    return [task_status(state, task, on) for task in state.sorted_tasks()]


def match_reasons(row: TaskStatus, search: str | None = None,
                  agency: str | None = None) -> list[tuple[str, str]]:
    """Where a row matched the search and the agency filter, as (field, text) pairs; the
    fields are "number", "title", "lead" and "coordinator". Empty: it did not match."""
    found: list[tuple[str, str]] = []
    if search:
        found += [(name, value) for name, value in (("number", row.number),
                                                    ("title", row.title)) if matches(search, value)]
    for wanted in (w for w in (search, agency) if w):
        found += [("lead", a) for a in row.leads if matches(wanted, a)]
        found += [("coordinator", a) for a in row.coordinators if matches(wanted, a)]
    return list(dict.fromkeys(found))


def _found(row: TaskStatus, search: str) -> bool:
    return any(matches(search, value) for value in (
        row.number, row.title, *row.leads, *row.coordinators,
        f"{row.number} {row.title}"))


def filter_status(
    rows: list[TaskStatus],
    *,
    search: str | None = None,
    group: str | None = None,
    agency: str | None = None,
    status: str | None = None,
) -> list[TaskStatus]:
    """Filter as a Vietnamese reader expects: whole words, case ignored, diacritics ignored
    only where the search has none; an agency is found among leads and coordinators."""

    def keep(row: TaskStatus) -> bool:
        return (
            (not search or _found(row, search))
            and (not group or row.group == group)
            and (not agency or any(matches(agency, a) for a in row.leads + row.coordinators))
            and (not status or row.status.value == status)
        )

    return [row for row in rows if keep(row)]
