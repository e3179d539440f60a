"""What a task owes on a given day: how long until it is due (or how long it is overdue),
whether it falls due soon, and whether it owes a progress report for a reporting period.

Pure functions of `TaskFacts` (the plain data `TaskView.facts()` gives) and a date; the work
queues, the reporter's view and the reminders ask the same questions through them.

Rules (README, "Work queues"):
- the due date a task is judged against: the deadline's due date (a conditional deadline
  has one once its trigger is recorded); a yearly task's day in the year asked about; a
  continuous task, an untriggered conditional task and an unreadable deadline have none;
- only an open task is due or overdue: completed, cancelled and suspended tasks and tasks
  whose completion awaits review owe nothing; overdue is as the status rules say (a yearly
  or continuous task is never overdue, a yearly task done for the year is not due again);
- the current reporting period is the quarter containing the day;
- an open task owes a report for a period when the period is part of its working life:
  - a dated task (a day, month, quarter or year) from the year it falls due in (or from its
    own start, when that is earlier) until it is completed: a task due years later does not
    report yet, an overdue one keeps reporting;
  - a task with a range ("2025 - 2030") throughout the range, and after it while open;
  - a yearly task from its first year on, except in a year it is already done for;
  - a continuous task, and one whose deadline could not be read, every period;
  - a conditional task only once its trigger is recorded, from the trigger's period on;
- a report answers for a period when its own period ends within it (a month's, the
  quarter's, a six-month, nine-month or year report ending in that quarter); a returned
  report answers for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.deadlines import DeadlineKind
from domain.errors import DomainError
from domain.periods import ReportingPeriod
from domain.status import StatusClass, TaskFacts, classify

OPEN = "open"
RETURNED = "returned"
DUE_SOON_DAYS = (30, 7)  # the two horizons the queues show ("trong 30 ngày", "trong 7 ngày")
LAST_WEEKS_DAYS = 14  # a period's last two weeks, when missing reports are reminded


class Cadence(StrEnum):
    """How often progress is reported; the province's plans report quarterly."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


def reporting_period(on: date, cadence: Cadence = Cadence.QUARTER) -> ReportingPeriod:
    """The reporting period of `cadence` containing the day (2025-Q1, 2025-03, 2025-H1, 2025)."""
    if cadence is Cadence.MONTH:
        code = f"{on.year}-{on.month:02d}"
    elif cadence is Cadence.QUARTER:
        code = f"{on.year}-Q{(on.month - 1) // 3 + 1}"
    elif cadence is Cadence.HALF_YEAR:
        code = f"{on.year}-H{1 if on.month <= 6 else 2}"
    else:
        code = str(on.year)
    return ReportingPeriod.parse(code)


def current_period(today: date) -> ReportingPeriod:
    """The period a report is due for now: the quarter containing `today`."""
    return reporting_period(today, Cadence.QUARTER)


def previous_period(period: ReportingPeriod) -> ReportingPeriod:
    """The period of the same length just before `period` (2025-Q1 → 2024-Q4)."""
    return _same_length(period, period.start - timedelta(days=1))


def last_weeks_start(period: ReportingPeriod, days: int = LAST_WEEKS_DAYS) -> date:
    """The first day of the period's last `days` days (the last two weeks by default)."""
    return max(period.start, period.end - timedelta(days=days - 1))


def in_last_weeks(period: ReportingPeriod, today: date, days: int = LAST_WEEKS_DAYS) -> bool:
    return last_weeks_start(period, days) <= today <= period.end


def due_date(task: TaskFacts, today: date) -> date | None:
    """The date the task is judged against on `today`: its due date, a yearly task's day in
    this year, or None when it has none (continuous, untriggered, unreadable)."""
    deadline = task.deadline
    if deadline.kind is DeadlineKind.YEARLY:
        return deadline.due_in_year(today.year)
    if deadline.kind in (DeadlineKind.CONTINUOUS, DeadlineKind.UNPARSED):
        return None
    return deadline.due


def is_live(task: TaskFacts) -> bool:
    """Open, so it is due, reports and can be overdue (a completion under review is not)."""
    return task.state == OPEN


def is_overdue(task: TaskFacts, today: date) -> bool:
    return is_live(task) and classify(task, today) is StatusClass.OPEN_OVERDUE


def days_overdue(task: TaskFacts, today: date) -> int | None:
    """Whole days past the due date (1 on the day after it), or None when not overdue."""
    due = due_date(task, today)
    if due is None or not is_overdue(task, today):
        return None
    return (today - due).days


def days_remaining(task: TaskFacts, today: date) -> int | None:
    """Days left until the due date (0 on the day itself), or None: not open, no due date,
    already overdue, or a yearly task done for the year."""
    due = due_date(task, today)
    if due is None or not is_live(task) or today > due:
        return None
    if task.deadline.kind is DeadlineKind.YEARLY and _done_for_year(task, today.year):
        return None
    return (due - today).days


def is_due_within(task: TaskFacts, today: date, days: int) -> bool:
    """Open and due between today and `days` days from now, both included."""
    left = days_remaining(task, today)
    return left is not None and left <= days


@dataclass(frozen=True)
class Timing:
    """A task's standing on a day, for a row of a list: at most one number is set."""

    due: date | None
    days_remaining: int | None
    days_overdue: int | None

    @property
    def within_7(self) -> bool:
        return self.days_remaining is not None and self.days_remaining <= DUE_SOON_DAYS[1]

    @property
    def within_30(self) -> bool:
        return self.days_remaining is not None and self.days_remaining <= DUE_SOON_DAYS[0]


def timing(task: TaskFacts, today: date) -> Timing:
    return Timing(due_date(task, today), days_remaining(task, today), days_overdue(task, today))


def owes_report(task: TaskFacts, period: ReportingPeriod) -> bool:
    """Whether the task is due a progress report for the period (see the module's rules)."""
    if not is_live(task):
        return False
    deadline, kind = task.deadline, task.deadline.kind
    if kind in (DeadlineKind.CONTINUOUS, DeadlineKind.UNPARSED):
        return True
    if kind is DeadlineKind.YEARLY:
        year = period.end.year
        return deadline.due_in_year(year) is not None and not _done_for_year(task, year)
    if deadline.due is None:  # a conditional deadline whose trigger is not recorded
        return False
    if kind is DeadlineKind.CONDITIONAL:
        return deadline.start is None or deadline.start <= period.end
    if kind is DeadlineKind.RANGE and deadline.start is not None:
        return deadline.start <= period.end
    first = date(deadline.due.year, 1, 1)
    if deadline.start is not None:
        first = min(first, deadline.start)
    return first <= period.end


def answers_for(report_period: str, period: ReportingPeriod) -> bool:
    """A report for `report_period` answers for `period` when it ends within it."""
    try:
        reported = ReportingPeriod.parse(report_period)
    except DomainError:
        return False
    return period.start <= reported.end <= period.end


def has_report_for(task: TaskFacts, period: ReportingPeriod) -> bool:
    return any(r.state != RETURNED and answers_for(r.period, period) for r in task.reports)


def missing_report(task: TaskFacts, period: ReportingPeriod) -> bool:
    """The task owes a report for the period and none (that was not returned) answers for it."""
    return owes_report(task, period) and not has_report_for(task, period)


def _same_length(period: ReportingPeriod, day: date) -> ReportingPeriod:
    code = period.code
    if "-9M" in code:
        return ReportingPeriod.parse(f"{day.year}-9M")
    if "-Q" in code:
        return reporting_period(day, Cadence.QUARTER)
    if "-H" in code:
        return reporting_period(day, Cadence.HALF_YEAR)
    return reporting_period(day, Cadence.MONTH if "-" in code else Cadence.YEAR)


def _done_for_year(task: TaskFacts, year: int) -> bool:
    for report in task.reports:
        if report.state == RETURNED or report.percent != 100:
            continue
        try:
            if ReportingPeriod.parse(report.period).start.year == year:
                return True
        except DomainError:
            continue
    return False
