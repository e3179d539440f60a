"""Plan summary: counts per status class, per group, per lead agency; what is due soon;
which open tasks still miss the report they owe for the current period (domain/obligations)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.obligations import current_period, missing_report
from domain.periods import ReportingPeriod
from domain.status import StatusClass
from domain.text import sort_key
from projections.plan_state import PlanState, TaskRow
from projections.plan_status import TaskStatus, plan_status

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class PlanSummary:
    on: date
    period: str
    overall: dict[str, int]
    by_group: dict[str, dict[str, int]]
    by_lead: dict[str, dict[str, int]]
    due_soon: list[TaskStatus] = field(default_factory=list)
    missing_report: list[TaskStatus] = field(default_factory=list)


def _counts(rows: list[TaskStatus]) -> dict[str, int]:
    counted = Counter(r.status.value for r in rows)
    return {c.value: counted.get(c.value, 0) for c in StatusClass} | {"total": len(rows)}


def current_quarter(on: date) -> ReportingPeriod:
    return current_period(on)


def is_due_soon(row: TaskStatus, on: date, days: int = DUE_SOON_DAYS) -> bool:
    """Open, with a due date from `on` to `days` days later (both included)."""
    return row.state == "open" and row.due is not None and on <= row.due <= on + timedelta(
        days=days)


def summarise(state: PlanState, on: date, period: ReportingPeriod | None = None,
              due_within_days: int = DUE_SOON_DAYS, tasks: list[TaskRow] | None = None
              ) -> PlanSummary:
    """The summary on `on`: of the given task rows (sorted by number), or else of the
    state's tasks; `state` gives the plans and the agencies' names."""
    period = period or current_quarter(on)
    tasks = state.task_rows() if tasks is None else tasks
    rows = plan_status(state, on, tasks)
    groups = sorted({r.group for r in rows}, key=[t.group_code for t in tasks].index)
    leads = sorted({lead for r in rows for lead in r.leads}, key=sort_key)
    return PlanSummary(
        on=on,
        period=period.code,
        overall=_counts(rows),
        by_group={g: _counts([r for r in rows if r.group == g]) for g in groups},
        by_lead={a: _counts([r for r in rows if a in r.leads]) for a in leads},
        due_soon=[r for r in rows if is_due_soon(r, on, due_within_days)],
        missing_report=[
            row for row, task in zip(rows, tasks, strict=True)
            if missing_report(task.facts(), period)
        ],
    )
