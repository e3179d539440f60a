"""Domain rules of a task, on the aggregate alone (no store)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.deadlines import parse_deadline
from domain.errors import DomainError
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from domain.task import Task

WHO = Provenance(actor="tester", effective_on=date(2025, 3, 1))
TODAY = date(2025, 6, 30)
Q1 = ReportingPeriod.parse("2025-Q1")


def a_task(deadline: str = "3/2025") -> Task:
    return Task(
        plan_id=uuid4(), plan_issued_on=date(2025, 2, 27), group_code="I", number="1",
        title="Xây dựng chương trình", leads=("so-khcn",), coordinators=("so-y-te",),
        leads_text="Sở Khoa học và Công nghệ", coordinators_text="Sở Y tế",
        expected_output="Chương trình", deadline=parse_deadline(deadline), extra={},
        provenance=WHO,
    )


def test_a_percent_outside_0_to_100_is_refused() -> None:
    task = a_task()
    for percent in (-1, 101):
        with pytest.raises(DomainError) as refused:
            task.report_progress(Q1, percent, "x", "", "", (), WHO)
        assert (refused.value.code, refused.value.field) == ("report.percent_range", "percent")
    assert task.reports == []


def test_a_deadline_changed_to_the_same_deadline_is_refused() -> None:
    task = a_task("3/2025")
    with pytest.raises(DomainError) as refused:
        task.change_deadline(parse_deadline("03/2025"), "delay", "QĐ 1", WHO)
    assert refused.value.code == "task.already_due"
    assert refused.value.params == {"number": "1", "deadline": "3/2025"}


def test_a_deadline_change_needs_a_reason() -> None:
    with pytest.raises(DomainError) as refused:
        a_task().change_deadline(parse_deadline("6/2025"), " ", "QĐ 1", WHO)
    assert (refused.value.code, refused.value.field) == ("task.deadline_needs_reason", "reason")


def test_a_cancelled_task_takes_no_report() -> None:
    task = a_task()
    task.cancel("no longer needed", "QĐ 9", WHO)
    with pytest.raises(DomainError) as refused:
        task.report_progress(Q1, 10, "x", "", "", (), WHO)
    assert refused.value.code == "task.takes_no_reports"
    assert refused.value.params == {"number": "1", "status": "cancelled"}


def test_completion_dated_before_the_plan_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        a_task().complete("12/KH-UBND", date(2025, 1, 1), WHO, TODAY)
    assert (refused.value.field, refused.value.code) == ("completed_on",
                                                         "task.completed_before_plan")


def test_a_completed_task_no_longer_changes() -> None:
    task = a_task()
    task.complete("12/KH-UBND", date(2025, 3, 20), WHO, TODAY)
    with pytest.raises(DomainError) as refused:
        task.change_deadline(parse_deadline("6/2025"), "late", "QĐ", WHO)
    assert refused.value.code == "task.not_editable"
    assert refused.value.params == {"number": "1", "status": "completed"}


def test_a_report_is_verified_or_returned_once() -> None:
    task = a_task()
    number = task.report_progress(Q1, 40, "progress", "", "", (), WHO)
    task.verify_report(number, "ok", WHO)
    with pytest.raises(DomainError) as refused:
        task.return_report(number, "wrong", WHO)
    assert refused.value.code == "report.already_decided"
    assert refused.value.params == {"report": number, "state": "verified"}


def test_reassigning_to_the_same_agencies_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        a_task().reassign(("so-khcn",), ("so-y-te",), "why", "QĐ", WHO)
    assert (refused.value.code, refused.value.params) == ("task.already_assigned",
                                                          {"number": "1"})


def test_an_agency_cannot_both_lead_and_coordinate() -> None:
    with pytest.raises(DomainError) as refused:
        a_task().reassign(("so-y-te",), ("so-y-te",), "why", "QĐ", WHO)
    assert (refused.value.code, refused.value.field) == ("task.lead_and_coordinator",
                                                         "coordinators")


def test_a_conditional_deadline_gets_a_due_date_when_its_trigger_is_recorded() -> None:
    task = a_task("Ngay sau khi Trung ương ban hành")
    assert task.deadline.due is None
    task.record_trigger(date(2025, 5, 1), "Nghị định 10/2025", WHO)
    assert task.deadline.due is not None and task.deadline.due > date(2025, 5, 1)


def test_a_suspended_task_resumes_before_it_completes() -> None:
    task = a_task()
    task.suspend("waiting", "QĐ 2", WHO)
    with pytest.raises(DomainError) as refused:
        task.complete("12/KH-UBND", date(2025, 3, 20), WHO, TODAY)
    assert refused.value.code == "task.suspended_resume_first"
    task.resume("ready", "QĐ 3", WHO)
    task.complete("12/KH-UBND", date(2025, 3, 20), WHO, TODAY)
    assert task.status == "completed"


def test_every_change_carries_its_actor() -> None:
    with pytest.raises(DomainError) as refused:
        Provenance(actor=" ", effective_on=date(2025, 3, 1))
    assert (refused.value.code, refused.value.field) == ("provenance.needs_actor", "actor")


@pytest.mark.parametrize("code", ["2025", "2025-H1", "2025-Q4", "2025-9M", "2025-03"])
def test_reporting_periods_of_every_kind_are_understood(code: str) -> None:
    assert str(ReportingPeriod.parse(code)) == code


@pytest.mark.parametrize("code", ["2025-Q5", "25", "2025-13", "quý 1", ""])
def test_a_malformed_reporting_period_is_refused(code: str) -> None:
    with pytest.raises(DomainError) as refused:
        ReportingPeriod.parse(code)
    assert refused.value.field == "period"
