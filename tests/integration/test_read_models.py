"""Read models on both stores: status classes, summary, scorecard, indicators, change log,
time travel, exactly-once catch-up, rebuild and check."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.access import Role
from domain.clock import Clock
from domain.errors import DomainError
from domain.plan_document import IndicatorRow, PlanDocument, PlanHeader, TaskGroup, TaskRow
from domain.policy import Grant
from domain.status import StatusClass
from migrations import migrations_for
from projections import projector
from projections import store as store_module
from projections.change_log import ChangeFilter
from projections.queues import agency_queue, review_queue
from projections.specs import fold
from projections.store import view_documents
from service.commands import (
    CancelTask,
    ChangeDeadline,
    ChangeTarget,
    CompleteTask,
    Context,
    ImportPlan,
    ReassignTask,
    RecordTrigger,
    ReportIndicatorValue,
    ReportProgress,
    ReturnReport,
    VerifyReport,
)
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy

DOST = Context(actor="dost")


def plan() -> PlanDocument:
    rows = [
        ("1", "Sở Khoa học và Công nghệ", "Sở Y tế", "3/2025"),
        ("2", "Sở Y tế", "", "6/2025"),
        ("3", "Sở Nội vụ", "", "Ngay sau khi Trung ương ban hành"),
        ("4", "Sở Tài chính", "", "Hằng năm"),
        ("5", "Sở Khoa học và Công nghệ", "", "Thường xuyên"),
        ("6", "Sở Y tế", "", "2025"),
    ]
    return PlanDocument(
        header=PlanHeader(number="7/KH-UBND", title="Kế hoạch", issued_on=date(2025, 2, 27)),
        groups=(TaskGroup("I", "Nhóm I"),),
        tasks=tuple(TaskRow("I", n, f"Nhiệm vụ {n}", lead, coord, "Kế hoạch", due)
                    for n, lead, coord, due in rows),
        indicators=(
            IndicatorRow("1", "Tỉ lệ dịch vụ công trực tuyến", "%", "≥ 80",
                         "Sở Khoa học và Công nghệ", 2030),
            IndicatorRow("2", "Hạ tầng số", "", "Tiên tiến, hiện đại",
                         "Sở Khoa học và Công nghệ", 2030),
        ),
    )


@pytest.fixture
def ledger(tenancy: Tenancy) -> TenantLedger:
    tenancy.create_tenant("demo", "Tỉnh thử")
    ledger = tenancy.ledger("demo", for_writing=True)
    ledger.handle(ImportPlan(document=plan(), sha256="sha"), DOST)
    return ledger


@pytest.fixture
def queries(tenancy: Tenancy, ledger: TenantLedger) -> TenantQueries:
    return tenancy.queries("demo")


def status_of(queries: TenantQueries, on: date) -> dict[str, StatusClass]:
    return {row.number: row.status for row in queries.status(on)}


def test_status_classes_follow_the_documented_rules(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(CompleteTask(
        task="1", output_document="10/KH-UBND", completed_on=date(2025, 3, 20)), DOST)  # on time
    ledger.handle(CompleteTask(
        task="2", output_document="11/KH-SYT", completed_on=date(2025, 7, 5)), DOST)  # late
    ledger.handle(ReportProgress(
        task="6", period="2025-Q1", percent=30, narrative="Đang làm"), DOST)
    on = date(2025, 8, 1)
    status = status_of(queries, on)
    assert status["1"] is StatusClass.DONE_ON_TIME
    assert status["2"] is StatusClass.DONE_LATE
    assert status["3"] is StatusClass.NOT_STARTED  # conditional, not triggered: never overdue
    assert status["4"] is StatusClass.NOT_STARTED  # yearly, nothing reported in 2025
    assert status["5"] is StatusClass.NOT_STARTED  # continuous: never overdue
    assert status["6"] is StatusClass.OPEN_WITHIN_DEADLINE
    assert status_of(queries, date(2026, 1, 2))["6"] is StatusClass.OPEN_OVERDUE


def test_a_conditional_task_is_due_once_its_trigger_is_recorded(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(RecordTrigger(
        task="3", triggered_on=date(2025, 5, 1), note="Nghị định 10/2025/NĐ-CP"), DOST)
    (row,) = [r for r in queries.status(date(2025, 7, 1)) if r.number == "3"]
    assert row.due is not None and row.status is StatusClass.OPEN_OVERDUE


def test_a_yearly_task_is_judged_year_by_year(ledger: TenantLedger, queries: TenantQueries) -> None:
    ledger.handle(ReportProgress(
        task="4", period="2025", percent=100, narrative="Đã bố trí 3%"), DOST)
    assert status_of(queries, date(2025, 12, 1))["4"] is StatusClass.DONE_ON_TIME
    assert status_of(queries, date(2026, 3, 1))["4"] is StatusClass.NOT_STARTED


def test_the_deadline_slip_is_counted_in_days(ledger: TenantLedger, queries: TenantQueries) -> None:
    ledger.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="Chờ hướng dẫn", decision_ref="20/QĐ-UBND"), DOST)
    ledger.handle(ChangeDeadline(
        task="1", deadline="9/2025", reason="Chưa đủ kinh phí", decision_ref="30/QĐ-UBND"), DOST)
    (row,) = [r for r in queries.status(date(2025, 4, 1)) if r.number == "1"]
    slipped = (date(2025, 9, 30) - date(2025, 3, 31)).days
    assert (row.deadline, row.deadline_changes, row.slip_days) == ("9/2025", 2, slipped)


def test_the_summary_counts_each_class_and_flags_due_and_missing_reports(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportProgress(
        task="2", period="2025-Q2", percent=50, narrative="Đang làm"), DOST)
    summary = queries.summary(date(2025, 6, 10))
    assert summary.overall["total"] == 6
    assert summary.overall["open_overdue"] == 1  # task 1, due 3/2025
    assert summary.overall["open_within_deadline"] == 1  # task 2 reported 50 %
    assert summary.by_lead["Sở Y tế"]["total"] == 2
    assert [r.number for r in summary.due_soon] == ["2"]
    assert summary.period == "2025-Q2"
    assert "2" not in [r.number for r in summary.missing_report]
    assert "1" in [r.number for r in summary.missing_report]


def test_the_scorecard_ranks_agencies_by_the_written_rule(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(CompleteTask(
        task="2", output_document="11/KH-SYT", completed_on=date(2025, 6, 1)), DOST)
    ledger.handle(CompleteTask(
        task="6", output_document="12/KH-SYT", completed_on=date(2025, 11, 1)), DOST)
    scores = {s.agency: s for s in queries.scorecard(2025)}
    health = scores["Sở Y tế"]
    assert (health.rank, health.led, health.done_on_time, health.overdue) == (1, 2, 2, 0)
    science = scores["Sở Khoa học và Công nghệ"]
    assert (science.led, science.overdue) == (2, 1)  # task 1 overdue, task 5 continuous
    assert science.rank > health.rank


def test_indicator_progress_judges_targets_where_the_comparator_allows(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportIndicatorValue(
        indicator="1", period="2025", value="82,5", source="Báo cáo 30/BC-SKHCN"), DOST)
    ledger.handle(ReportIndicatorValue(
        indicator="2", period="2025", value="1", source="Đánh giá"), DOST)
    progress = {p.code: p for p in queries.indicators()}
    assert (progress["1"].latest_value, progress["1"].met) == ("82.5", True)
    assert progress["2"].met is None


def test_the_change_log_filters_by_type_task_agency_actor_and_time(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="Chờ hướng dẫn",
        decision_ref="20/QĐ-UBND"), Context(actor="ubnd:chairman", effective_on=date(2025, 3, 10)))
    ledger.handle(ReassignTask(
        task="2", leads=("Sở Tài chính",), coordinators=(), reason="Điều chỉnh",
        decision_ref="21/QĐ-UBND"), DOST)
    ledger.handle(ReportProgress(task="2", period="2025-Q2", percent=10, narrative="x"), DOST)
    ledger.handle(ReturnReport(task="2", report=1, reason="Thiếu số liệu"), DOST)
    ledger.handle(ReportProgress(
        task="2", period="2025-Q2", percent=20, narrative="x, có số liệu"), DOST)
    ledger.handle(CancelTask(
        task="6", reason="Gộp vào nhiệm vụ 2", decision_ref="22/QĐ-UBND"), DOST)
    ledger.handle(ChangeTarget(
        indicator="1", target="≥ 85", reason="Theo 71/NQ-CP", decision_ref="23/QĐ-UBND"), DOST)

    def types(**filters: object) -> list[str]:
        page = queries.changes(ChangeFilter(**filters))  # type: ignore[arg-type]
        return [e.change_type or "" for e in page.entries]

    assert types() == ["deadline_changed", "reassigned", "report_returned",
                       "report_corrected", "cancelled", "target_changed"]
    assert types(types=("deadline_changed", "cancelled")) == ["deadline_changed", "cancelled"]
    assert types(task="2") == ["reassigned", "report_returned", "report_corrected"]
    assert types(indicator="1") == ["target_changed"]
    assert types(actor="ubnd:chairman") == ["deadline_changed"]
    finance = ledger.agency("Sở Tài chính").key
    assert types(agency=finance) == ["reassigned", "report_returned", "report_corrected"]
    assert types(effective_to=date(2025, 3, 31)) == ["deadline_changed"]
    future = datetime(2100, 1, 1, tzinfo=UTC)
    assert types(recorded_from=future) == []
    (change,) = queries.changes(ChangeFilter(types=("deadline_changed",))).entries
    assert (change.reason, change.document, change.changes["deadline"]) == (
        "Chờ hướng dẫn", "20/QĐ-UBND", ("3/2025", "6/2025"))


def test_the_change_log_pages_with_a_stable_cursor(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    for month in range(4, 10):
        ledger.handle(ChangeDeadline(
            task="1", deadline=f"{month}/2025", reason="Lùi hạn", decision_ref=""), DOST)
    first = queries.changes(ChangeFilter(), limit=4)
    assert len(first.entries) == 4 and first.next_cursor
    # Arrives between the pages:
    ledger.handle(ChangeDeadline(task="2", deadline="9/2025", reason="Lùi hạn"), DOST)
    second = queries.changes(ChangeFilter(), limit=4, cursor=first.next_cursor)
    positions = [e.position for e in first.entries + second.entries]
    assert positions == sorted(positions) and len(positions) == 7
    assert second.next_cursor is None
    with pytest.raises(DomainError) as refused:
        queries.changes(ChangeFilter(), cursor="not-a-cursor")
    assert refused.value.field == "cursor"


def test_as_known_at_shows_what_was_recorded_by_then(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    time.sleep(0.01)
    before = datetime.now(UTC)
    time.sleep(0.01)
    ledger.handle(ChangeDeadline(
        task="1", deadline="9/2025", reason="Lùi hạn", decision_ref="20/QĐ-UBND"), DOST)
    then = {r.number: r for r in queries.status(date(2025, 4, 1), known_at=before)}
    now = {r.number: r for r in queries.status(date(2025, 4, 1))}
    assert (then["1"].deadline, then["1"].status) == ("3/2025", StatusClass.OPEN_OVERDUE)
    assert (now["1"].deadline, now["1"].status) == ("9/2025", StatusClass.NOT_STARTED)
    diff = queries.diff(before, datetime.now(UTC))
    assert [(i.kind, i.subject, i.before, i.after) for i in diff.items if i.kind ==
            "deadline_moved"] == [("deadline_moved", "task 1", "3/2025", "9/2025")]


def test_as_effective_on_applies_corrections_by_their_effective_date(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ChangeDeadline(
        task="1", deadline="9/2025", reason="Lùi hạn",
        decision_ref="20/QĐ-UBND"), Context(actor="dost", effective_on=date(2025, 5, 15)))
    on_may_1 = {r.number: r for r in queries.status(date(2025, 5, 1),
                                                    effective_on=date(2025, 5, 1))}
    on_june_1 = {r.number: r for r in queries.status(date(2025, 6, 1),
                                                     effective_on=date(2025, 6, 1))}
    assert on_may_1["1"].deadline == "3/2025"
    assert on_june_1["1"].deadline == "9/2025"
    before_plan = queries.status(date(2025, 1, 1), effective_on=date(2025, 1, 1))
    assert before_plan == []


def test_the_audit_trail_reads_as_what_changed_who_when_why(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReassignTask(
        task="1", leads=("Sở Y tế",), coordinators=("Sở Nội vụ",), reason="Theo chức năng",
        decision_ref="40/QĐ-UBND"), Context(actor="ubnd:vice-chair", effective_on=date(2025, 4, 2)))
    entries = queries.history("1")
    assert [e.event for e in entries] == ["Added", "Reassigned"]
    reassigned = entries[-1]
    assert reassigned.changes["leads"] == ("Sở Khoa học và Công nghệ", "Sở Y tế")
    assert (reassigned.actor, reassigned.reason, reassigned.document,
            reassigned.effective_on) == ("ubnd:vice-chair", "Theo chức năng", "40/QĐ-UBND",
                                         date(2025, 4, 2))


def test_catch_up_applies_each_event_exactly_once(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ChangeDeadline(task="1", deadline="6/2025", reason="x", decision_ref=""), DOST)
    first = queries.refresh()
    assert queries.refresh() == first  # nothing new: nothing applied twice
    assert queries.lag() == 0
    assert queries.check() == []


def test_a_crash_during_catch_up_leaves_the_position_and_rows_unchanged(
    ledger: TenantLedger, queries: TenantQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries.refresh()
    position = queries.store.position()
    ledger.handle(ChangeDeadline(task="1", deadline="6/2025", reason="x", decision_ref=""), DOST)

    def crash(*_: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(queries.store, "save_entries", crash)
    with pytest.raises(RuntimeError):
        queries.refresh()
    assert queries.store.position() == position
    monkeypatch.undo()
    assert queries.refresh() > position
    assert queries.check() == []
    assert len(queries.changes(ChangeFilter()).entries) == 1


def test_check_lists_a_tampered_read_model_and_rebuild_repairs_it(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ChangeDeadline(task="1", deadline="6/2025", reason="x", decision_ref=""), DOST)
    queries.refresh()
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_views SET doc = REPLACE(doc, '6/2025', '12/2025') "
                       "WHERE tenant = :t AND kind = 'task'", {"t": "demo"})
        cursor.execute("DELETE FROM rm_entries WHERE tenant = :t AND change_type IS NOT NULL",
                       {"t": "demo"})
    differences = queries.check()
    assert any(d.what.startswith("view ('task'") for d in differences)
    assert any(d.what.startswith("entry") for d in differences)
    queries.rebuild()
    assert queries.check() == []
    assert {r.number: r.deadline for r in queries.status(date(2025, 4, 1))}["1"] == "6/2025"


def test_the_status_rows_answer_as_the_fold_of_the_events_and_check_covers_them(
    tenancy: Tenancy, ledger: TenantLedger, queries: TenantQueries
) -> None:
    for period, percent in (("2025-Q1", 40), ("2025-Q1", 60), ("2025", 100), ("2025-Q2", 0)):
        ledger.handle(ReportProgress(task="4", period=period, percent=percent,
                                     narrative=f"{percent}"), DOST)
    ledger.handle(ReturnReport(task="4", report=3, reason="Thiếu minh chứng"), DOST)
    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=30, narrative="a"), DOST)
    now = datetime.now(UTC)
    for on in (date(2025, 3, 1), date(2025, 5, 1), date(2026, 1, 2)):
        assert queries.status(on) == queries.status(on, known_at=now)
        assert queries.summary(on) == queries.summary(on, known_at=now)
    yearly = {r.number: r for r in queries.status(date(2025, 5, 1))}["4"]
    assert (yearly.status, yearly.last_report_percent) == (StatusClass.OPEN_WITHIN_DEADLINE, 0)
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_task_rows SET doc = REPLACE(doc, '3/2025', '9/2025') "
                       "WHERE tenant = :t", {"t": "demo"})
    # The process keeps the rows it read at this log position; a process that had not
    # read them yet reads what the store holds.
    tenancy.shared_loads.forget("demo")
    tampered = tenancy.queries("demo")
    assert {r.number: r.deadline for r in tampered.status(date(2025, 4, 1))}["1"] == "9/2025"
    assert any(d.what.startswith("status row") for d in queries.check())
    queries.rebuild()
    assert queries.check() == []
    for reads in (queries, tenancy.queries("demo")):
        assert {r.number: r.deadline for r in reads.status(date(2025, 4, 1))}["1"] == "3/2025"


def test_a_tasks_reports_are_rows_of_their_own_that_check_covers(
    tenancy: Tenancy, ledger: TenantLedger, queries: TenantQueries
) -> None:
    for n in range(1, 6):
        ledger.handle(ReportProgress(task="2", period="2025-Q1", percent=10 * n,
                                     narrative=f"Lần {n}"), DOST)
    queries.refresh()
    ledger.handle(ReturnReport(task="2", report=2, reason="Thiếu số liệu"), DOST)
    detail = queries.task_detail("2", None, date(2025, 3, 1), latest=2)
    assert ([r.number for r in detail.reports], detail.reports_total) == ([4, 5], 5)
    reports, total = queries.task_reports("2", None, before=4, limit=2)
    assert [(r.number, r.state) for r in reports] == [(2, "returned"), (3, "submitted")]
    assert total == 5
    whole = tenancy.queries("demo").state().tasks
    assert [r.state for t in whole.values() if t.number == "2" for r in t.reports] == [
        "submitted", "returned", "submitted", "submitted", "submitted"]
    assert queries.check() == []
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_task_reports SET doc = REPLACE(doc, 'Lần 3', 'Lần 9') "
                       "WHERE tenant = :t", {"t": "demo"})
    assert any(d.what.startswith("view ('task'") for d in queries.check())
    queries.rebuild()
    assert queries.check() == []
    assert tenancy.queries("demo").task_reports("2", None, 4, 1)[0][0].narrative == "Lần 3"


def test_a_catch_up_after_a_report_reads_the_latest_report_of_its_period_alone(
    ledger: TenantLedger, queries: TenantQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1, 31):
        ledger.handle(ReportProgress(task="2", period=f"2025-{n % 12 + 1:02d}", percent=n,
                                     narrative=f"Lần {n}"), DOST)
    queries.refresh()
    decoded: list[int] = []
    original = store_module.report_from_doc

    def counted(doc: dict[str, Any]) -> Any:
        decoded.append(doc["number"])
        return original(doc)

    monkeypatch.setattr(store_module, "report_from_doc", counted)
    ledger.handle(ReportProgress(task="2", period="2025-03", percent=5, narrative="Lần 31"),
                  DOST)
    queries.refresh()
    assert decoded == [26]  # the latest report of 2025-03: this one corrects it
    assert queries.store.entries_about("task 2")[-1].change_type == "report_corrected"
    decoded.clear()
    ledger.handle(VerifyReport(task="2", report=7, note="Đạt"), DOST)
    queries.refresh()
    assert decoded == [7]
    row = next(r for r in queries.status(date(2025, 3, 1)) if r.number == "2")
    assert (row.last_report.percent if row.last_report else None) == 5
    ledger.handle(ReturnReport(task="2", report=31, reason="Sai số liệu"), DOST)
    row = next(r for r in queries.status(date(2025, 3, 1)) if r.number == "2")
    assert row.last_report is not None and row.last_report.narrative == "Lần 30"
    monkeypatch.undo()
    assert queries.check() == []


def test_the_work_queues_read_from_the_reports_that_wait_as_from_the_whole_state(
    tenancy: Tenancy, ledger: TenantLedger, queries: TenantQueries
) -> None:
    health = Context("yte", agency="Sở Y tế")
    science = Context("khcn", agency="Sở Khoa học và Công nghệ")
    steps: list[tuple[Any, Context]] = [
        (ReportProgress(task="1", period="2025-Q1", percent=20, narrative="a"), science),
        (ReturnReport(task="1", report=1, reason="Thiếu"), DOST),
        (ReportProgress(task="1", period="2025-Q1", percent=30, narrative="b"), science),
        (VerifyReport(task="1", report=2, note="Đạt"), DOST),
        (ReportProgress(task="2", period="2025-04", percent=40, narrative="c"), health),
        (ReportProgress(task="6", period="2025-Q1", percent=10, narrative="d"), health),
        (ReturnReport(task="6", report=1, reason="Sai"), DOST),
        (ReportProgress(task="5", period="2025-H1", percent=50, narrative="e"), science),
        (VerifyReport(task="5", report=1, note="Đạt"), DOST),
        (ReportProgress(task="5", period="2024", percent=90, narrative="f"), DOST),
        (VerifyReport(task="5", report=2, note="Đạt"), DOST),
    ]
    for command, context in steps:
        ledger.handle(command, context)
    clock = Clock(source=lambda: datetime(2025, 5, 15, 3, tzinfo=UTC))
    whole = tenancy.queries("demo").state()
    grants = [Grant(Role.TENANT_ADMIN, "demo"), *(
        Grant(Role.AGENCY_REPORTER, "demo", key) for key in whole.agencies)]
    queue = queries.work_queue(grants, clock)
    assert queue.review == review_queue(whole, clock) and queue.review is not None
    assert [item.task for item in queue.review.items] == ["2"]
    assert queue.agencies == tuple(agency_queue(whole, key, clock.today())
                                   for key in sorted(whole.agencies))
    assert sum(len(q.returned) for q in queue.agencies) == 1  # task 6's; task 1's is followed


def test_a_reports_period_and_state_are_taken_from_its_document_by_the_migration(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportProgress(task="2", period="2025-Q1", percent=10, narrative="x"), DOST)
    ledger.handle(ReturnReport(task="2", report=1, reason="Thiếu"), DOST)
    queries.refresh()
    folder = "postgres" if queries.store.db.dialect == "postgres" else "sqlite_tenant"
    (migration,) = [m for m in migrations_for(folder) if m.name == "report_period_and_state"]
    (update,) = [s for s in migration.sql.split(";") if "UPDATE" in s]
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_task_reports SET period = '', state = ''")
        cursor.execute("\n".join(line for line in update.splitlines()
                                 if not line.startswith("--")))
        cursor.execute("SELECT period, state FROM rm_task_reports WHERE tenant = :t",
                       {"t": "demo"})
        assert cursor.fetchall() == [{"period": "2025-Q1", "state": "returned"}]


def test_as_known_at_starts_from_the_latest_checkpoint_that_time_has_seen(
    ledger: TenantLedger, queries: TenantQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projector, "CHECKPOINT_EVERY", 4)
    moments = []
    for n in range(1, 8):
        ledger.handle(ReportProgress(task="2", period="2025-Q1", percent=10 * n,
                                     narrative=f"Lần {n}"), DOST)
        if n % 3:
            queries.refresh()  # some events caught up one by one, some together
        moments.append(datetime.now(UTC))
    ledger.handle(ReturnReport(task="2", report=3, reason="Thiếu số liệu"), DOST)
    moments.append(datetime.now(UTC))
    head = queries.refresh()
    with queries.store.db.transaction(write=False) as cursor:
        taken = queries.store.checkpoint_documents(cursor)
    assert len(taken) >= head // 4 - 1
    start = queries.store.checkpoint_for(moments[-1], head)
    assert start is not None and start[0] == max(taken)
    for moment in moments:
        whole = fold(read_events(queries.app), known_at=moment)
        assert view_documents(queries.state(known_at=moment)) == view_documents(whole)
    assert queries.check() == []
    queries.rebuild()
    with queries.store.db.transaction(write=False) as cursor:
        assert queries.store.checkpoint_documents(cursor) == taken
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_checkpoints SET doc = REPLACE(doc, 'Nhiệm vụ 2', 'Nhiệm vụ 9') "
                       "WHERE tenant = :t", {"t": "demo"})
    assert any(d.what.startswith("checkpoint") for d in queries.check())


def _stored_entry_docs(queries: TenantQueries) -> list[dict[str, object]]:
    with queries.store.db.transaction(write=False) as cursor:
        cursor.execute("SELECT doc FROM rm_entries WHERE tenant = :t ORDER BY position",
                       {"t": queries.store.tenant})
        return [json.loads(row["doc"]) for row in cursor.fetchall()]


def test_audit_entries_are_stored_as_codes_and_values_not_sentences(
    queries: TenantQueries,
) -> None:
    queries.refresh()
    docs = _stored_entry_docs(queries)
    assert docs and all("summary" not in d and d["code"].startswith("audit.") for d in docs)
    added = next(d for d in docs if d["code"] == "audit.task_added")
    assert added["params"] == {"number": "1", "leads": ["Sở Khoa học và Công nghệ"],
                               "deadline": "3/2025"}


def test_the_entries_migration_rebuilds_the_read_models_from_the_events(
    queries: TenantQueries,
) -> None:
    queries.refresh()
    before = [e.to_dict() for e in queries.store.entries_about("task 1")]
    folder = "postgres" if queries.store.db.dialect == "postgres" else "sqlite_tenant"
    (migration,) = [m for m in migrations_for(folder) if m.name == "audit_entries_by_code"]
    sql = "\n".join(line for line in migration.sql.splitlines() if not line.startswith("--"))
    with queries.store.db.transaction() as cursor:
        for statement in filter(str.strip, sql.split(";")):
            cursor.execute(statement)
    assert queries.store.position() == 0 and queries.store.entries_about("task 1") == []
    queries.refresh()
    assert [e.to_dict() for e in queries.store.entries_about("task 1")] == before
    assert queries.check() == []
