"""Plan status: each task's current assignment, deadline, last report and status class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.status import StatusClass, classify
from domain.text import matches
from projections.plan_state import PlanState, TaskRow, TaskView
from projections.responsibility import task_carriers


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
    # The agencies carrying the lead on the date judged: the leads themselves, or their
    # successors once an agency's duties have passed on (projections/responsibility.py).
    responsible: tuple[str, ...]

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


def task_status(state: PlanState, task: TaskView | TaskRow, on: date) -> TaskStatus:
    """A task's status row; `state` gives the plan's number and the agencies' names."""
    row = task.row() if isinstance(task, TaskView) else task
    plan = state.plans.get(row.plan_id)
    return TaskStatus(
        plan=plan.number if plan else "",
        group=row.group_code,
        number=row.number,
        title=row.title,
        leads=tuple(state.agency_name(k) for k in row.leads),
        coordinators=tuple(state.agency_name(k) for k in row.coordinators),
        expected_output=row.expected_output,
        deadline=row.deadline.text,
        deadline_kind=row.deadline.kind.value,
        due=row.deadline.due,
        deadline_changes=row.deadline_changes,
        slip_days=row.slip_days,
        state=row.state,
        completed_on=row.completed_on,
        output_document=row.output_document,
        last_report_period=row.last_report_period,
        last_report_percent=row.last_report_percent,
        last_report_narrative=row.last_report_narrative,
        status=classify(row.facts(), on),
        version=row.version,
        responsible=task_carriers(state, row, on),
    )


def plan_status(state: PlanState, on: date, rows: list[TaskRow] | None = None
                ) -> list[TaskStatus]:
    """Every task's status on `on`, in task-number order: from the given rows (sorted),
    or else from the state's tasks."""
    chosen = state.task_rows() if rows is None else rows
    return [task_status(state, row, on) for row in chosen]


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
            and (not agency or any(matches(agency, a)
                                   for a in row.leads + row.coordinators + row.responsible))
            and (not status or row.status.value == status)
        )

    return [row for row in rows if keep(row)]
