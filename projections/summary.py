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
    # Each key of `by_group`: its label ("I. Title", led by the plan's number when the
    # tenant holds several plans) and the (plan number, group code) it counts.
    group_labels: dict[str, str] = field(default_factory=dict)
    group_refs: dict[str, tuple[str, str]] = field(default_factory=dict)


def group_key(plan: str, code: str, several: bool) -> str:
    """A group's key in the summary: its code alone, or with its plan's number when the
    tenant holds several plans (two plans may both have a group I)."""
    return f"{plan} · {code}" if several else code


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
    several = len(state.plans) > 1
    titles = {p.number: p.groups for p in state.plans.values()}
    plans = [p.number for p in sorted(state.plans.values(), key=lambda p: (
        p.issued_on or date.max, sort_key(p.number)))]  # the earliest issued first
    order = [(r.plan, r.group) for r in rows]
    groups = sorted(set(order), key=lambda g: (
        plans.index(g[0]) if g[0] in plans else len(plans), order.index(g)))
    keys = {g: group_key(*g, several) for g in groups}
    leads = sorted({lead for r in rows for lead in r.leads}, key=sort_key)
    return PlanSummary(
        on=on,
        period=period.code,
        overall=_counts(rows),
        by_group={keys[g]: _counts([r for r in rows if (r.plan, r.group) == g])
                  for g in groups},
        by_lead={a: _counts([r for r in rows if a in r.leads]) for a in leads},
        due_soon=[r for r in rows if is_due_soon(r, on, due_within_days)],
        missing_report=[
            row for row, task in zip(rows, tasks, strict=True)
            if missing_report(task.facts(), period)
        ],
        group_labels={keys[g]: _label(g, titles.get(g[0], {}), several) for g in groups},
        group_refs={keys[g]: g for g in groups},
    )


def _label(group: tuple[str, str], titles: dict[str, str], several: bool) -> str:
    plan, code = group
    label = f"{code}. {titles.get(code, '')}".rstrip(". ")
    return f"Kế hoạch {plan} · {label}" if several else label
