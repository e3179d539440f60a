"""The reorganisation of 1 March 2025 end to end, on both stores: a plan names Sở Thông tin
và Truyền thông, which reports in February and is then succeeded by Sở Khoa học và Công nghệ.
From that date the old department reports on nothing, its successor reports on the tasks it
carries, and every read (who is responsible, the scorecard, the change log) answers for the
date asked."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import i18n
from domain.errors import DomainError
from importers import read_plan_document
from projections.change_log import ChangeFilter
from service.commands import (
    AcceptCompletion,
    AddTask,
    CompleteTask,
    Context,
    CreatePlan,
    ImportPlan,
    ReportProgress,
    SucceedAgency,
)
from service.ledger import TenantLedger
from service.queries import TenantQueries
from service.tenancy import Tenancy

ICT = "Sở Thông tin và Truyền thông"
DOST = "Sở Khoa học và Công nghệ"
PLAN = "12/KH-UBND"  # the province's digital-transformation plan of January 2025
DECISION = "Quyết định số 505/QĐ-UBND ngày 28/02/2025"
SUCCEEDED_ON = date(2025, 3, 1)


def standing_body(day: date) -> Context:
    return Context(actor="dost-officer", effective_on=day)


def reporter(agency: str, day: date) -> Context:
    return Context(actor=f"reporter of {agency}", effective_on=day, agency=agency)


def report(task: str, period: str, percent: int) -> ReportProgress:
    return ReportProgress(task=task, plan=PLAN, period=period, percent=percent,
                          narrative="Đang triển khai")


@pytest.fixture
def ledger(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    """Plan 1534 imported from the seed (it names no Sở TT&TT) and plan 12 typed in, whose
    tasks Sở TT&TT leads; its February: one task done, one report."""
    tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    ledger = tenancy.ledger("quang-nam", for_writing=True)
    assert ICT not in seed_path.read_text(encoding="utf-8")
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    ledger.handle(ImportPlan(document=read_plan_document(seed_path), sha256=sha),
                  standing_body(date(2025, 2, 28)))
    ledger.handle(CreatePlan(number=PLAN, title="Chuyển đổi số tỉnh Quảng Nam năm 2025",
                             issued_on=date(2025, 1, 15), issuer="UBND tỉnh Quảng Nam"),
                  standing_body(date(2025, 1, 15)))
    for number, title, deadline in (("1", "Kế hoạch chuyển đổi số năm 2025", "02/2025"),
                                    ("2", "Nền tảng dữ liệu dùng chung của tỉnh", "6/2025"),
                                    ("3", "Chuyển đổi số báo chí", "2025")):
        ledger.handle(AddTask(plan=PLAN, number=number, title=title, leads=ICT,
                              coordinators="Sở Nội vụ", deadline=deadline),
                      standing_body(date(2025, 1, 15)))
    asked = ledger.handle(CompleteTask(task="1", plan=PLAN, completed_on=date(2025, 2, 25),
                                       output_document="Kế hoạch 30/KH-STTTT"),
                          reporter(ICT, date(2025, 2, 25)))
    ledger.handle(AcceptCompletion(task="1", plan=PLAN, request=asked.detail["request"]),
                  standing_body(date(2025, 2, 26)))
    ledger.handle(report("2", "2025-02", 20), reporter(ICT, date(2025, 2, 27)))
    return ledger


def succeed(ledger: TenantLedger) -> None:
    ledger.handle(SucceedAgency(agency=ICT, successors=(DOST,),
                                reason="Hợp nhất Sở TT&TT vào Sở KH&CN", decision_ref=DECISION),
                  standing_body(SUCCEEDED_ON))


def test_the_old_department_reports_on_nothing_from_the_date_its_duties_passed_on(
    ledger: TenantLedger,
) -> None:
    succeed(ledger)
    with pytest.raises(DomainError) as refused:
        ledger.handle(report("2", "2025-03", 30), reporter(ICT, date(2025, 3, 5)))
    assert (refused.value.code, refused.value.field) == ("agency.succeeded", "agency")
    assert refused.value.params["successors"] == [DOST]
    message = refused.value.as_message()
    assert message is not None
    assert i18n.render(message, "vi") == (
        f"{ICT} đã được kế nhiệm bởi {DOST} từ ngày 01/03/2025: từ ngày đó cơ quan không còn "
        f"báo cáo, {DOST} báo cáo các nhiệm vụ được chuyển giao.")
    # Nor may it claim a completion on or after that date, whatever day it types it in.
    with pytest.raises(DomainError) as refused:
        ledger.handle(CompleteTask(task="3", plan=PLAN, completed_on=SUCCEEDED_ON,
                                   output_document="Văn bản 1/STTTT"),
                      reporter(ICT, date(2025, 2, 28)))
    assert refused.value.code == "agency.succeeded"
    # What it did before still goes in, late: its own report of 28 February.
    late = ledger.handle(report("3", "2025-02", 10), reporter(ICT, date(2025, 2, 28)))
    assert late.detail["report"] == 1


def test_the_successor_reports_on_the_task_it_carries(ledger: TenantLedger) -> None:
    with pytest.raises(DomainError) as refused:  # not its duty before the succession
        ledger.handle(report("2", "2025-02", 25), reporter(DOST, date(2025, 2, 28)))
    assert refused.value.code == "task.agency_not_involved"
    succeed(ledger)
    ledger.handle(report("2", "2025-Q1", 40), reporter(DOST, date(2025, 3, 10)))
    detail = TenantQueries(ledger.app).task_detail("2", PLAN, date(2025, 3, 15))
    assert [(r.period, r.percent, r.agency) for r in detail.reports] == [
        ("2025-02", 20, ledger.agency(ICT).key), ("2025-Q1", 40, ledger.agency(DOST).key)]


def test_who_is_responsible_is_the_old_department_in_february_and_its_successor_in_march(
    ledger: TenantLedger,
) -> None:
    succeed(ledger)
    queries = TenantQueries(ledger.app)
    assert queries.responsibility("2", PLAN, date(2025, 2, 15)).responsible == (ICT,)
    assert queries.responsibility("2", PLAN, date(2025, 3, 15)).responsible == (DOST,)
    # The task it completed in February stays its own, whatever the date asked.
    assert queries.responsibility("1", PLAN, date(2025, 3, 15)).responsible == (ICT,)


def test_the_scorecard_in_march_ranks_the_successor_with_the_carried_tasks_and_shows_the_old_department_apart(  # noqa: E501
    ledger: TenantLedger,
) -> None:
    queries = TenantQueries(ledger.app)
    february = {s.agency: s for s in queries.scorecard(2025, date(2025, 2, 28))}
    recorded_before = datetime.now(UTC) - timedelta(microseconds=1)
    succeed(ledger)
    ledger.handle(report("2", "2025-Q1", 40), reporter(DOST, date(2025, 3, 10)))

    march = {s.agency: s for s in queries.scorecard(2025, date(2025, 3, 15))}
    assert ICT not in march and ICT not in {s.agency for s in queries.collective_scores(2025)}
    assert march[DOST].led == february[DOST].led + 2  # tasks 2 and 3, carried from 01/03
    assert march[DOST].reports == february[DOST].reports + 1
    assert [s.rank for s in march.values()] == list(range(1, len(march) + 1))
    (apart,) = queries.ended_scores(2025, date(2025, 3, 15))
    assert (apart.agency, apart.rank, apart.ended, apart.ended_on, apart.successors) == (
        ICT, 0, "succession", SUCCEEDED_ON, (DOST,))
    # Its record until then: the task it completed on time and its February report.
    assert (apart.led, apart.done_on_time, apart.reports) == (1, 1, 1)
    assert february[ICT].led == 3

    # As effective on 15/03 the answer is the same; as known before the succession was
    # recorded, and for a day before it, the old department is ranked with its three tasks.
    effective = queries.scorecard(2025, date(2025, 3, 15), effective_on=date(2025, 3, 15))
    assert {s.agency: s.led for s in effective} == {a: s.led for a, s in march.items()}
    known = {s.agency: s for s in queries.scorecard(2025, date(2025, 3, 15),
                                                    known_at=recorded_before)}
    assert known[ICT].led == 3 and known[DOST].led == february[DOST].led
    assert ICT in {s.agency for s in queries.scorecard(2025, date(2025, 2, 28))}


def test_the_change_log_shows_the_succession_with_its_decision(ledger: TenantLedger) -> None:
    succeed(ledger)
    page = TenantQueries(ledger.app).changes(ChangeFilter(types=("agency_succeeded",)))
    (entry,) = page.entries
    assert (entry.params["agency"], entry.params["successors"], entry.effective_on,
            entry.document) == (ICT, DOST, SUCCEEDED_ON, DECISION)
