"""Completions the standing body reviews, extension requests and directions, on the task alone."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.deadlines import parse_deadline
from domain.errors import DomainError
from domain.evidence import EvidenceFile
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from domain.task import COMPLETED, OPEN, PENDING, Task
from projections.specs import fold

TODAY = date(2025, 6, 30)
LEAD = Provenance(actor="reporter.yte", effective_on=TODAY, on_behalf_of="so-y-te")
COORDINATOR = Provenance(actor="reporter.khcn", effective_on=TODAY, on_behalf_of="so-khcn")
STANDING_BODY = Provenance(actor="dost", effective_on=TODAY)
PDF = EvidenceFile("a" * 64, "quyet-dinh.pdf", 1024, "application/pdf")


def a_task() -> Task:
    return Task(
        plan_id=uuid4(), plan_issued_on=date(2025, 2, 27), group_code="V", number="45",
        title="Chuyển đổi số y tế", leads=("so-y-te",), coordinators=("so-khcn",),
        leads_text="Sở Y tế", coordinators_text="Sở Khoa học và Công nghệ",
        expected_output="Kế hoạch", deadline=parse_deadline("6/2025"), extra={},
        provenance=STANDING_BODY,
    )


def request(task: Task, on: date = date(2025, 6, 20)) -> int:
    return task.request_completion(on, "QĐ 12/QĐ-SYT", (PDF,), "", LEAD, TODAY)


def test_a_requested_completion_waits_for_the_standing_body() -> None:
    task = a_task()
    number = request(task)
    assert task.status == PENDING and task.completed_on is None
    task.accept_completion(number, "Đạt", STANDING_BODY)
    assert task.status == COMPLETED and task.completed_on == date(2025, 6, 20)


def test_a_returned_completion_opens_the_task_again_and_can_be_resubmitted() -> None:
    task = a_task()
    first = request(task)
    task.return_completion(first, "Thiếu quyết định ban hành", STANDING_BODY)
    assert task.status == OPEN
    second = request(task)
    assert second == first + 1
    with pytest.raises(DomainError) as stale:
        task.accept_completion(first, "", STANDING_BODY)
    assert stale.value.field == "request"


def test_a_coordinator_cannot_request_completion() -> None:
    with pytest.raises(DomainError) as refused:
        a_task().request_completion(date(2025, 6, 1), "QĐ 1", (), "", COORDINATOR, TODAY)
    assert refused.value.field == "agency"
    assert refused.value.code == "task.coordinator_not_lead"


def test_a_completion_dated_in_the_future_or_before_the_plan_is_refused() -> None:
    for day in (date(2025, 7, 1), date(2025, 2, 1)):
        with pytest.raises(DomainError) as refused:
            request(a_task(), day)
        assert refused.value.field == "completed_on"


def test_a_report_dated_in_the_future_is_refused() -> None:
    future = Provenance(actor="reporter.yte", effective_on=date(2025, 7, 2),
                        on_behalf_of="so-y-te")
    with pytest.raises(DomainError) as refused:
        a_task().report_progress(ReportingPeriod.parse("2025-Q2"), 50, "x", "", "", (),
                                 future, today=TODAY)
    assert refused.value.field == "effective_on"
    with pytest.raises(DomainError) as period:
        a_task().report_progress(ReportingPeriod.parse("2025-Q4"), 50, "x", "", "", (), LEAD,
                                 today=TODAY)
    assert period.value.field == "period"


def test_the_standing_body_reopens_and_corrects_a_completion() -> None:
    task = a_task()
    task.complete("QĐ 1", date(2025, 6, 10), STANDING_BODY, TODAY)
    task.correct_completion_date(date(2025, 6, 12), "Nhầm ngày", "CV 5", STANDING_BODY, TODAY)
    assert task.completed_on == date(2025, 6, 12)
    task.reopen("Sản phẩm chưa đạt", "CV 6", STANDING_BODY)
    assert task.status == OPEN and task.completed_on is None


def test_an_approved_extension_changes_the_deadline_citing_the_decision() -> None:
    task = a_task()
    number = task.request_extension(parse_deadline("9/2025"), "Chờ hướng dẫn", (), LEAD)
    with pytest.raises(DomainError, match="extension"):
        task.request_extension(parse_deadline("10/2025"), "again", (), LEAD)
    with pytest.raises(DomainError) as no_decision:
        task.approve_extension(number, " ", "", STANDING_BODY)
    assert no_decision.value.field == "decision_ref"
    task.approve_extension(number, "QĐ 99/QĐ-UBND", "", STANDING_BODY)
    assert task.deadline.due == date(2025, 9, 30)
    assert task.open_extension is None


def test_a_refused_extension_leaves_the_deadline() -> None:
    task = a_task()
    number = task.request_extension(parse_deadline("9/2025"), "Chờ", (), LEAD)
    task.refuse_extension(number, "Không có căn cứ", STANDING_BODY)
    assert task.deadline.due == date(2025, 6, 30)


def test_directions_are_answered_by_the_agencies_of_the_task() -> None:
    task = a_task()
    number = task.record_direction("Khẩn trương hoàn thành", date(2025, 7, 15), STANDING_BODY)
    task.answer_direction(number, "Đang triển khai", (PDF,), COORDINATOR)
    outsider = Provenance(actor="x", effective_on=TODAY, on_behalf_of="so-noi-vu")
    with pytest.raises(DomainError):
        task.answer_direction(number, "?", (), outsider)
    with pytest.raises(DomainError) as unknown:
        task.answer_direction(number + 1, "?", (), COORDINATOR)
    assert unknown.value.field == "direction"


def test_the_read_model_counts_a_completion_only_once_accepted() -> None:
    task = a_task()
    number = request(task)
    recorded = list(task.collect_events())
    pending = fold(enumerate(recorded, start=1)).tasks[task.id]
    assert pending.state == "completion_pending" and pending.completed_on is None
    assert pending.pending_completion is not None
    assert pending.pending_completion.files == (PDF,)
    task.accept_completion(number, "", STANDING_BODY)
    recorded += task.collect_events()
    accepted = fold(enumerate(recorded, start=1)).tasks[task.id]
    assert accepted.state == "completed" and accepted.completed_on == date(2025, 6, 20)
    assert accepted.completions[0].state == "accepted"
