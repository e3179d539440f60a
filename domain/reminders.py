"""Reminders: a tenant's schedule, and which reminder a task's deadline or reporting period
calls for on a given day.

The defaults are what provincial task systems do: 30, 7 and 1 days before a deadline; on the
day a task becomes overdue, then every week; when the standing body returns a report or a
completion request; at the start of a reporting period's last two weeks while its report is
missing. Each reminder has an occasion (the due date and threshold, the overdue week, the
period, the returned item) so that it is sent once, whatever runs again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from domain.errors import DomainError
from domain.obligations import (
    current_period,
    days_overdue,
    days_remaining,
    due_date,
    in_last_weeks,
    missing_report,
)
from domain.status import TaskFacts

MAX_DAYS_BEFORE = 366
MAX_THRESHOLDS = 10
MAX_OVERDUE_EVERY = 366
MAX_MISSING_REPORT_DAYS = 92


class Kind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    REPORT_RETURNED = "report_returned"
    COMPLETION_RETURNED = "completion_returned"
    REPORT_MISSING = "report_missing"


@dataclass(frozen=True)
class ReminderSchedule:
    """When a tenant's agencies are reminded. Zero turns a repeat (or a kind) off."""

    days_before: tuple[int, ...] = (30, 7, 1)
    overdue_every_days: int = 7  # 0: only on the day the task becomes overdue
    on_return: bool = True  # a returned report or completion request
    missing_report_days: int = 14  # before a period's end; 0: no missing-report reminder

    def __post_init__(self) -> None:
        days = tuple(self.days_before)
        if len(days) > MAX_THRESHOLDS or len(set(days)) != len(days):
            raise DomainError("reminders.bad_days_before", field="days_before",
                              most=MAX_THRESHOLDS)
        if any(not 1 <= d <= MAX_DAYS_BEFORE for d in days):
            raise DomainError("reminders.days_out_of_range", field="days_before",
                              least=1, most=MAX_DAYS_BEFORE)
        if not 0 <= self.overdue_every_days <= MAX_OVERDUE_EVERY:
            raise DomainError("reminders.days_out_of_range", field="overdue_every_days",
                              least=0, most=MAX_OVERDUE_EVERY)
        if not 0 <= self.missing_report_days <= MAX_MISSING_REPORT_DAYS:
            raise DomainError("reminders.days_out_of_range", field="missing_report_days",
                              least=0, most=MAX_MISSING_REPORT_DAYS)
        object.__setattr__(self, "days_before", tuple(sorted(days, reverse=True)))

    def to_dict(self) -> dict[str, Any]:
        return {"days_before": list(self.days_before),
                "overdue_every_days": self.overdue_every_days,
                "on_return": self.on_return,
                "missing_report_days": self.missing_report_days}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReminderSchedule:
        default = cls()
        return cls(
            days_before=tuple(int(d) for d in data.get("days_before", default.days_before)),
            overdue_every_days=int(data.get("overdue_every_days", default.overdue_every_days)),
            on_return=bool(data.get("on_return", default.on_return)),
            missing_report_days=int(data.get("missing_report_days",
                                             default.missing_report_days)),
        )

    def changed(self, **values: Any) -> ReminderSchedule:
        """This schedule with some values replaced (None leaves a value as it is)."""
        merged = {**self.to_dict(), **{k: v for k, v in values.items() if v is not None}}
        return ReminderSchedule.from_dict(merged)


@dataclass(frozen=True)
class Occasion:
    """A reminder that falls due: its kind and the key part that makes it happen once."""

    kind: Kind
    key: str
    days: int = 0  # days left before the deadline, or days overdue


def deadline_occasion(schedule: ReminderSchedule, task: TaskFacts,
                      today: date) -> Occasion | None:
    """Before the deadline: the nearest threshold reached (one reminder, not one per
    threshold passed while nobody ran the schedule). Once overdue: on the first overdue
    day, then every `overdue_every_days` days. Only an open task with a due date."""
    due = due_date(task, today)
    if due is None:
        return None
    left = days_remaining(task, today)
    if left is not None:
        reached = [d for d in schedule.days_before if left <= d]
        if not reached:
            return None
        return Occasion(Kind.DUE_SOON, f"{due.isoformat()}/{min(reached)}", left)
    late = days_overdue(task, today)
    if late is None:
        return None
    every = schedule.overdue_every_days
    repeat = (late - 1) // every if every else 0
    return Occasion(Kind.OVERDUE, f"{due.isoformat()}/overdue/{repeat}", late)


def missing_report_occasion(schedule: ReminderSchedule, task: TaskFacts,
                            today: date) -> Occasion | None:
    """In the current period's last `missing_report_days` days, while a report it owes for
    the period is missing."""
    period = current_period(today)
    days = schedule.missing_report_days
    if not days or not in_last_weeks(period, today, days) or not missing_report(task, period):
        return None
    return Occasion(Kind.REPORT_MISSING, period.code, (period.end - today).days)


def parse_days(text: str | Sequence[int]) -> tuple[int, ...]:
    """"30, 7, 1" (or a list) as thresholds; an empty text means none."""
    if not isinstance(text, str):
        return tuple(int(d) for d in text)
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise DomainError("reminders.bad_days_before", field="days_before",
                          most=MAX_THRESHOLDS)
    return tuple(int(p) for p in parts)
