"""A plan revised by an amending decision, on both stores: the preview lists the differences
and records nothing; applying them records ordinary events citing the decision, effective on
its date, in one transaction; the read models, the change log and the baseline comparison
show them; the same document applied again records nothing."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document

from domain.errors import DomainError, NotFound
from domain.plan_document import PlanDocument
from importers import read_plan_bytes, read_plan_document
from projections.change_log import ChangeFilter
from service.audit_texts import audit_text
from service.commands import CommandResult, Context, CreatePlan, ImportPlan, RevisePlan
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.revision import preview_revision
from service.tenancy import Tenancy
from tests.fixtures import REVISED_SEED as REVISED
from tests.imports.documents import save, task_table

DOST = Context(actor="dost:nguyen-van-a")
PLAN = "1534/KH-UBND"
DECISION = "Quyết định số 245/QĐ-UBND"
ON = date(2025, 7, 15)
REVISED_SHA = hashlib.sha256(REVISED.read_bytes()).hexdigest()


@pytest.fixture
def ledger(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    ledger = tenancy.ledger("quang-nam", for_writing=True)
    ledger.handle(ImportPlan(document=read_plan_document(seed_path),
                             sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), DOST)
    return ledger


def revise(ledger: TenantLedger, document: PlanDocument | None = None,
           sha256: str = REVISED_SHA, plan: str = PLAN) -> CommandResult:
    result = ledger.handle(RevisePlan(
        plan=plan, document=document or read_plan_document(REVISED), sha256=sha256,
        amending=DECISION, amending_on=ON), Context(DOST.actor, ON))
    assert isinstance(result, CommandResult)
    return result


def events(ledger: TenantLedger) -> int:
    return sum(1 for _ in read_events(ledger.app))


def test_the_preview_lists_exactly_the_changes_and_records_nothing(ledger: TenantLedger) -> None:
    before = events(ledger)
    preview = preview_revision(ledger, ledger.plan(PLAN), read_plan_document(REVISED),
                               REVISED_SHA)
    assert [(d.reference, d.kinds) for d in preview.diff.changes] == [
        ("2", ("reworded",)), ("3", ("deadline_changed",)), ("9", ("lead_changed",)),
        ("61", ("added",)), ("7", ("removed",))]
    assert preview.new_agencies == {"so ngoai vu": "Sở Ngoại vụ"}
    assert not preview.recorded_already
    assert events(ledger) == before


def test_applying_records_each_change_as_an_ordinary_event_citing_the_decision(
        ledger: TenantLedger) -> None:
    result = revise(ledger)
    assert result.detail["recorded"] and result.detail["counts"]["removed"] == 1
    recorded = [e for _, e in read_events(ledger.app)][-result.detail["events"]:]
    names = sorted(type(e).__qualname__ for e in recorded)
    assert names == ["Agency.Registered", "Plan.Revised", "Task.AddedByAmendment", "Task.Cancelled",
                     "Task.DeadlineChanged", "Task.Reassigned", "Task.Reworded"]
    for event in recorded:
        assert event.provenance.effective_on == ON
        assert event.provenance.actor == DOST.actor
        assert getattr(event, "decision_ref", DECISION) == DECISION

    state = TenantQueries(ledger.app).state()
    tasks = {t.number: t for t in state.tasks.values()}
    assert "báo điện tử" in tasks["2"].title
    assert tasks["3"].deadline.text == "9/2025" and tasks["3"].deadline.due == date(2025, 9, 30)
    assert tasks["9"].leads == ("so khoa hoc va cong nghe",)
    assert tasks["7"].state == "cancelled"
    assert tasks["61"].leads == ("so ngoai vu",) and tasks["61"].group_code == "VII"
    rows = {r.number: r for r in TenantQueries(ledger.app).status(ON)}
    assert "báo điện tử" in rows["2"].title and rows["3"].deadline == "9/2025"
    assert len(rows) == 61 and rows["61"].deadline == "Hằng năm"
    (revision,) = next(iter(state.plans.values())).revisions
    assert (revision.amending, revision.amending_on, revision.sha256) == (
        DECISION, ON, REVISED_SHA)


def test_the_change_log_shows_who_when_why_and_on_what_authority(ledger: TenantLedger) -> None:
    revise(ledger)
    entries = TenantQueries(ledger.app).changes(
        ChangeFilter(types=("reworded", "plan_revised", "cancelled", "task_added"))).entries
    assert [(e.subject, e.change_type) for e in entries] == [
        ("plan 1534/KH-UBND", "plan_revised"), ("task 2", "reworded"), ("task 61", "task_added"),
        ("task 7", "cancelled")]
    for entry in entries:
        assert (entry.actor, entry.effective_on, entry.document) == (DOST.actor, ON, DECISION)
        assert entry.reason == f"Điều chỉnh Kế hoạch {PLAN} theo {DECISION}"
    assert "báo điện tử" in entries[1].changes["title"][1]


def test_the_baseline_comparison_shows_the_revision_against_the_original_plan(
        ledger: TenantLedger) -> None:
    imported = datetime.now().astimezone()
    revise(ledger)
    diff = TenantQueries(ledger.app).diff(imported, imported + timedelta(days=1))
    kinds = [(item.kind, item.subject) for item in diff.items]
    assert ("plan_revised", "plan 1534/KH-UBND") in kinds
    assert {("task_added", "task 61"), ("task_reworded", "task 2"), ("deadline_moved", "task 3"),
            ("reassigned", "task 9"), ("status_changed", "task 7")} <= set(kinds)


def test_the_same_document_applied_again_records_nothing(ledger: TenantLedger) -> None:
    revise(ledger)
    after_first = events(ledger)
    again = revise(ledger)
    assert not again.detail["recorded"] and again.position is None
    assert events(ledger) == after_first
    preview = preview_revision(ledger, ledger.plan(PLAN), read_plan_document(REVISED),
                               REVISED_SHA)
    assert preview.recorded_already


def test_a_document_with_no_tasks_or_an_unknown_plan_is_refused_and_stores_nothing(
        ledger: TenantLedger) -> None:
    before = events(ledger)
    empty = replace(read_plan_document(REVISED), tasks=())
    with pytest.raises(DomainError) as refused:
        revise(ledger, empty, sha256="0" * 64)
    assert refused.value.code == "revision.no_tasks"
    with pytest.raises(NotFound) as missing:
        revise(ledger, plan="99/KH-UBND")
    assert missing.value.code == "plan.not_found"
    assert events(ledger) == before


def test_an_amending_decision_listing_only_what_it_changes_removes_nothing_else(
        ledger: TenantLedger) -> None:
    document = read_plan_document(REVISED)
    # It names the plan's own numbers: the task it adds comes after the last one, 61.
    listed = replace(document, tasks=tuple(
        replace(r, number="61") if r.number == "60" else r
        for r in document.tasks if r.number in ("2", "60")), indicators=())
    whole = preview_revision(ledger, ledger.plan(PLAN), listed, "4" * 64)
    assert len(whole.diff.of_kind("removed")) == 59  # read as the whole new list
    assert whole.warnings[0].code == "revision.removes_most"
    result = ledger.handle(RevisePlan(
        plan=PLAN, document=listed, sha256="4" * 64, amending=DECISION, amending_on=ON,
        partial=True), Context(DOST.actor, ON))
    assert isinstance(result, CommandResult)
    assert {k: n for k, n in result.detail["counts"].items() if n} == {
        "added": 1, "reworded": 1}
    state = TenantQueries(ledger.app).state()
    assert sum(1 for t in state.tasks.values() if t.state == "cancelled") == 0


def test_an_indicator_target_the_document_writes_otherwise_is_changed_citing_it(
        ledger: TenantLedger) -> None:
    document = read_plan_document(REVISED)
    rows = tuple(replace(i, target="≥ 90") if i.code == "16" else i
                 for i in document.indicators)
    old = ledger.indicator("16", PLAN).target.text
    result = revise(ledger, replace(document, indicators=rows), sha256="3" * 64)
    assert result.detail["counts"]["target_changed"] == 1
    (entry,) = TenantQueries(ledger.app).changes(ChangeFilter(types=("target_changed",))).entries
    assert (entry.changes["target"], entry.document, entry.effective_on) == (
        (old, "≥ 90"), DECISION, ON)


def test_a_document_that_is_another_plan_of_the_tenant_cannot_revise_this_one(
        ledger: TenantLedger) -> None:
    ledger.handle(CreatePlan(number="9/KH-UBND", issued_on=date(2025, 3, 5)), DOST)
    document = read_plan_document(REVISED)
    other = replace(document, header=replace(document.header, number="9/KH-UBND"))
    before = events(ledger)
    with pytest.raises(DomainError) as refused:
        revise(ledger, other, sha256="2" * 64)
    assert (refused.value.code, refused.value.params["other"]) == (
        "revision.another_plan", "9/KH-UBND")
    assert events(ledger) == before


def test_a_change_refused_part_way_leaves_nothing_recorded(ledger: TenantLedger) -> None:
    """Task 9 left with no lead is refused after the other changes were made: none is kept."""
    document = read_plan_document(REVISED)
    rows = tuple(replace(r, leads="") if r.number == "8" else r for r in document.tasks)
    before = events(ledger)
    with pytest.raises(DomainError) as refused:
        revise(ledger, replace(document, tasks=rows), sha256="1" * 64)
    assert refused.value.code == "task.needs_lead"
    assert events(ledger) == before
    assert ledger.task("3", PLAN).deadline.text == "3/2025"
    assert not ledger.plan(PLAN).revisions


def amending_decision(seed: PlanDocument) -> bytes:
    """A Word decision amending the seed, as provinces publish one: its own number, and an
    appendix listing only the tasks it changes or adds, under the plan's numbers and under no
    group heading (task 20 is in group III of the plan, task 40 in group V)."""
    rows = {r.number: r for r in seed.tasks}
    document = Document()
    top = document.add_table(rows=2, cols=2)
    top.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM"
    top.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    top.cell(1, 0).text = "Số: 245/QĐ-UBND"
    top.cell(1, 1).text = "Quảng Nam, ngày 15 tháng 7 năm 2025"
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Về việc sửa đổi, bổ sung Kế hoạch số 1534/KH-UBND")
    document.add_paragraph("PHỤ LỤC")
    task_table(document, [
        ["20", rows["20"].title, rows["20"].leads, rows["20"].coordinators, "12/2026",
         rows["20"].expected_output],
        ["40", rows["40"].title + " trên địa bàn tỉnh", rows["40"].leads,
         rows["40"].coordinators, rows["40"].deadline, rows["40"].expected_output],
        ["61", "Xây dựng sàn giao dịch công nghệ của tỉnh", "Sở Khoa học và Công nghệ",
         "Sở Công Thương", "2026", "Sàn giao dịch"],
    ])
    return save(document)


def test_a_word_amending_decision_listing_only_its_changes_is_recorded_citing_it(
        ledger: TenantLedger, seed_path: Path) -> None:
    data = amending_decision(read_plan_document(seed_path))
    document = read_plan_bytes(data, "qd-245-QD-UBND.docx", require_number=False)
    assert document.header.number == "245/QĐ-UBND"
    sha256 = hashlib.sha256(data).hexdigest()
    preview = preview_revision(ledger, ledger.plan(PLAN), document, sha256, partial=True)
    assert [(d.reference, d.kinds) for d in preview.diff.changes] == [
        ("20", ("deadline_changed",)), ("40", ("reworded",)), ("61", ("added",))]
    ledger.handle(RevisePlan(plan=PLAN, document=document, sha256=sha256, amending=DECISION,
                             partial=True), DOST)
    assert ledger.task("20", PLAN).deadline.text == "12/2026"
    assert ledger.task("40", PLAN).title.endswith("trên địa bàn tỉnh")
    # The decision's own date: the changes take effect then.
    assert ledger.task("61", PLAN).deadline.text == "2026"
    entry = TenantQueries(ledger.app).history("20", PLAN)[-1]
    assert (entry.document, entry.effective_on) == (DECISION, ON)


def test_the_change_log_says_only_the_kinds_of_change_the_revision_made(
        ledger: TenantLedger) -> None:
    revise(ledger)
    (entry,) = TenantQueries(ledger.app).changes(ChangeFilter(types=("plan_revised",))).entries
    assert entry.params["group_changed"] == entry.params["target_changed"] == 0
    assert audit_text(entry, "vi") == (
        f"Sửa đổi bởi {DECISION}: thêm nhiệm vụ 1, bãi bỏ nhiệm vụ 1, sửa nội dung 1, "
        "điều chỉnh thời hạn 1, đổi cơ quan chủ trì 1")
    assert audit_text(entry, "en") == (
        f"Revised by {DECISION}: added 1, removed 1, reworded 1, deadline changed 1, "
        "lead changed 1")
    # An entry recorded before some kinds were counted holds no count for them.
    earlier = replace(entry, params={"amending": DECISION, "amending_on": None,
                                     "added": 0, "reworded": 2})
    assert audit_text(earlier, "vi") == f"Sửa đổi bởi {DECISION}: sửa nội dung 2"
