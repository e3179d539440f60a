"""Agencies' lifecycles on both stores: succession, merger, dissolution, alias and
collectives, answered as effective on a date like every other read."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from domain.errors import DomainError, NotFound
from importers import read_plan_document
from projections.change_log import ChangeFilter
from service.commands import (
    AddTask,
    CompleteTask,
    Context,
    DissolveAgency,
    ExpandCollective,
    ImportPlan,
    MarkCollective,
    MergeAgencies,
    MergeAlias,
    RegisterAgency,
    ReportProgress,
    SucceedAgency,
)
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy

DOST = Context(actor="dost-officer")
ICT = "Sở Thông tin và Truyền thông"
DOST_NAME = "Sở Khoa học và Công nghệ"
DISTRICTS = "UBND các huyện, thị xã, thành phố"
COMMUNES = "UBND các xã, phường"


def on(day: date) -> Context:
    return Context(actor="dost-officer", effective_on=day)


def seed_ledger(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    ledger = tenancy.ledger("quang-nam", for_writing=True)
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    ledger.handle(ImportPlan(document=read_plan_document(seed_path), sha256=sha), DOST)
    # The seed names no Sở Thông tin và Truyền thông: a task typed in on the plan's date does.
    ledger.handle(AddTask(group="V", number="61", title="Chuyển đổi số báo chí",
                          leads=ICT, coordinators="Báo Quảng Nam", deadline="2025"),
                  on(date(2025, 2, 27)))
    return ledger


@pytest.fixture
def reorganised(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    """Plan 1534, then the two successions of 2025."""
    ledger = seed_ledger(tenancy, seed_path)
    ledger.handle(SucceedAgency(agency=ICT, successors=(DOST_NAME,),
                                reason="Hợp nhất Sở TT&TT vào Sở KH&CN",
                                decision_ref="Nghị quyết 14/NQ-HĐND"), on(date(2025, 3, 1)))
    ledger.handle(SucceedAgency(agency=DISTRICTS, successors=(COMMUNES,),
                                reason="Không tổ chức cấp huyện",
                                decision_ref="Nghị quyết 202/2025/QH15"), on(date(2025, 7, 1)))
    return ledger


def test_as_effective_on_a_date_the_successors_carry_the_open_tasks(
    reorganised: TenantLedger,
) -> None:
    queries = TenantQueries(reorganised.app)
    june = {r.number: r for r in queries.status(date(2025, 6, 15),
                                                effective_on=date(2025, 6, 15))}
    july = {r.number: r for r in queries.status(date(2025, 7, 15),
                                                effective_on=date(2025, 7, 15))}
    # Task 10 is led by "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố".
    assert DISTRICTS in june["10"].responsible and COMMUNES not in june["10"].responsible
    assert COMMUNES in july["10"].responsible and DISTRICTS not in july["10"].responsible
    # The task still names the agency the plan named: history is not rewritten.
    assert DISTRICTS in july["10"].leads
    assert june["61"].responsible == (DOST_NAME,) and june["61"].leads == (ICT,)


def test_who_was_responsible_for_a_task_on_a_date_is_answered_for_any_date(
    reorganised: TenantLedger,
) -> None:
    queries = TenantQueries(reorganised.app)
    before = queries.responsibility("61", None, date(2025, 2, 28))
    after = queries.responsibility("61", None, date(2025, 3, 1))
    assert before.responsible == (ICT,)
    assert after.responsible == (DOST_NAME,)
    (duty,) = [d for d in after.duties if d.role == "lead"]
    assert (duty.agency.name, duty.change, duty.since) == (ICT, "succession", date(2025, 3, 1))
    district = queries.responsibility("10", "1534/KH-UBND", date(2025, 7, 1))
    assert COMMUNES in district.responsible
    with pytest.raises(NotFound):
        queries.responsibility("61", None, date(2025, 2, 1))  # not yet in the plan then


def test_the_change_log_shows_the_succession_under_both_agencies(
    reorganised: TenantLedger,
) -> None:
    queries = TenantQueries(reorganised.app)
    page = queries.changes(ChangeFilter(types=("agency_succeeded",)))
    assert [(e.params["agency"], e.params["successors"], e.effective_on)
            for e in page.entries] == [(ICT, DOST_NAME, date(2025, 3, 1)),
                                       (DISTRICTS, COMMUNES, date(2025, 7, 1))]
    assert page.entries[1].document == "Nghị quyết 202/2025/QH15"
    dost_key = reorganised.agency(DOST_NAME).key
    found = queries.changes(ChangeFilter(types=("agency_succeeded",), agency=dost_key))
    assert [e.params["agency"] for e in found.entries] == [ICT]


def test_the_register_shows_how_an_agency_ended_and_the_read_models_rebuild_the_same(
    reorganised: TenantLedger,
) -> None:
    queries = TenantQueries(reorganised.app)
    entries = {a.name: a for a in queries.agencies()}
    assert entries[COMMUNES].is_collective  # registered as the successor, a collective
    assert (entries[ICT].ended, entries[ICT].ended_on, entries[ICT].successors) == (
        "succession", date(2025, 3, 1), (DOST_NAME,))
    assert not entries[DOST_NAME].ended
    queries.rebuild()
    assert queries.check() == []
    assert {a.name: a for a in TenantQueries(reorganised.app).agencies()} == entries


def test_a_task_completed_before_a_succession_stays_with_the_agency_that_did_it(
    tenancy: Tenancy, seed_path: Path,
) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    ledger.handle(CompleteTask(task="61", completed_on=date(2025, 2, 28),
                               output_document="Văn bản 1/STTTT"), on(date(2025, 2, 28)))
    ledger.handle(SucceedAgency(agency=ICT, successors=(DOST_NAME,), reason="Hợp nhất"),
                  on(date(2025, 3, 1)))
    queries = TenantQueries(ledger.app)
    assert queries.responsibility("61", None, date(2025, 6, 1)).responsible == (ICT,)


def test_the_agency_filter_finds_the_tasks_a_successor_carries(
    reorganised: TenantLedger,
) -> None:
    queries = TenantQueries(reorganised.app)
    rows = queries.status(date(2025, 7, 15), agency=COMMUNES)
    assert {"6", "10", "28"} <= {r.number for r in rows}


def test_merger_dissolution_and_refusals(tenancy: Tenancy, seed_path: Path) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    health, finance = "Sở Y tế", "Sở Tài chính"
    with pytest.raises(DomainError) as refused:
        ledger.handle(SucceedAgency(agency=ICT, successors=(DOST_NAME,), reason="x"), DOST)
    assert refused.value.code == "agency.needs_effective_date"
    with pytest.raises(DomainError) as refused:
        ledger.handle(MergeAgencies(agencies=(ICT,), into="Sở Mới", reason="x"),
                      on(date(2025, 3, 1)))
    assert refused.value.code == "agency.merger_needs_two"
    ledger.handle(MergeAgencies(agencies=(ICT, health), into="Sở Khoa học, Y tế và Truyền thông",
                                reason="Hợp nhất"), on(date(2025, 3, 1)))
    queries = TenantQueries(ledger.app)
    assert queries.responsibility("61", None, date(2025, 3, 2)).responsible == (
        "Sở Khoa học, Y tế và Truyền thông",)
    with pytest.raises(DomainError) as refused:
        ledger.handle(DissolveAgency(agency=ICT, reason="x"), on(date(2025, 4, 1)))
    assert refused.value.code == "agency.already_ended"
    with pytest.raises(DomainError) as refused:
        ledger.handle(SucceedAgency(agency="Sở Khoa học, Y tế và Truyền thông",
                                    successors=(ICT,), reason="x"), on(date(2025, 5, 1)))
    assert refused.value.code == "agency.succession_cycle"
    ledger.handle(DissolveAgency(agency=finance, reason="Giải thể"), on(date(2025, 8, 1)))
    entry = next(a for a in queries.agencies() if a.name == finance)
    assert (entry.ended, entry.successors) == ("dissolution", ())


def test_an_alias_is_previewed_then_merged_and_scored_as_one_agency(
    tenancy: Tenancy, seed_path: Path,
) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    alias = "Sở Khoa học - Công nghệ"  # a spelling that does not normalise to the same key
    ledger.handle(AddTask(group="V", number="62", title="Sàn giao dịch công nghệ",
                          leads=alias, deadline="2025"), on(date(2025, 2, 27)))
    queries = TenantQueries(ledger.app)
    alias_key, dost_key = ledger.agency(alias).key, ledger.agency(DOST_NAME).key
    assert alias_key != dost_key
    before = {s.agency: s for s in queries.scorecard(2025)}
    preview = queries.alias_preview(alias_key, dost_key, 2025)
    assert preview.tasks == ("1534/KH-UBND 62",)
    assert preview.score_led_after == sum(preview.score_led_before)
    ledger.handle(MergeAlias(agency=alias, into=DOST_NAME, reason="Cùng một cơ quan"), DOST)
    after = {s.agency: s for s in queries.scorecard(2025)}
    assert alias not in after
    assert after[DOST_NAME].led == before[DOST_NAME].led + 1
    assert queries.responsibility("62", None, date(2025, 3, 1)).responsible == (DOST_NAME,)


def test_collectives_are_marked_expanded_into_members_and_scored_apart(
    tenancy: Tenancy, seed_path: Path,
) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    queries = TenantQueries(ledger.app)
    collectives = {a.name for a in queries.agencies() if a.is_collective}
    assert {"Các Sở, ban, ngành", DISTRICTS} <= collectives
    ranked = queries.scorecard(2025)
    apart = queries.collective_scores(2025)
    assert not {s.agency for s in ranked} & collectives
    assert [s.rank for s in ranked] == list(range(1, len(ranked) + 1))
    assert {s.agency for s in apart} <= collectives and all(s.rank == 0 for s in apart)
    assert "Các Sở, ban, ngành" in {s.agency for s in apart}
    # Marking and unmarking are events; a second mark is refused.
    ledger.handle(MarkCollective(agency=ICT, reason="Thử"), DOST)
    with pytest.raises(DomainError) as refused:
        ledger.handle(MarkCollective(agency=ICT), DOST)
    assert refused.value.code == "agency.already_collective"
    ledger.handle(MarkCollective(agency=ICT, is_collective=False), DOST)
    assert ICT not in {a.name for a in queries.agencies() if a.is_collective}
    # Expanding a collective puts its members in its place: each then leads and reports.
    members = ("UBND thành phố Tam Kỳ", "UBND thị xã Điện Bàn")
    for name in members:
        ledger.handle(RegisterAgency(name=name), DOST)
    with pytest.raises(DomainError) as refused:
        ledger.handle(ExpandCollective(task="10", collective=ICT, members=members,
                                       reason="x"), DOST)
    assert refused.value.code == "agency.not_collective"
    with pytest.raises(DomainError) as refused:
        ledger.handle(ExpandCollective(task="10", collective=DISTRICTS,
                                       members=("Các Sở, ban, ngành",), reason="x"), DOST)
    assert refused.value.code == "task.member_is_collective"
    ledger.handle(ExpandCollective(task="10", collective=DISTRICTS, members=members,
                                   reason="Giao từng địa phương"), DOST)
    row = next(r for r in queries.status(date(2025, 7, 1)) if r.number == "10")
    assert DISTRICTS not in row.leads and set(members) <= set(row.leads)
    ledger.handle(ReportProgress(task="10", period="2025-Q2", percent=30, narrative="Đang làm"),
                  Context(actor="tk", agency=members[0]))
    with pytest.raises(DomainError) as refused:
        ledger.handle(ExpandCollective(task="10", collective=DISTRICTS, members=members,
                                       reason="x"), DOST)
    assert refused.value.code == "task.collective_not_named"


def test_the_successor_reports_and_asks_for_completion_of_the_tasks_it_carries(
    reorganised: TenantLedger,
) -> None:
    before = Context(actor="r", effective_on=date(2025, 2, 28), agency=DOST_NAME)
    with pytest.raises(DomainError) as refused:  # not yet its duty then
        reorganised.handle(ReportProgress(task="61", period="2025-02", percent=5,
                                          narrative="Chưa"), before)
    assert refused.value.code == "task.agency_not_involved"
    after = Context(actor="r", effective_on=date(2025, 3, 15), agency=DOST_NAME)
    reorganised.handle(ReportProgress(task="61", period="2025-Q1", percent=50,
                                      narrative="Đang làm"), after)
    reorganised.handle(CompleteTask(task="61", completed_on=date(2025, 3, 20),
                                    output_document="Kế hoạch 5/KH-SKHCN"), after)
    queries = TenantQueries(reorganised.app)
    detail = queries.task_detail("61", None, date(2025, 3, 31))
    assert detail.state == "completion_pending"
    assert detail.reports[0].agency == reorganised.agency(DOST_NAME).key
    queue = queries.agency_queue(reorganised.agency(COMMUNES).key, date(2025, 7, 15))
    assert {"6", "10", "28"} <= {t.number for t in queue.leading}


def test_as_known_before_the_succession_was_recorded_the_old_agency_is_answered(
    tenancy: Tenancy, seed_path: Path,
) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    queries = TenantQueries(ledger.app)
    recorded_before = max(e.timestamp for _, e in read_events(ledger.app))
    ledger.handle(SucceedAgency(agency=ICT, successors=(DOST_NAME,), reason="Hợp nhất"),
                  on(date(2025, 3, 1)))
    assert queries.responsibility("61", None, date(2025, 6, 1)).responsible == (DOST_NAME,)
    then = queries.responsibility("61", None, date(2025, 6, 1), known_at=recorded_before)
    assert then.responsible == (ICT,)
