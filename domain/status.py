"""Status classes of the Government Office's task tracking, judged on a given date.

Rules (documented in README "Status rules"):
- cancelled and suspended tasks are classed as such and left out of the five classes;
- done on time / done late: completed on or before the judging date; on time when the
  completion date is on or before the due date (a task with no due date is on time);
- open overdue: not completed and the judging date is after the due date;
- not started: not completed, not overdue, and no report above 0 % yet;
- open within deadline: everything else that is open;
- a yearly task ("Hằng năm") is judged year by year: done on time in year Y when a 100 %
  report for a period of Y exists; otherwise open (or not started) until 31/12/Y, then
  overdue for Y;
- a continuous task ("Thường xuyên") is never overdue; the summary flags a missing report;
- a conditional task stays open within deadline until its trigger is recorded, then it
  has a due date like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.deadlines import Deadline, DeadlineKind
from domain.periods import ReportingPeriod


class StatusClass(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN_WITHIN_DEADLINE = "open_within_deadline"
    OPEN_OVERDUE = "open_overdue"
    NOT_STARTED = "not_started"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]


_LABELS_VI = {
    StatusClass.DONE_ON_TIME: "Hoàn thành đúng hạn",
    StatusClass.DONE_LATE: "Hoàn thành quá hạn",
    StatusClass.OPEN_WITHIN_DEADLINE: "Chưa hoàn thành - trong hạn",
    StatusClass.OPEN_OVERDUE: "Chưa hoàn thành - quá hạn",
    StatusClass.NOT_STARTED: "Chưa triển khai",
    StatusClass.CANCELLED: "Đã hủy",
    StatusClass.SUSPENDED: "Tạm dừng",
}
_COLOURS = {
    StatusClass.DONE_ON_TIME: "green",
    StatusClass.DONE_LATE: "orange",
    StatusClass.OPEN_WITHIN_DEADLINE: "blue",
    StatusClass.OPEN_OVERDUE: "red",
    StatusClass.NOT_STARTED: "grey",
    StatusClass.CANCELLED: "black",
    StatusClass.SUSPENDED: "purple",
}


@dataclass(frozen=True)
class ReportFact:
    period: str
    percent: int
    state: str  # submitted, verified, returned


@dataclass(frozen=True)
class TaskFacts:
    deadline: Deadline
    state: str  # open, completed, cancelled, suspended
    completed_on: date | None
    reports: tuple[ReportFact, ...]


def classify(task: TaskFacts, on: date) -> StatusClass:
    if task.state == "cancelled":
        return StatusClass.CANCELLED
    if task.state == "suspended":
        return StatusClass.SUSPENDED
    if task.deadline.kind is DeadlineKind.YEARLY:
        return _classify_yearly(task, on)
    due = task.deadline.due
    if task.completed_on is not None and task.completed_on <= on:
        late = due is not None and task.completed_on > due
        return StatusClass.DONE_LATE if late else StatusClass.DONE_ON_TIME
    if due is not None and on > due and task.deadline.kind is not DeadlineKind.CONTINUOUS:
        return StatusClass.OPEN_OVERDUE
    return _open_class(task.reports)


def _classify_yearly(task: TaskFacts, on: date) -> StatusClass:
    in_year = tuple(r for r in task.reports if _period_year(r.period) == on.year)
    if any(r.percent == 100 and r.state != "returned" for r in in_year):
        return StatusClass.DONE_ON_TIME
    return _open_class(in_year)


def _open_class(reports: tuple[ReportFact, ...]) -> StatusClass:
    started = any(r.percent > 0 and r.state != "returned" for r in reports)
    return StatusClass.OPEN_WITHIN_DEADLINE if started else StatusClass.NOT_STARTED


def _period_year(code: str) -> int:
    return ReportingPeriod.parse(code).start.year


def is_missing_report(task: TaskFacts, period: ReportingPeriod) -> bool:
    """An open task with no report for the period (returned reports do not count)."""
    if task.state != "open":
        return False
    return not any(
        r.period == period.code and r.state != "returned" for r in task.reports
    )
