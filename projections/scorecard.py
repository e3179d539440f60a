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
A task counts for the agencies carrying its lead on the date judged: once an agency's duties
pass to a successor (succession, merger), its open tasks count for the successor; what it
completed before that date stays its own. An agency whose duties had passed on by the date
judged is shown apart with that record, never ranked. A report counts for the agency that
made it (a report of the standing body: for those carrying the lead on the report's date).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.deadlines import DeadlineKind
from domain.periods import ReportingPeriod
from domain.status import StatusClass, classify
from domain.text import sort_key
from projections.plan_state import AgencyChange, PlanState, ReportView, TaskView
from projections.responsibility import canonical, carriers

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
    rank: int = 0  # 0: not ranked (a collective, or an agency whose duties passed on)
    is_collective: bool = False
    ended: str = ""  # "succession", "merger" or "dissolution" by the date judged
    ended_on: date | None = None
    successors: tuple[str, ...] = ()  # the names of the agencies its duties passed to

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


def _closed_on(task: TaskView) -> date | None:
    return task.completed_on if task.state == "completed" else None


def _carrying(state: PlanState, task: TaskView, on: date) -> set[str]:
    """The agencies carrying the task's lead on `on` (aliases resolved)."""
    return {c for k in task.leads for c in carriers(state, k, on, _closed_on(task))}


def _credited(state: PlanState, task: TaskView, report: ReportView) -> set[str]:
    """Whom a report counts for: the agency that made it, when it led the task or carried
    its lead then; the standing body's report counts for those carrying the lead then."""
    carrying = _carrying(state, task, report.effective_on)
    if report.agency is None:
        return carrying
    made_by = canonical(state, report.agency)
    named = {canonical(state, k) for k in task.leads}
    return {made_by} & (carrying | named)


def _ended_by(state: PlanState, key: str, on: date) -> AgencyChange | None:
    change = state.agency_changes.get(key)
    return change if change is not None and change.kind != "alias" and change.on <= on else None


def _score(state: PlanState, key: str, tasks: list[TaskView], reports: list[ReportView],
           on: date) -> AgencyScore:
    classes = [classify(t.facts(), on) for t in tasks]
    change = _ended_by(state, key, on)
    return AgencyScore(
        agency=state.agency_name(key),
        led=len(tasks),
        done_on_time=classes.count(StatusClass.DONE_ON_TIME),
        done_late=classes.count(StatusClass.DONE_LATE),
        overdue=classes.count(StatusClass.OPEN_OVERDUE),
        reports=len(reports),
        reports_on_time=sum(_report_on_time(r.period, r.recorded_at.date()) for r in reports),
        is_collective=key in state.collectives,
        ended=change.kind if change else "",
        ended_on=change.on if change else None,
        successors=tuple(state.agency_name(k) for k in change.successors) if change else (),
    )


def _scores(state: PlanState, year: int, on: date) -> list[AgencyScore]:
    """Every agency with a task or a report in year Y, judged on `on`."""
    led: dict[str, list[TaskView]] = defaultdict(list)
    reported: dict[str, list[ReportView]] = defaultdict(list)
    for task in state.tasks.values():
        if counts_in(task, year):
            for key in _carrying(state, task, on):
                led[key].append(task)
        for report in task.reports:
            if report.period.startswith(str(year)):
                for key in _credited(state, task, report):
                    reported[key].append(report)
    return [_score(state, k, led[k], reported[k], on) for k in {*led, *reported}]


def scorecard(state: PlanState, year: int, today: date | None = None, *,
              part: str = "ranked") -> list[AgencyScore]:
    """The agencies ranked ("ranked"); or, never ranked (rank 0), the collectives scored
    alike ("collectives") or the agencies whose duties had passed on by then ("ended")."""
    on = min(date(year, 12, 31), today) if today else date(year, 12, 31)
    scores = _scores(state, year, on)
    if part == "ended":
        chosen = [s for s in scores if s.ended and (s.led or s.reports)]
    else:
        chosen = [s for s in scores if not s.ended and s.led
                  and s.is_collective == (part == "collectives")]
    chosen.sort(key=lambda s: (-s.on_time_rate, s.overdue, -s.reports_on_time,
                               sort_key(s.agency)))
    if part != "ranked":
        return chosen
    return [replace(s, rank=i) for i, s in enumerate(chosen, start=1)]
