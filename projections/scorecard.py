"""Agency scorecard for a year, and the ranking rule.

For each lead agency (collectives included, as the plan names them) and year Y, judged on
31/12/Y (or on the given date if earlier):
- led: tasks it leads that are due in Y, yearly tasks, and continuous tasks;
- done on time / done late / overdue: the status classes of those tasks;
- reports on time: its reports for periods of Y recorded no later than 10 days after the
  period ended, out of all its reports for periods of Y.
Ranking: by on-time rate (done on time / led), then fewer overdue, then more reports on
time, then name in Vietnamese order. Agencies that led nothing in Y are not ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.deadlines import DeadlineKind
from domain.periods import ReportingPeriod
from domain.status import StatusClass, classify
from domain.text import sort_key
from projections.plan_state import PlanState, TaskView

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
    rank: int = 0

    @property
    def on_time_rate(self) -> float:
        return self.done_on_time / self.led if self.led else 0.0


def _counts_in(task: TaskView, year: int) -> bool:
    kind = task.deadline.kind
    if kind in (DeadlineKind.YEARLY, DeadlineKind.CONTINUOUS):
        return True
    due = task.deadline.due
    return due is not None and due.year == year


def _report_on_time(period_code: str, recorded: date) -> bool:
    return recorded <= ReportingPeriod.parse(period_code).end + timedelta(REPORT_GRACE_DAYS)


def _score(state: PlanState, key: str, year: int, on: date) -> AgencyScore:
    tasks = [t for t in state.tasks.values() if key in t.leads and _counts_in(t, year)]
    classes = [classify(t.facts(), on) for t in tasks]
    reports = [r for t in state.tasks.values() if key in t.leads for r in t.reports
               if r.period.startswith(str(year)) and (r.agency in (None, key))]
    return AgencyScore(
        agency=state.agency_name(key),
        led=len(tasks),
        done_on_time=classes.count(StatusClass.DONE_ON_TIME),
        done_late=classes.count(StatusClass.DONE_LATE),
        overdue=classes.count(StatusClass.OPEN_OVERDUE),
        reports=len(reports),
        reports_on_time=sum(_report_on_time(r.period, r.recorded_at.date()) for r in reports),
    )


def scorecard(state: PlanState, year: int, today: date | None = None) -> list[AgencyScore]:
    on = min(date(year, 12, 31), today) if today else date(year, 12, 31)
    leads = {k for t in state.tasks.values() for k in t.leads}
    scores = [s for s in (_score(state, k, year, on) for k in leads) if s.led]
    scores.sort(key=lambda s: (-s.on_time_rate, s.overdue, -s.reports_on_time,
                               sort_key(s.agency)))
    return [AgencyScore(**{**s.__dict__, "rank": i}) for i, s in enumerate(scores, start=1)]
