"""Which reminder a task's deadline calls for on a day, and what a schedule accepts."""

from __future__ import annotations

from datetime import date

import pytest

from domain.deadlines import parse_deadline
from domain.errors import DomainError
from domain.reminders import Kind, ReminderSchedule, deadline_occasion, parse_days
from domain.status import TaskFacts

DEFAULT = ReminderSchedule()


def task(deadline: str, state: str = "open") -> TaskFacts:
    return TaskFacts(parse_deadline(deadline), state, None, ())


def occasion_on(day: date, deadline: str = "30/06/2025",
                schedule: ReminderSchedule = DEFAULT) -> tuple[str, str, int] | None:
    found = deadline_occasion(schedule, task(deadline), day)
    return (found.kind.value, found.key, found.days) if found else None


def test_before_a_deadline_the_nearest_threshold_reached_is_the_occasion() -> None:
    assert occasion_on(date(2025, 5, 30)) is None  # 31 days left
    assert occasion_on(date(2025, 5, 31)) == ("due_soon", "2025-06-30/30", 30)
    assert occasion_on(date(2025, 6, 20)) == ("due_soon", "2025-06-30/30", 10)
    assert occasion_on(date(2025, 6, 23)) == ("due_soon", "2025-06-30/7", 7)
    assert occasion_on(date(2025, 6, 29)) == ("due_soon", "2025-06-30/1", 1)
    assert occasion_on(date(2025, 6, 30)) == ("due_soon", "2025-06-30/1", 0)


def test_an_overdue_task_is_reminded_on_its_first_overdue_day_then_weekly() -> None:
    keys = [occasion_on(date(2025, 7, d)) for d in (1, 7, 8, 15)]
    assert [k[1] if k else None for k in keys] == [
        "2025-06-30/overdue/0", "2025-06-30/overdue/0", "2025-06-30/overdue/1",
        "2025-06-30/overdue/2"]
    once = DEFAULT.changed(overdue_every_days=0)
    assert occasion_on(date(2025, 9, 1), schedule=once) == ("overdue", "2025-06-30/overdue/0",
                                                           63)


def test_tasks_without_a_due_date_or_not_open_call_for_no_deadline_reminder() -> None:
    day = date(2025, 6, 29)
    assert deadline_occasion(DEFAULT, task("Thường xuyên"), day) is None
    assert deadline_occasion(DEFAULT, task("Ngay sau khi Trung ương ban hành"), day) is None
    assert deadline_occasion(DEFAULT, task("30/06/2025", "completion_pending"), day) is None
    assert deadline_occasion(DEFAULT, task("30/06/2025", "suspended"), day) is None


def test_a_schedule_refuses_days_it_cannot_mean() -> None:
    assert ReminderSchedule(days_before=(1, 30, 7)).days_before == (30, 7, 1)
    assert parse_days("14; 3") == (14, 3) and parse_days("") == ()
    for bad in ({"days_before": (7, 7)}, {"days_before": (0,)},
                {"overdue_every_days": -1}, {"missing_report_days": 100}):
        with pytest.raises(DomainError) as refused:
            ReminderSchedule(**bad)  # type: ignore[arg-type]
        assert refused.value.code and refused.value.code.startswith("reminders.")
    with pytest.raises(DomainError):
        parse_days("7, bảy")
    assert Kind("report_missing") is Kind.REPORT_MISSING
