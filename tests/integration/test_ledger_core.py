"""The ledger core on both stores: import, commands, rules, concurrency, isolation."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from domain.deadlines import parse_deadline
from domain.errors import AlreadyExists, Conflict, DomainError, NotFound
from domain.messages import message
from domain.plan import Plan
from domain.plan_document import (
    IndicatorRow,
    PlanDocument,
    PlanHeader,
    RowProblem,
    TaskGroup,
    TaskRow,
)
from domain.task import Task
from importers import read_plan_document
from service.commands import (
    CancelTask,
    ChangeDeadline,
    ChangeTarget,
    CompleteTask,
    Context,
    ImportPlan,
    ReassignTask,
    RecordTrigger,
    RenameAgency,
    ReportIndicatorValue,
    ReportProgress,
    ResumeTask,
    ReturnReport,
    SuspendTask,
    VerifyReport,
)
from service.handlers import ImportRefused
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy, TenantArchived

DOST = Context(actor="dost-officer")


def small_plan(number: str = "12/KH-UBND", title: str = "Kế hoạch thử") -> PlanDocument:
    return PlanDocument(
        header=PlanHeader(number=number, title=title, issued_on=date(2025, 2, 27)),
        groups=(TaskGroup("I", "Nhóm một"),),
        tasks=(
            TaskRow("I", "1", "Xây dựng chương trình", "Sở Khoa học và Công nghệ",
                    "Sở Y tế; Sở Tài chính", "Chương trình", "3/2025"),
            TaskRow("I", "2", "Ban hành quy định", "Sở Nội vụ", "Các Sở, ban, ngành",
                    "Văn bản", "Ngay sau khi Trung ương ban hành"),
        ),
        indicators=(IndicatorRow("1", "Tỉ lệ dịch vụ công trực tuyến", "%", "≥ 80",
                                 "Sở Khoa học và Công nghệ", 2030),),
    )


def seed_ledger(tenancy: Tenancy, seed_path: Path, slug: str = "quang-nam") -> TenantLedger:
    tenancy.create_tenant(slug, "Quảng Nam", "49")
    ledger = tenancy.ledger(slug, for_writing=True)
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    ledger.handle(ImportPlan(document=read_plan_document(seed_path), sha256=sha), DOST)
    return ledger


def small_ledger(tenancy: Tenancy, slug: str = "demo") -> TenantLedger:
    tenancy.create_tenant(slug, "Tỉnh thử")
    ledger = tenancy.ledger(slug, for_writing=True)
    ledger.handle(ImportPlan(document=small_plan(), sha256="sha-small"), DOST)
    return ledger


def event_count(ledger: TenantLedger) -> int:
    return sum(1 for _ in read_events(ledger.app))


def test_the_seed_plan_is_recorded_exactly(tenancy: Tenancy, seed_path: Path) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    state = TenantQueries(ledger.app).state()
    (plan,) = state.plans.values()
    assert (plan.number, plan.issued_on) == ("1534/KH-UBND", date(2025, 2, 27))
    tasks = state.sorted_tasks()
    assert len(tasks) == 60
    sizes = [sum(1 for t in tasks if t.group_code == g) for g in plan.groups]
    assert list(plan.groups) == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert sizes == [9, 5, 16, 2, 22, 5, 1]
    assert len(state.indicators) == 40
    task3 = tasks[2]
    assert task3.leads_text == "Sở Khoa học và Công nghệ, Sở Giáo dục và Đào tạo"
    assert [state.agency_name(k) for k in task3.leads] == [
        "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo"]
    assert task3.coordinators_text == "Các Sở, ban, ngành; UBND các huyện, thị xã, thành phố"
    assert (task3.expected_output, task3.deadline.text) == ("Chương trình, kế hoạch", "3/2025")
    assert task3.deadline.due == date(2025, 3, 31)
    assert tasks[3].deadline.kind.value == "conditional"
    assert tasks[29].deadline.due == date(2030, 12, 31)


def test_importing_the_same_document_twice_records_nothing_new(
    tenancy: Tenancy, seed_path: Path
) -> None:
    ledger = seed_ledger(tenancy, seed_path)
    before = event_count(ledger)
    sha = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    again = ledger.handle(ImportPlan(document=read_plan_document(seed_path), sha256=sha), DOST)
    assert not again.recorded
    assert event_count(ledger) == before


def test_another_document_with_the_same_plan_number_is_refused(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    with pytest.raises(AlreadyExists) as refused:
        ledger.handle(ImportPlan(document=small_plan(title="Khác"), sha256="sha-other"), DOST)
    assert refused.value.code == "plan.imported_from_another_document"


def test_a_failed_import_leaves_nothing_behind(tenancy: Tenancy) -> None:
    tenancy.create_tenant("demo", "Tỉnh thử")
    ledger = tenancy.ledger("demo", for_writing=True)
    document = small_plan()
    # A task stored under an id the import will use makes the batch fail part-way.
    clash = Task(
        plan_id=Plan.create_id(document.header.number), plan_issued_on=None,
        group_code="I", number="2", title="x", leads=(), coordinators=(), leads_text="",
        coordinators_text="", expected_output="", deadline=parse_deadline("2025"), extra={},
        provenance=ledger.provenance(DOST),
    )
    ledger.app.save(clash)
    before = event_count(ledger)
    with pytest.raises(Conflict):
        ledger.handle(ImportPlan(document=document, sha256="sha-small"), DOST)
    assert event_count(ledger) == before
    with pytest.raises(NotFound):
        ledger.plan()


def ledger_deadline():  # type: ignore[no-untyped-def]
    return parse_deadline("2025")


def test_a_document_with_unreadable_rows_is_refused_unless_accepted(tenancy: Tenancy) -> None:
    tenancy.create_tenant("demo", "Tỉnh thử")
    ledger = tenancy.ledger("demo", for_writing=True)
    problem = RowProblem(row=7, content="?? | ??", reason=message("import.task_unnumbered"))
    document = PlanDocument(**{**small_plan().__dict__, "problems": (problem,)})
    with pytest.raises(ImportRefused) as refused:
        ledger.handle(ImportPlan(document=document, sha256="sha"), DOST)
    assert refused.value.problems == (problem,)
    assert event_count(ledger) == 0
    result = ledger.handle(ImportPlan(
        document=document, sha256="sha", accept_problems=True), DOST)
    assert result.recorded and result.problems == (problem,)


def test_commands_record_events_with_actor_agency_and_effective_date(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    ctx = Context(actor="reporter-1", agency="Sở Y tế", effective_on=date(2025, 3, 15))
    result = ledger.handle(ReportProgress(
        task="1", period="2025-Q1", percent=40, narrative="Đang dự thảo"), ctx)
    assert result.detail["report"] == 1 and result.version == 2
    assert result.position == event_count(ledger) or result.position is not None
    (entry,) = [e for e in TenantQueries(ledger.app).history("1") if e.event == "ProgressReported"]
    assert entry.actor == "reporter-1"
    assert entry.on_behalf_of == "Sở Y tế"
    assert entry.effective_on == date(2025, 3, 15)


def test_every_task_command_changes_the_task_state(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    ledger.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="Chờ hướng dẫn", decision_ref="15/QĐ-UBND"), DOST)
    ledger.handle(ReassignTask(
        task="1", leads=("Sở Y tế",), coordinators=("Sở Tài chính",), reason="Phân công lại",
        decision_ref="16/QĐ-UBND"), DOST)
    ledger.handle(ReportProgress(task="1", period="2025-Q2", percent=100, narrative="Xong"), DOST)
    ledger.handle(ReturnReport(task="1", report=1, reason="Thiếu minh chứng"), DOST)
    ledger.handle(ReportProgress(
        task="1", period="2025-Q2", percent=100, narrative="Xong, có minh chứng",
        evidence=("20/KH-SYT",)), DOST)
    ledger.handle(VerifyReport(task="1", report=2, note="Đạt"), DOST)
    ledger.handle(CompleteTask(
        task="1", output_document="20/KH-SYT", completed_on=date(2025, 6, 20)), DOST)
    ledger.handle(RecordTrigger(
        task="2", triggered_on=date(2025, 5, 1), note="Nghị định 10/2025/NĐ-CP"), DOST)
    ledger.handle(SuspendTask(
        task="2", reason="Chờ sắp xếp bộ máy", decision_ref="17/QĐ-UBND"), DOST)
    ledger.handle(ResumeTask(task="2", reason="Tiếp tục", decision_ref="18/QĐ-UBND"), DOST)
    ledger.handle(CancelTask(
        task="2", reason="Không còn phù hợp", decision_ref="19/QĐ-UBND"), DOST)
    task1, task2 = ledger.task("1"), ledger.task("2")
    assert (task1.status, task1.deadline.text, task1.leads) == ("completed", "6/2025", ("so y te",))
    assert [r.state for r in task1.reports] == ["returned", "verified"]
    assert task2.status == "cancelled"
    events = [type(e).__name__ for _, e in read_events(ledger.app)]
    for name in ("DeadlineChanged", "Reassigned", "ProgressReported", "ReportReturned",
                 "ReportVerified", "CompletionRequested", "CompletionAccepted",
                 "TriggerRecorded", "Suspended", "Resumed",
                 "Cancelled"):
        assert name in events


def test_indicator_values_and_target_changes_are_recorded(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    ledger.handle(ReportIndicatorValue(
        indicator="1", period="2025", value="62,5", source="Báo cáo 30/BC-SKHCN"), DOST)
    ledger.handle(ChangeTarget(
        indicator="1", target="≥ 85", reason="Theo Nghị quyết 71/NQ-CP",
        decision_ref="25/QĐ-UBND"), DOST)
    indicator = ledger.indicator("1")
    assert str(indicator.values["2025"]) == "62.5"
    assert indicator.target.text == "≥ 85"
    with pytest.raises(DomainError) as unchanged:
        ledger.handle(ChangeTarget(
            indicator="1", target="≥ 85", reason="again", decision_ref=""), DOST)
    assert (unchanged.value.code, unchanged.value.params) == ("target.unchanged",
                                                              {"target": "≥ 85"})
    with pytest.raises(DomainError) as refused:
        ledger.handle(ReportIndicatorValue(
            indicator="1", period="2025", value="nhiều", source="x"), DOST)
    assert refused.value.field == "value"
    assert (refused.value.code, refused.value.params) == ("value.not_a_number",
                                                          {"value": "nhiều"})


def test_unknown_tasks_agencies_and_uninvolved_reporters_are_refused(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    with pytest.raises(NotFound) as missing:
        ledger.handle(ReportProgress(task="99", period="2025", percent=10, narrative="x"), DOST)
    assert (missing.value.code, missing.value.params) == ("task.not_found", {"number": "99"})
    with pytest.raises(NotFound) as refused:
        ledger.handle(ReassignTask(
            task="1", leads=("Sở Không Có",), coordinators=(), reason="x", decision_ref=""), DOST)
    assert refused.value.field == "leads"
    assert (refused.value.code, refused.value.params) == ("agency.not_registered",
                                                          {"agency": "Sở Không Có"})
    with pytest.raises(DomainError) as uninvolved:
        ledger.handle(ReportProgress(
            task="1", period="2025", percent=10,
            narrative="x"), Context(actor="r", agency="Sở Nội vụ"))
    assert uninvolved.value.code == "task.agency_not_involved"
    assert uninvolved.value.params == {"agency": "Sở Nội vụ", "number": "1"}
    with pytest.raises(NotFound):
        ledger.handle(ReportIndicatorValue(
            indicator="9.9", period="2025", value="1", source="x"), DOST)


def test_a_stale_expected_version_is_told_it_conflicted(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    version = ledger.task("1").version
    stale = Context(actor="a", expected_version=version)
    ledger.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="first writer", decision_ref=""), stale)
    with pytest.raises(Conflict) as conflicted:
        ledger.handle(ChangeDeadline(
            task="1", deadline="9/2025", reason="second writer", decision_ref=""), stale)
    assert (conflicted.value.code, conflicted.value.params) == (
        "conflict.version", {"expected": version, "current": version + 1})
    assert ledger.task("1").deadline.text == "6/2025"


def test_two_writers_racing_on_one_task_do_not_both_win(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    other = TenantLedger(tenancy.application("demo"))
    first, second = ledger.task("1"), other.task("1")
    first.change_deadline(parse_deadline("6/2025"), "a", "", ledger.provenance(DOST))
    second.change_deadline(parse_deadline("9/2025"), "b", "", other.provenance(DOST))
    ledger.commit(first)
    with pytest.raises(Conflict):
        other.commit(second)
    assert ledger.task("1").deadline.text == "6/2025"


def test_one_tenants_commands_and_reads_never_touch_another(tenancy: Tenancy) -> None:
    a, b = small_ledger(tenancy, "tinh-a"), small_ledger(tenancy, "tinh-b")
    b_before = [(p, e.originator_id, e.originator_version) for p, e in read_events(b.app)]
    a.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="only in A", decision_ref=""), DOST)
    assert [(p, e.originator_id, e.originator_version) for p, e in read_events(b.app)] == b_before
    assert b.task("1").deadline.text == "3/2025"
    assert a.task("1").deadline.text == "6/2025"
    assert all("only in A" not in e.reason for e in TenantQueries(b.app).history("1"))


def test_an_archived_tenant_stays_readable_but_records_nothing(tenancy: Tenancy) -> None:
    small_ledger(tenancy)
    tenancy.registry.archive("demo")
    with pytest.raises(TenantArchived):
        tenancy.ledger("demo", for_writing=True)
    assert len(TenantQueries(tenancy.ledger("demo").app).state().tasks) == 2


@pytest.mark.parametrize("template", ["ke-hoach-mau.xlsx", "nhiem-vu-mau.csv"])
def test_the_shipped_templates_import_into_a_tenant(tenancy: Tenancy, template: str) -> None:
    path = Path(__file__).resolve().parents[2] / "importers" / "templates" / template
    tenancy.create_tenant("mau", "Tỉnh mẫu")
    ledger = tenancy.ledger("mau", for_writing=True)
    document = read_plan_document(path)
    result = ledger.handle(ImportPlan(
        document=document, sha256=hashlib.sha256(path.read_bytes()).hexdigest()), DOST)
    assert result.recorded and result.tasks == len(document.tasks) > 0
    state = TenantQueries(ledger.app).state()
    assert sorted(t.number for t in state.tasks.values()) == sorted(
        t.number for t in document.tasks)


def test_a_renamed_agency_is_found_by_its_new_name_and_keeps_its_tasks(
    tenancy: Tenancy,
) -> None:
    ledger = small_ledger(tenancy)
    key = ledger.agency("Sở Nội vụ").key
    ledger.handle(RenameAgency(
        agency="Sở Nội vụ", new_name="Sở Nội vụ tỉnh Quảng Nam", reason="Đổi tên"), DOST)
    assert ledger.agency("Sở Nội vụ tỉnh Quảng Nam").key == key
    assert ledger.agency(key).key == key
    ledger.handle(ReportProgress(
        task="2", period="2025-Q1", percent=10,
        narrative="Đang làm"), Context(actor="r", agency="Sở Nội vụ tỉnh Quảng Nam"))
    with pytest.raises(NotFound):
        ledger.agency("Sở Không Có")
