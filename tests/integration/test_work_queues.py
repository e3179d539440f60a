"""Work queues on both stores: what waits for the standing body, an agency's own work, and
what is new for auditors and inspectors since their last visit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.access import Role
from domain.clock import Clock, fixed
from domain.plan_document import PlanDocument, PlanHeader, TaskGroup, TaskRow
from domain.policy import Grant
from projections.queues import ReturnedKind, ReviewKind
from service.commands import (
    AnswerDirection,
    ChangeDeadline,
    CompleteTask,
    Context,
    ImportPlan,
    RecordDirection,
    RefuseExtension,
    ReportProgress,
    RequestExtension,
    ReturnCompletion,
    ReturnReport,
    VerifyReport,
)
from service.ledger import TenantLedger
from service.queries import TenantQueries
from service.tenancy import Tenancy
from service.visits import FIRST_VISIT_DAYS, SITTING_SECONDS, VisitStore

DOST = Context(actor="dost")
SKHCN = "Sở Khoa học và Công nghệ"
SYT = "Sở Y tế"
KHCN_KEY, YTE_KEY = "so khoa hoc va cong nghe", "so y te"
AS_KHCN = Context(actor="khcn", agency=SKHCN)
AS_YTE = Context(actor="yte", agency=SYT)


def plan() -> PlanDocument:
    rows = [
        ("1", SKHCN, SYT, "3/2025"),
        ("2", SYT, SKHCN, "15/6/2025"),
        ("3", SKHCN, "", "Ngay sau khi Trung ương ban hành"),
        ("4", SKHCN, "", "2028"),
        ("5", SKHCN, "", "Thường xuyên"),
        ("6", SKHCN, "", "30/6/2025"),
        ("7", SYT, "", "2025"),
    ]
    return PlanDocument(
        header=PlanHeader(number="7/KH-UBND", title="Kế hoạch", issued_on=date(2025, 2, 27)),
        groups=(TaskGroup("I", "Nhóm I"),),
        tasks=tuple(TaskRow("I", n, f"Nhiệm vụ {n}", lead, coord, "Kế hoạch", due)
                    for n, lead, coord, due in rows),
        indicators=(),
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


def later(days: int) -> Clock:
    return fixed(Clock().now() + timedelta(days=days))


def test_the_standing_body_sees_what_waits_for_review_oldest_first(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=40, narrative="Đang làm"),
                  AS_KHCN)
    ledger.handle(CompleteTask(task="6", output_document="12/KH-SKHCN",
                               completed_on=date(2025, 6, 20)), AS_KHCN)
    ledger.handle(RequestExtension(task="2", deadline="30/9/2025", reason="Chờ kinh phí"),
                  AS_YTE)
    ledger.handle(RecordDirection(task="5", text="Báo cáo kết quả quý"), DOST)
    ledger.handle(AnswerDirection(task="5", direction=1, text="Đã triển khai"), AS_KHCN)
    ledger.handle(ReportProgress(task="7", period="2025-Q1", percent=10, narrative="Bắt đầu"),
                  AS_YTE)
    ledger.handle(VerifyReport(task="7", report=1, note=""), DOST)

    queue = queries.review_queue(later(3))
    kinds = [(item.kind, item.task) for item in queue.items]
    assert kinds == [(ReviewKind.REPORT, "1"), (ReviewKind.COMPLETION, "6"),
                     (ReviewKind.EXTENSION, "2"), (ReviewKind.ANSWER, "5")]
    assert [item.waited_days for item in queue.items] == [3, 3, 3, 3]
    assert queue.items[0].agency == SKHCN and queue.items[0].detail == "Kỳ 2025-Q1: 40%"
    assert queue.items[2].detail == "Đề nghị thời hạn mới: 30/9/2025"

    ledger.handle(ReturnReport(task="1", report=1, reason="Thiếu số liệu"), DOST)
    ledger.handle(ReturnCompletion(task="6", request=1, reason="Chưa có văn bản"), DOST)
    ledger.handle(RefuseExtension(task="2", request=1, reason="Không đủ căn cứ"), DOST)
    ledger.handle(RecordDirection(task="5", text="Bổ sung số liệu"), DOST)
    assert queries.review_queue(later(3)).items == ()


def test_an_agency_sees_its_tasks_what_came_back_and_what_falls_due(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportProgress(task="1", period="2025-Q2", percent=40, narrative="Đang làm"),
                  AS_KHCN)
    ledger.handle(ReturnReport(task="1", report=1, reason="Thiếu số liệu minh chứng"), DOST)
    ledger.handle(CompleteTask(task="6", output_document="12/KH-SKHCN",
                               completed_on=date(2025, 6, 1)), AS_KHCN)
    ledger.handle(ReturnCompletion(task="6", request=1, reason="Chưa có văn bản ban hành"), DOST)
    ledger.handle(ReportProgress(task="5", period="2025-Q2", percent=20, narrative="Đều đặn"),
                  AS_KHCN)

    queue = queries.agency_queue(KHCN_KEY, date(2025, 6, 10))
    assert queue.name == SKHCN and queue.period == "2025-Q2"
    assert [r.number for r in queue.leading] == ["1", "3", "4", "5", "6"]
    assert [r.number for r in queue.coordinating] == ["2"]
    returned = {(item.kind, item.task): item for item in queue.returned}
    assert returned[(ReturnedKind.REPORT, "1")].reason == "Thiếu số liệu minh chứng"
    assert returned[(ReturnedKind.REPORT, "1")].period == "2025-Q2"
    assert returned[(ReturnedKind.COMPLETION, "6")].reason == "Chưa có văn bản ban hành"
    assert [(r.number, r.days_remaining) for r in queue.due_within_30] == [("2", 5), ("6", 20)]
    assert [r.number for r in queue.due_within_7] == ["2"]
    assert [(r.number, r.days_overdue) for r in queue.overdue] == [("1", 71)]
    # 1 is overdue and its report was returned; 6 is due this quarter; 5 reported; 3 waits
    # for its trigger; 4 is due in 2028.
    assert [r.number for r in queue.missing_report] == ["1", "6"]
    assert queue.count == 2 + 1 + 2 + 1

    ledger.handle(ReportProgress(task="1", period="2025-Q2", percent=45, narrative="Bổ sung"),
                  AS_KHCN)
    again = queries.agency_queue(KHCN_KEY, date(2025, 6, 10))
    assert [(i.kind, i.task) for i in again.returned] == [(ReturnedKind.COMPLETION, "6")]
    assert [r.number for r in again.missing_report] == ["6"]


def test_a_refused_extension_and_a_moved_deadline_show_in_the_agency_queue(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(RequestExtension(task="2", deadline="30/9/2025", reason="Chờ kinh phí"),
                  AS_YTE)
    ledger.handle(RefuseExtension(task="2", request=1, reason="Không đủ căn cứ"), DOST)
    today = Clock().today()
    (item,) = queries.agency_queue(YTE_KEY, today).returned
    assert (item.kind, item.reason) == (ReturnedKind.EXTENSION, "Không đủ căn cứ")
    assert queries.agency_queue(YTE_KEY, today + timedelta(days=31)).returned == ()
    # The coordinating agency is not asked to answer the lead's refusal.
    assert queries.agency_queue(KHCN_KEY, today).returned == ()
    ledger.handle(ChangeDeadline(task="2", deadline="30/6/2025", reason="Điều chỉnh",
                                 decision_ref="5/QĐ-UBND"), DOST)
    row = next(r for r in queries.agency_queue(YTE_KEY, date(2025, 6, 10)).leading
               if r.number == "2")
    assert (row.due_on, row.days_remaining, row.days_overdue) == (date(2025, 6, 30), 20, None)


def test_the_summary_counts_only_the_reports_owed(ledger: TenantLedger,
                                                  queries: TenantQueries) -> None:
    summary = queries.summary(date(2025, 5, 1))
    missing = [r.number for r in summary.missing_report]
    assert "3" not in missing and "4" not in missing  # untriggered; due in 2028
    assert {"1", "2", "5", "6", "7"} <= set(missing)


def test_auditors_and_inspectors_see_what_is_new_since_their_last_visit(
    tenancy: Tenancy, ledger: TenantLedger, queries: TenantQueries
) -> None:
    start = Clock().now()
    moments = iter([start, start + timedelta(minutes=10),
                    start + timedelta(seconds=SITTING_SECONDS + 700)])
    clock_now = [start]
    clock = Clock(source=lambda: clock_now[0])
    visits = VisitStore(tenancy.storage.database, clock)
    first = visits.visit("auditor", "demo")
    assert first == start - timedelta(days=FIRST_VISIT_DAYS)

    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=40, narrative="Đang làm"),
                  AS_KHCN)
    ledger.handle(ChangeDeadline(task="2", deadline="9/2025", reason="Chờ kinh phí",
                                 decision_ref="9/QĐ-UBND"), DOST)
    next(moments)
    clock_now[0] = next(moments)  # ten minutes on: the same sitting, the same news
    assert visits.visit("auditor", "demo") == first
    clock_now[0] = next(moments)  # over an hour later: a new visit, news after the last one
    since = visits.visit("auditor", "demo")
    assert since == start + timedelta(minutes=10)
    assert visits.since("auditor", "demo") == since
    assert visits.since("inspector", "demo") == clock_now[0] - timedelta(days=FIRST_VISIT_DAYS)

    auditor = [Grant(Role.AUDITOR, "demo")]
    news = queries.work_queue(auditor, clock, first).news
    assert news is not None and news.total >= 2 and not news.changes_only
    assert {e.event for e in news.entries} >= {"ProgressReported", "DeadlineChanged"}
    inspector = queries.work_queue([Grant(Role.INSPECTOR, "demo")], clock, first).news
    assert inspector is not None and inspector.changes_only
    assert [e.change_type for e in inspector.entries] == ["deadline_changed"]
    assert queries.work_queue(auditor, clock, datetime.now(UTC) + timedelta(days=1)
                              ).news.total == 0  # type: ignore[union-attr]


def test_a_principal_queue_holds_what_its_roles_on_the_tenant_ask(
    ledger: TenantLedger, queries: TenantQueries
) -> None:
    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=40, narrative="Đang làm"),
                  AS_KHCN)
    clock = later(1)
    admin = queries.work_queue([Grant(Role.TENANT_ADMIN, "demo")], clock)
    assert admin.review is not None and len(admin.review.items) == 1 and admin.agencies == ()
    assert admin.count == 1
    reporter = queries.work_queue([Grant(Role.AGENCY_REPORTER, "demo", YTE_KEY),
                                   Grant(Role.TENANT_ADMIN, "elsewhere")], clock)
    assert reporter.review is None and [q.agency for q in reporter.agencies] == [YTE_KEY]
    assert reporter.news is None
