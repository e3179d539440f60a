"""Agency scorecard for a year, and the ranking rule.

For each lead agency and year Y, judged on 31/12/Y (or on the given date if earlier):
- led: tasks it leads that are due in Y, yearly tasks, and continuous tasks;
- done on time / done late / overdue: the status classes of those tasks;
- reports on time: its reports for periods of Y recorded no later than 10 days after the
  period ended, out of all its reports for periods of Y.
Ranking: by on-time rate (done on time / led), then fewer overdue, then more reports on
time, then name in Vietnamese order. Agencies that led nothing in Y are not ranked.
Collectives ("Các Sở, ban, ngành") are not agencies: they are scored apart and never ranked.
Two names merged as one agency are scored as that agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.deadlines import DeadlineKind
from domain.periods import ReportingPeriod
from domain.status import StatusClass, classify
from domain.text import sort_key
from projections.plan_state import PlanState, TaskView
from projections.responsibility import canonical

REPORT_GRACE_DAYS = 10


@dataclass(frozen=True)
class AgencyScore:
    agency: str
    led: int
    done_on_time: int
    done_late: int
    overdue: int
    reports: int
    reports_on_time: int
    rank: int = 0  # 0: not ranked (a collective)
    is_collective: bool = False

    @property
    def on_time_rate(self) -> float:
        return self.done_on_time / self.led if self.led else 0.0


def counts_in(task: TaskView, year: int) -> bool:
    """Whether a task counts in year Y's scorecard."""
    kind = task.deadline.kind
    if kind in (DeadlineKind.YEARLY, DeadlineKind.CONTINUOUS):
        return True
    due = task.deadline.due
    return due is not None and due.year == year


def _report_on_time(period_code: str, recorded: date) -> bool:
    return recorded <= ReportingPeriod.parse(period_code).end + timedelta(REPORT_GRACE_DAYS)


def _leads(state: PlanState, task: TaskView) -> set[str]:
    return {canonical(state, k) for k in task.leads}


def _score(state: PlanState, key: str, year: int, on: date) -> AgencyScore:
    led = [t for t in state.tasks.values() if key in _leads(state, t)]
    tasks = [t for t in led if counts_in(t, year)]
    classes = [classify(t.facts(), on) for t in tasks]
    reports = [r for t in led for r in t.reports
               if r.period.startswith(str(year))
               and (r.agency is None or canonical(state, r.agency) == key)]
    return AgencyScore(
        agency=state.agency_name(key),
        led=len(tasks),
        done_on_time=classes.count(StatusClass.DONE_ON_TIME),
        done_late=classes.count(StatusClass.DONE_LATE),
        overdue=classes.count(StatusClass.OPEN_OVERDUE),
        reports=len(reports),
        reports_on_time=sum(_report_on_time(r.period, r.recorded_at.date()) for r in reports),
        is_collective=key in state.collectives,
    )


def scorecard(state: PlanState, year: int, today: date | None = None, *,
              collectives: bool = False) -> list[AgencyScore]:
    """The agencies ranked; with `collectives`, the collectives instead, scored alike but
    never ranked (rank 0)."""
    on = min(date(year, 12, 31), today) if today else date(year, 12, 31)
    leads = {k for t in state.tasks.values() for k in _leads(state, t)
             if (k in state.collectives) == collectives}
    scores = [s for s in (_score(state, k, year, on) for k in leads) if s.led]
    scores.sort(key=lambda s: (-s.on_time_rate, s.overdue, -s.reports_on_time,
                               sort_key(s.agency)))
    if collectives:
        return scores
    return [AgencyScore(**{**s.__dict__, "rank": i}) for i, s in enumerate(scores, start=1)]
