"""What a task owes on a day: due dates, days left or overdue, and the reports it owes."""

from __future__ import annotations

from datetime import date

import pytest

from domain.deadlines import parse_deadline
from domain.obligations import (
    Cadence,
    current_period,
    days_overdue,
    days_remaining,
    due_date,
    has_report_for,
    in_last_weeks,
    is_due_within,
    last_weeks_start,
    missing_report,
    owes_report,
    previous_period,
    reporting_period,
    timing,
)
from domain.periods import ReportingPeriod
from domain.status import ReportFact, TaskFacts

Q1 = ReportingPeriod.parse("2025-Q1")
Q2 = ReportingPeriod.parse("2025-Q2")


def facts(deadline: str, state: str = "open", *reports: ReportFact,
          triggered_on: date | None = None) -> TaskFacts:
    parsed = parse_deadline(deadline)
    if triggered_on is not None:
        parsed = parsed.with_trigger(triggered_on)
    return TaskFacts(deadline=parsed, state=state, completed_on=None, reports=reports)


# -- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "code"), [
    (date(2025, 1, 1), "2025-Q1"), (date(2025, 3, 31), "2025-Q1"),
    (date(2025, 4, 1), "2025-Q2"), (date(2025, 12, 31), "2025-Q4"),
])
def test_the_current_period_is_the_quarter_containing_the_day(day: date, code: str) -> None:
    assert current_period(day).code == code


def test_periods_of_each_cadence_contain_the_day() -> None:
    day = date(2025, 8, 20)
    assert reporting_period(day, Cadence.MONTH).code == "2025-08"
    assert reporting_period(day, Cadence.HALF_YEAR).code == "2025-H2"
    assert reporting_period(day, Cadence.YEAR).code == "2025"
    assert previous_period(Q1).code == "2024-Q4"
    assert previous_period(ReportingPeriod.parse("2025-01")).code == "2024-12"
    assert previous_period(ReportingPeriod.parse("2025-H2")).code == "2025-H1"


def test_the_last_two_weeks_of_a_quarter_start_on_its_fourteenth_last_day() -> None:
    assert last_weeks_start(Q1) == date(2025, 3, 18)
    assert not in_last_weeks(Q1, date(2025, 3, 17))
    assert in_last_weeks(Q1, date(2025, 3, 18)) and in_last_weeks(Q1, date(2025, 3, 31))
    assert not in_last_weeks(Q1, date(2025, 4, 1))


# -- days remaining and overdue -----------------------------------------------------------


def test_days_remaining_count_down_to_zero_on_the_due_date() -> None:
    task = facts("3/2025")  # due 31/03/2025
    assert days_remaining(task, date(2025, 3, 1)) == 30
    assert days_remaining(task, date(2025, 3, 31)) == 0
    assert days_overdue(task, date(2025, 3, 31)) is None
    assert days_remaining(task, date(2025, 4, 1)) is None
    assert days_overdue(task, date(2025, 4, 1)) == 1
    assert days_overdue(task, date(2025, 4, 30)) == 30


def test_due_within_30_and_7_days_include_both_ends() -> None:
    task = facts("15/04/2025")
    assert is_due_within(task, date(2025, 3, 16), 30)
    assert not is_due_within(task, date(2025, 3, 15), 30)
    assert not is_due_within(task, date(2025, 4, 7), 7)
    assert is_due_within(task, date(2025, 4, 8), 7)
    assert is_due_within(task, date(2025, 4, 15), 7)
    assert not is_due_within(task, date(2025, 4, 16), 30)  # overdue, no longer "due soon"
    row = timing(task, date(2025, 4, 10))
    assert (row.due, row.days_remaining, row.days_overdue) == (date(2025, 4, 15), 5, None)
    assert row.within_7 and row.within_30


@pytest.mark.parametrize("state", ["completed", "cancelled", "suspended", "completion_pending"])
def test_a_task_that_is_not_open_is_neither_due_nor_overdue(state: str) -> None:
    task = facts("3/2025", state)
    assert days_remaining(task, date(2025, 3, 1)) is None
    assert days_overdue(task, date(2025, 6, 1)) is None
    assert not is_due_within(task, date(2025, 3, 30), 7)


def test_continuous_unreadable_and_untriggered_tasks_have_no_due_date() -> None:
    for text in ("Thường xuyên", "Theo tiến độ của Bộ", "Ngay sau khi Trung ương ban hành"):
        task = facts(text)
        assert due_date(task, date(2025, 5, 1)) is None
        assert days_remaining(task, date(2025, 5, 1)) is None
        assert days_overdue(task, date(2030, 5, 1)) is None


def test_a_triggered_conditional_task_is_due_30_days_after_its_trigger() -> None:
    task = facts("Ngay sau khi Trung ương ban hành", triggered_on=date(2025, 5, 2))
    assert days_remaining(task, date(2025, 5, 2)) == 30
    assert days_overdue(task, date(2025, 6, 2)) == 1


def test_a_yearly_task_is_due_each_year_until_done_for_that_year() -> None:
    task = facts("Hằng năm")
    assert due_date(task, date(2025, 12, 10)) == date(2025, 12, 31)
    assert days_remaining(task, date(2025, 12, 10)) == 21
    assert days_overdue(task, date(2025, 12, 31)) is None
    done = facts("Hằng năm", "open", ReportFact("2025", 100, "submitted"))
    assert days_remaining(done, date(2025, 12, 10)) is None
    assert days_remaining(done, date(2026, 12, 10)) == 21
    later = facts("Từ năm 2026 và những năm tiếp theo")
    assert due_date(later, date(2025, 6, 1)) is None


# -- reports owed -------------------------------------------------------------------------


def test_a_task_due_in_the_period_or_its_year_owes_a_report() -> None:
    assert owes_report(facts("3/2025"), Q1)
    assert owes_report(facts("12/2025"), Q1)
    assert owes_report(facts("2025"), Q1)


def test_a_task_due_years_later_owes_no_report_yet() -> None:
    assert not owes_report(facts("2028"), Q1)
    assert not owes_report(facts("6/2026"), ReportingPeriod.parse("2025-Q4"))
    assert owes_report(facts("2028"), ReportingPeriod.parse("2028-Q1"))


def test_an_overdue_task_keeps_owing_reports_until_it_is_done() -> None:
    assert owes_report(facts("3/2025"), ReportingPeriod.parse("2025-Q3"))
    assert not owes_report(facts("3/2025", "completed"), ReportingPeriod.parse("2025-Q3"))


def test_a_range_task_reports_throughout_its_range() -> None:
    assert owes_report(facts("2025 - 2030"), Q1)
    assert owes_report(facts("2025 - 2030"), ReportingPeriod.parse("2029-Q2"))
    assert not owes_report(facts("2026 - 2030"), Q1)


@pytest.mark.parametrize("state", ["completed", "cancelled", "suspended", "completion_pending"])
def test_a_task_that_is_not_open_owes_no_report(state: str) -> None:
    for text in ("3/2025", "Thường xuyên", "Hằng năm", "2025 - 2030"):
        assert not owes_report(facts(text, state), Q1)


def test_continuous_and_yearly_tasks_report_every_period() -> None:
    assert owes_report(facts("Thường xuyên"), Q1)
    assert owes_report(facts("Hằng năm"), Q2)
    assert not owes_report(facts("Từ năm 2026 và những năm tiếp theo"), Q2)
    assert owes_report(facts("Từ năm 2026 và những năm tiếp theo"),
                       ReportingPeriod.parse("2026-Q1"))
    done = facts("Hằng năm", "open", ReportFact("2025-Q1", 100, "verified"))
    assert not owes_report(done, Q2)
    assert owes_report(done, ReportingPeriod.parse("2026-Q1"))


def test_an_untriggered_conditional_task_owes_no_report() -> None:
    waiting = facts("Ngay sau khi Trung ương ban hành")
    assert not owes_report(waiting, Q1) and not missing_report(waiting, Q1)
    triggered = facts("Ngay sau khi Trung ương ban hành", triggered_on=date(2025, 5, 2))
    assert not owes_report(triggered, Q1)
    assert owes_report(triggered, Q2)


def test_a_report_answers_for_the_period_its_own_period_ends_in() -> None:
    for code in ("2025-Q1", "2025-03", "2025-01"):
        task = facts("Thường xuyên", "open", ReportFact(code, 20, "submitted"))
        assert has_report_for(task, Q1) and not missing_report(task, Q1)
    half = facts("Thường xuyên", "open", ReportFact("2025-H1", 50, "verified"))
    assert has_report_for(half, Q2) and not has_report_for(half, Q1)
    assert missing_report(half, Q1)


def test_a_returned_report_does_not_answer_for_its_period() -> None:
    task = facts("3/2025", "open", ReportFact("2025-Q1", 40, "returned"))
    assert missing_report(task, Q1)
    again = facts("3/2025", "open", ReportFact("2025-Q1", 40, "returned"),
                  ReportFact("2025-Q1", 45, "submitted"))
    assert not missing_report(again, Q1)
