"""Work queues ("Việc cần xử lý"): what waits for each principal, from one plan state.

- The standing body: progress reports, completion requests and extension requests that
  await its decision, and agencies' answers to its directions it has not followed up (an
  answer waits until a later direction is recorded on the task, or the task is no longer
  open), oldest first, with the days each has waited.
- An agency reporter: its tasks, split into those it leads and those it coordinates, each
  with days remaining or overdue; what the standing body sent back (a returned report or
  completion, an extension refused in the last 30 days) with the reason, until the agency
  answers it; the tasks
  due within 30 and 7 days; the overdue tasks; the reports it owes for the current period
  (domain/obligations says which tasks owe one). An agency succeeded, merged or dissolved
  by the day still sees its tasks, but owes nothing: its returned, due, overdue and owed
  lists are empty, since the ledger refuses its reports and its successors carry them.
- Auditors and inspectors: what was recorded since their last visit (service/visits).

Pure functions of a `PlanState` and a day; the shapes are dataclasses the API's schemas dump.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.clock import Clock
from domain.obligations import (
    DUE_SOON_DAYS,
    answers_for,
    current_period,
    days_overdue,
    days_remaining,
    due_date,
    owes_report,
)
from domain.periods import ReportingPeriod
from projections.audit import AuditEntry
from projections.plan_state import AgencyChange, PlanState, TaskRow, TaskView
from projections.plan_status import TaskStatus, task_status
from projections.responsibility import carried_role, ended

REFUSAL_SHOWN_DAYS = 30  # how long a refused extension stays in the agency's queue


class ReviewKind(StrEnum):
    REPORT = "report"
    COMPLETION = "completion"
    EXTENSION = "extension"
    ANSWER = "answer"

    @property
    def label_vi(self) -> str:
        return _REVIEW_LABELS[self]


_REVIEW_LABELS = {
    ReviewKind.REPORT: "Báo cáo tiến độ",
    ReviewKind.COMPLETION: "Đề nghị xác nhận hoàn thành",
    ReviewKind.EXTENSION: "Đề nghị gia hạn",
    ReviewKind.ANSWER: "Trả lời ý kiến chỉ đạo",
}


class ReturnedKind(StrEnum):
    REPORT = "report"
    COMPLETION = "completion"
    EXTENSION = "extension"

    @property
    def label_vi(self) -> str:
        return _RETURNED_LABELS[self]


_RETURNED_LABELS = {
    ReturnedKind.REPORT: "Báo cáo bị trả lại",
    ReturnedKind.COMPLETION: "Đề nghị hoàn thành bị trả lại",
    ReturnedKind.EXTENSION: "Đề nghị gia hạn không được chấp thuận",
}


@dataclass(frozen=True)
class ReviewItem:
    """Something an agency sent that waits for the standing body."""

    kind: ReviewKind
    plan: str
    task: str  # the task's number
    title: str
    number: int  # the report's, request's or direction's number
    agency: str | None  # the agency's name, when sent for one
    submitted_at: datetime
    waited_days: int
    detail: str  # what was sent, in a line: period and percent, proposed deadline...
    period: str | None = None  # a report's period and percent
    percent: int | None = None


@dataclass(frozen=True)
class ReviewQueue:
    on: date
    items: tuple[ReviewItem, ...]

    def count(self, kind: ReviewKind) -> int:
        return sum(1 for item in self.items if item.kind is kind)


@dataclass(frozen=True)
class TaskDue(TaskStatus):
    """A task's status row with its standing on the day."""

    due_on: date | None = None  # the date it is judged against (a yearly task's this year)
    days_remaining: int | None = None
    days_overdue: int | None = None
    role: str = ""  # "lead" or "coordinator": the agency's part in it
    owes_report: bool = False  # owes a report for the current period and has none


@dataclass(frozen=True)
class ReturnedItem:
    kind: ReturnedKind
    plan: str
    task: str
    title: str
    number: int
    period: str | None  # a returned report's period
    reason: str
    decided_at: datetime | None


@dataclass(frozen=True)
class AgencyQueue:
    agency: str  # key
    name: str
    on: date
    period: str  # the current reporting period
    leading: tuple[TaskDue, ...]
    coordinating: tuple[TaskDue, ...]
    returned: tuple[ReturnedItem, ...]
    due_within_30: tuple[TaskDue, ...]
    due_within_7: tuple[TaskDue, ...]
    overdue: tuple[TaskDue, ...]
    missing_report: tuple[TaskDue, ...]
    # The succession, merger or dissolution by which the agency stopped acting by `on`: its
    # tasks are still listed, but nothing is its work any more (its successors carry them).
    ended: AgencyChange | None = None

    @property
    def count(self) -> int:
        """What needs doing: returned items, overdue tasks, reports owed, due within 7 days."""
        return (len(self.returned) + len(self.overdue) + len(self.missing_report)
                + len(self.due_within_7))


# -- the standing body ------------------------------------------------------------------------


def review_queue(state: PlanState, clock: Clock) -> ReviewQueue:
    today = clock.today()
    items: list[ReviewItem] = []
    for task in state.sorted_tasks():
        items += _waiting(state, task, clock)
    items.sort(key=lambda item: (item.submitted_at, item.task, item.number))
    return ReviewQueue(today, tuple(items))


def _waiting(state: PlanState, task: TaskView, clock: Clock) -> list[ReviewItem]:
    plan = state.plans.get(task.plan_id)
    today = clock.today()

    def item(kind: ReviewKind, number: int, agency: str | None, at: datetime,
             detail: str, period: str | None = None, percent: int | None = None
             ) -> ReviewItem:
        return ReviewItem(kind, plan.number if plan else "", task.number, task.title, number,
                          state.agency_name(agency) if agency else None, at,
                          max(0, (today - clock.local(at).date()).days), detail, period,
                          percent)

    found = [item(ReviewKind.REPORT, r.number, r.agency, r.recorded_at,
                  f"Kỳ {r.period}: {r.percent}%", r.period, r.percent)
             for r in task.reports if r.state == "submitted" and task.state != "cancelled"]
    found += [item(ReviewKind.COMPLETION, c.number, c.agency, c.recorded_at,
                   f"Hoàn thành ngày {_vi(c.completed_on)}; {c.output_document}")
              for c in task.completions if c.state == "pending"]
    found += [item(ReviewKind.EXTENSION, x.number, x.agency, x.recorded_at,
                   f"Đề nghị thời hạn mới: {x.proposed.text}")
              for x in task.extensions if x.state == "pending"]
    if task.state in ("open", "completion_pending") and task.directions:
        latest = task.directions[-1]
        found += [item(ReviewKind.ANSWER, latest.number, a.agency, a.recorded_at, a.text)
                  for a in latest.answers]
    return found


# -- an agency reporter -----------------------------------------------------------------------


def agency_queue(state: PlanState, agency: str, today: date,
                 period: ReportingPeriod | None = None,
                 rows: Mapping[UUID, TaskRow] | None = None) -> AgencyQueue:
    """An agency's queue. With the tasks' status rows given, a task's status and facts come
    from its row, and its view need hold only the reports the queue reads (those
    `ReadModelStore.load_for_queues` loads)."""
    period = period or current_period(today)
    leading: list[TaskDue] = []
    coordinating: list[TaskDue] = []
    returned: list[ReturnedItem] = []
    for task in state.sorted_tasks():
        # Its own tasks, and those it carries today as the successor of an agency named.
        if agency in task.leads:
            role = "lead"
        elif agency in task.coordinators:
            role = "coordinator"
        else:
            role = carried_role(state, task, agency, today)
            if not role:
                continue
        row = task_due(state, task, today, role, period, agency,
                       rows.get(task.id) if rows is not None else None)
        (leading if role == "lead" else coordinating).append(row)
        returned += _returned(state, task, agency, today)
    stopped = ended(state, agency, today)
    if stopped is not None:
        return AgencyQueue(agency, state.agency_name(agency), today, period.code,
                           tuple(leading), tuple(coordinating), (), (), (), (), (), stopped)
    mine = leading + coordinating
    live = [r for r in mine if r.days_remaining is not None]
    return AgencyQueue(
        agency=agency, name=state.agency_name(agency), on=today, period=period.code,
        leading=tuple(leading), coordinating=tuple(coordinating), returned=tuple(returned),
        due_within_30=tuple(_by_due(r for r in live
                                    if (r.days_remaining or 0) <= DUE_SOON_DAYS[0])),
        due_within_7=tuple(_by_due(r for r in live
                                   if (r.days_remaining or 0) <= DUE_SOON_DAYS[1])),
        overdue=tuple(sorted((r for r in mine if r.days_overdue is not None),
                             key=lambda r: -(r.days_overdue or 0))),
        missing_report=tuple(r for r in leading if r.owes_report),
    )


def task_due(state: PlanState, task: TaskView, today: date, role: str = "",
             period: ReportingPeriod | None = None, agency: str | None = None,
             row: TaskRow | None = None) -> TaskDue:
    """A task's row with its due date, days remaining or overdue, and whether it (or, for an
    agency, its own part) still owes the current period's report: the lead agencies report,
    a coordinating agency contributes to their report and owes none of its own. Its status
    and facts come from `row` when given."""
    facts = (row or task).facts()
    period = period or current_period(today)
    return TaskDue(**vars(task_status(state, row or task, today)),
                   due_on=due_date(facts, today), days_remaining=days_remaining(facts, today),
                   days_overdue=days_overdue(facts, today), role=role,
                   owes_report=role != "coordinator" and owes_report(facts, period)
                   and not _reported(task, period, agency))


def _reported(task: TaskView, period: ReportingPeriod, agency: str | None) -> bool:
    """A report for the period that was not returned, sent for the agency (or for none: the
    standing body recording it), when an agency is asked about."""
    return any(r.state != "returned" and answers_for(r.period, period)
               and (agency is None or r.agency in (agency, None)) for r in task.reports)


def _by_due(rows: Iterable[TaskDue]) -> list[TaskDue]:
    return sorted(rows, key=lambda r: r.days_remaining or 0)  # stable: plan order next


def _returned(state: PlanState, task: TaskView, agency: str, today: date
              ) -> list[ReturnedItem]:
    """What came back to the agency and is not yet answered: a returned report until a
    report for the same period follows it; the latest completion request, when returned and
    the task is still open; the latest extension request, refused within the last
    REFUSAL_SHOWN_DAYS days, when none followed."""
    if task.state in ("cancelled", "completed"):
        return []
    plan = state.plans.get(task.plan_id)
    plan_number = plan.number if plan else ""
    found: list[ReturnedItem] = []
    for report in task.reports:
        if report.state != "returned" or report.agency not in (agency, None):
            continue
        followed = any(r.number > report.number and r.period == report.period
                       for r in task.reports)
        if not followed:
            found.append(ReturnedItem(ReturnedKind.REPORT, plan_number, task.number,
                                      task.title, report.number, report.period,
                                      report.decision_reason, None))
    if task.completions and agency in task.leads:
        last = task.completions[-1]
        if last.state == "returned" and task.state == "open":
            found.append(ReturnedItem(ReturnedKind.COMPLETION, plan_number, task.number,
                                      task.title, last.number, None, last.decision_reason,
                                      last.decided_at))
    if task.extensions and agency in task.leads:
        last_x = task.extensions[-1]
        recent = last_x.decided_at is not None and (
            last_x.decided_at.date() >= today - timedelta(days=REFUSAL_SHOWN_DAYS))
        if last_x.state == "refused" and recent:
            found.append(ReturnedItem(ReturnedKind.EXTENSION, plan_number, task.number,
                                      task.title, last_x.number, None,
                                      last_x.decision_reason, last_x.decided_at))
    return found


def _vi(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


# -- auditors and inspectors ------------------------------------------------------------------


@dataclass(frozen=True)
class News:
    """What was recorded since a visit: every entry of the audit trail, or (for those who
    read only the change log) its entries; the latest first."""

    since: datetime
    changes_only: bool
    total: int
    entries: tuple[AuditEntry, ...]


# -- one principal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkQueue:
    """Everything waiting for one principal in one tenant, by the roles it holds there."""

    tenant: str
    on: date
    review: ReviewQueue | None
    agencies: tuple[AgencyQueue, ...]
    news: News | None

    @property
    def count(self) -> int:
        """The number the header shows."""
        return ((len(self.review.items) if self.review else 0)
                + sum(queue.count for queue in self.agencies)
                + (self.news.total if self.news else 0))
