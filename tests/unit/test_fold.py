"""The fold from events to plan state and audit entries, in memory: no store, no database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.deadlines import parse_deadline
from domain.evidence import EvidenceFile
from domain.indicator import Indicator
from domain.obligations import missing_report
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from domain.status import ReportFact, TaskFacts, classify
from domain.targets import parse_target
from domain.task import Task
from projections.checkpoints import checkpoint_document
from projections.codec import decode, encode, to_json
from projections.plan_state import PlanState, ReportView, TaskRow
from projections.projector import CHECKPOINT_EVERY, apply_all
from projections.specs import fold
from projections.store import report_from_doc, row_from_doc

ISSUED = Provenance("dost", date(2025, 2, 27))
Q1, Q2 = ReportingPeriod.parse("2025-Q1"), ReportingPeriod.parse("2025-Q2")


def on(day: date) -> Provenance:
    return Provenance("dost", day)


def a_task(deadline: str = "3/2025") -> Task:
    return Task(
        plan_id=uuid4(), plan_issued_on=date(2025, 2, 27), group_code="I", number="5",
        title="Xây dựng chương trình", leads=("so khcn",), coordinators=("so y te",),
        leads_text="Sở KH&CN", coordinators_text="Sở Y tế", expected_output="Chương trình",
        deadline=parse_deadline(deadline), extra={}, provenance=ISSUED,
    )


def logged(*aggregates: Any) -> list[tuple[int, Any]]:
    """The aggregates' new events, numbered as a log would number them."""
    events = [e for a in aggregates for e in a.collect_events()]
    return list(enumerate(events, start=1))


def test_a_deadline_change_is_counted_with_the_days_it_slipped() -> None:
    task = a_task("3/2025")
    task.change_deadline(parse_deadline("6/2025"), "Chờ hướng dẫn", "1/QĐ", on(date(2025, 3, 10)))
    view = fold(logged(task)).tasks[task.id]
    assert view.deadline.text == "6/2025" and view.original_deadline.text == "3/2025"
    assert (view.deadline_changes, view.slip_days, view.version) == (1, 91, 2)


def test_a_returned_report_is_not_the_last_report() -> None:
    task = a_task()
    task.report_progress(Q1, 40, "Đang dự thảo", "", "", (), on(date(2025, 3, 31)))
    task.verify_report(1, "Đạt", ISSUED)
    task.report_progress(Q2, 60, "Trình ký", "", "", (), on(date(2025, 6, 30)))
    task.return_report(2, "Thiếu số liệu", ISSUED)
    view = fold(logged(task)).tasks[task.id]
    assert [r.state for r in view.reports] == ["verified", "returned"]
    assert view.last_report is not None and view.last_report.percent == 40


def test_completion_and_suspension_set_the_tasks_state() -> None:
    done, paused = a_task(), a_task()
    done.complete("Quyết định 12/QĐ", date(2025, 3, 20), ISSUED, today=date(2025, 3, 31))
    paused.suspend("Chờ kinh phí", "2/QĐ", ISSUED)
    state = fold(logged(done, paused))
    assert (state.tasks[done.id].state, state.tasks[done.id].completed_on) == (
        "completed", date(2025, 3, 20))
    assert state.tasks[paused.id].state == "suspended"


def test_known_at_keeps_only_the_events_recorded_by_then() -> None:
    task = a_task()
    task.change_deadline(parse_deadline("6/2025"), "Chờ hướng dẫn", "1/QĐ", ISSUED)
    events = logged(task)
    added_at = events[0][1].timestamp
    assert fold(events, known_at=added_at).tasks[task.id].deadline.text == "3/2025"
    later = events[1][1].timestamp + timedelta(seconds=1)
    assert fold(events, known_at=later).tasks[task.id].deadline.text == "6/2025"


def test_effective_on_keeps_only_the_events_in_effect_by_then() -> None:
    task = a_task()
    task.change_deadline(parse_deadline("6/2025"), "Chờ hướng dẫn", "1/QĐ", on(date(2025, 4, 1)))
    events = logged(task)
    assert fold(events, effective_on=date(2025, 3, 31)).tasks[task.id].deadline.text == "3/2025"
    assert fold(events, effective_on=date(2025, 4, 1)).tasks[task.id].deadline.text == "6/2025"


def test_an_agency_keeps_its_key_under_a_new_name() -> None:
    agency = Agency.register(normalise_agency("Sở Y tế"), ISSUED)
    agency.rename("Sở Y tế tỉnh Quảng Nam", "Đổi tên", ISSUED)
    state = fold(logged(agency))
    assert state.agency_name(agency.key) == "Sở Y tế tỉnh Quảng Nam"


def test_indicator_values_and_target_changes_fold_in_order() -> None:
    indicator = Indicator(
        plan_id=uuid4(), code="7.1", name="Tỉ lệ", unit="%", target=parse_target("≥ 80", "%"),
        responsible=("so khcn",), responsible_text="Sở KH&CN", horizon_year=2030,
        is_heading=False, parent_code="7", extra={}, provenance=ISSUED,
    )
    indicator.report_value(ReportingPeriod.parse("2025"), Decimal("62.5"), "Báo cáo", ISSUED)
    indicator.change_target(parse_target("≥ 90", "%"), "Nâng", "3/QĐ", ISSUED)
    view = fold(logged(indicator)).indicators[indicator.id]
    assert view.target.text == "≥ 90" and view.original_target.text == "≥ 80"
    assert view.latest is not None and view.latest.value == Decimal("62.5")
    assert view.version == 3


def test_a_second_report_for_a_period_is_filed_as_a_correction() -> None:
    task = a_task()
    task.report_progress(Q1, 40, "Lần đầu", "", "", (), ISSUED)
    task.report_progress(Q1, 45, "Sửa lại", "", "", (), ISSUED)
    task.report_progress(Q2, 60, "Kỳ sau", "", "", (), ISSUED)
    entries = apply_all(PlanState(), logged(task))
    assert [e.change_type for e in entries] == [None, None, "report_corrected", None]
    assert entries[2].agencies == ("so khcn", "so y te")
    assert entries[1].agencies == ()  # only changes are filed under agencies


def test_entries_name_their_subject_and_the_change_they_record() -> None:
    task = a_task()
    task.change_deadline(parse_deadline("6/2025"), "Chờ hướng dẫn", "1/QĐ", ISSUED)
    task.reassign(("so noi vu",), (), "Phân công lại", "2/QĐ", ISSUED)
    added, changed, reassigned = apply_all(PlanState(), logged(task))
    assert {e.subject for e in (added, changed, reassigned)} == {"task 5"}
    assert (changed.change_type, changed.reason, changed.document) == (
        "deadline_changed", "Chờ hướng dẫn", "1/QĐ")
    assert changed.changes == {"deadline": ("3/2025", "6/2025")}
    assert reassigned.change_type == "reassigned"
    assert reassigned.agencies == ("so khcn", "so noi vu", "so y te")


def test_a_status_row_keeps_what_the_rules_judge_however_many_reports() -> None:
    task = a_task("Hằng năm")
    for n in range(30):
        task.report_progress(Q1 if n % 2 else Q2, 10 + n, f"Lần {n}", "", "", (),
                             on(date(2025, 6, 30)))
    task.report_progress(ReportingPeriod.parse("2025"), 100, "Xong", "", "", (),
                         on(date(2025, 12, 1)))
    task.return_report(31, "Thiếu minh chứng", ISSUED)
    view = fold(logged(task)).tasks[task.id]
    row = view.row()
    assert [(r.period, r.percent) for r in row.reported] == [("2025-Q2", 38), ("2025-Q1", 39)]
    assert (row.last_report_period, row.last_report_percent) == ("2025-Q1", 39)
    for day in (date(2025, 5, 1), date(2025, 12, 31), date(2026, 1, 1)):
        full = TaskFacts(view.deadline, view.state, view.completed_on,
                         tuple(ReportFact(r.period, r.percent, r.state) for r in view.reports))
        assert classify(row.facts(), day) == classify(full, day)
        for period in (Q1, Q2, ReportingPeriod.parse("2025-Q4")):
            assert missing_report(row.facts(), period) == missing_report(full, period)
    assert row_from_doc(json.loads(to_json(row))) == row == decode(TaskRow, encode(row))


def test_each_checkpoint_holds_the_status_rows_of_a_fold_up_to_it() -> None:
    task = a_task("Hằng năm")
    task.report_progress(Q1, 80, "Quý 1", "", "", (), on(date(2025, 3, 31)))
    task.report_progress(Q2, 40, "Quý 2", "", "", (), on(date(2025, 6, 30)))
    task.verify_report(2, "Đạt", ISSUED)
    task.report_progress(Q1, 90, "Quý 1, sửa", "", "", (), on(date(2025, 7, 1)))
    task.return_report(1, "Thiếu minh chứng", ISSUED)  # counted by earlier checkpoints
    task.return_report(3, "Sai số liệu", ISSUED)
    task.report_progress(Q2, 60, "Quý 2, sửa", "", "", (), on(date(2025, 7, 2)))
    events = [(CHECKPOINT_EVERY * n, e) for n, (_, e) in enumerate(logged(task), start=1)]
    checkpoints: list[tuple[int, str]] = []
    apply_all(PlanState(), events, checkpoints)
    assert len(checkpoints) == len(events)
    for position, document in checkpoints:
        folded = fold([(p, e) for p, e in events if p <= position])
        assert document == checkpoint_document(folded)
        assert json.loads(document)["rows"] == [[str(task.id), encode(folded.tasks[task.id].row())]]


def test_a_stored_report_reads_back_as_the_report_it_was() -> None:
    task = a_task()
    task.report_progress(Q1, 40, "Đang dự thảo", "Thiếu kinh phí", "Bổ sung", ("12/BC",),
                         on(date(2025, 3, 31)))
    task.return_report(1, "Thiếu số liệu", ISSUED)
    view = fold(logged(task)).tasks[task.id]
    report = replace(view.reports[0],
                     files=(EvidenceFile("a" * 64, "bc.pdf", 10, "application/pdf"),))
    for shown in (view.reports[0], report):
        doc = json.loads(to_json(shown))
        assert report_from_doc(doc) == shown == decode(ReportView, doc)
