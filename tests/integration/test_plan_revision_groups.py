"""A revision that moves a task to another group, renames a group, adds an indicator and
removes another, on both stores: recorded as events citing the amending decision, effective
on its date; the plan as known and as effective before shows none of it, after shows all of
it; a removed indicator keeps its history and stops counting; the change log and the
baseline comparison show each; the same document again records nothing."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from domain.errors import DomainError
from domain.periods import ReportingPeriod
from importers import read_plan_document
from projections.change_log import ChangeFilter
from service.commands import CommandResult, Context, ImportPlan, RevisePlan
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.revision import preview_revision, revision_json
from service.tenancy import Tenancy
from tests.fixtures import REGROUPED_SEED

DOST = Context(actor="dost:nguyen-van-a")
PLAN = "1534/KH-UBND"
DECISION = "Quyết định số 512/QĐ-UBND"
ON = date(2025, 8, 20)
SHA = hashlib.sha256(REGROUPED_SEED.read_bytes()).hexdigest()
RENAMED = "gắn với bảo đảm an ninh mạng"


@pytest.fixture
def ledger(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
    ledger = tenancy.ledger("quang-nam", for_writing=True)
    ledger.handle(ImportPlan(document=read_plan_document(seed_path),
                             sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), DOST)
    return ledger


def revise(ledger: TenantLedger) -> CommandResult:
    result = ledger.handle(RevisePlan(
        plan=PLAN, document=read_plan_document(REGROUPED_SEED), sha256=SHA,
        amending=DECISION, amending_on=ON), Context(DOST.actor, ON))
    assert isinstance(result, CommandResult)
    return result


def test_the_preview_shows_the_move_the_new_title_and_the_indicators_and_records_nothing(
        ledger: TenantLedger) -> None:
    before = sum(1 for _ in read_events(ledger.app))
    preview = preview_revision(ledger, ledger.plan(PLAN), read_plan_document(REGROUPED_SEED),
                               SHA)
    shown = revision_json(preview, TenantQueries(ledger.app).state().agencies)
    (change,) = shown["changes"]
    assert (change["task"], change["kinds"], change["group"], change["moved_to"]["code"]) == (
        "9", ["group_changed"], "I", "II")
    assert change["moved_to"]["title"].startswith("Khẩn trương, quyết liệt hoàn thiện")
    (renamed,) = shown["groups_renamed"]
    assert renamed["code"] == "III" and renamed["after"].endswith(RENAMED)
    assert [(i["indicator"], i["target"]) for i in shown["indicators_added"]] == [("32", "≥ 70")]
    assert [i["indicator"] for i in shown["indicators_removed"]] == ["31"]
    assert shown["new_groups"] == []
    assert sum(1 for _ in read_events(ledger.app)) == before


def test_applying_records_each_change_citing_the_decision_and_the_read_models_follow(
        ledger: TenantLedger) -> None:
    result = revise(ledger)
    assert {k: n for k, n in result.detail["counts"].items() if n} == {
        "group_changed": 1, "group_renamed": 1, "indicator_added": 1, "indicator_removed": 1}
    recorded = [e for _, e in read_events(ledger.app)][-result.detail["events"]:]
    assert sorted(type(e).__qualname__ for e in recorded) == [
        "Indicator.AddedByAmendment", "Indicator.Removed", "Plan.GroupRenamed", "Plan.Revised",
        "Task.GroupChanged"]
    for event in recorded:
        assert event.provenance.effective_on == ON
        assert getattr(event, "decision_ref", DECISION) == DECISION

    reads = TenantQueries(ledger.app)
    state = reads.state()
    tasks = {t.number: t for t in state.tasks.values()}
    assert tasks["9"].group_code == "II" and len(tasks) == 60
    (plan,) = state.plans.values()
    assert plan.groups["III"].endswith(RENAMED)
    progress = {i.code: i for i in reads.indicators()}
    assert progress["32"].target == "≥ 70" and not progress["32"].removed_by
    assert progress["31"].removed_by == DECISION and progress["31"].met is None
    (row,) = [i for i in reads.indicator_list() if i.code == "31"]
    assert (row.removed_by, row.removed_on) == (DECISION, ON)
    # Nothing is deleted: the removed indicator keeps its history, and takes no new value.
    with pytest.raises(DomainError) as refused:
        ledger.indicator("31", PLAN).report_value(
            ReportingPeriod.parse("2025"), Decimal(1), "Sở KH&CN", ledger.provenance(DOST))
    assert refused.value.code == "indicator.removed"


def test_the_plan_as_known_and_as_effective_before_the_revision_shows_none_of_it(
        ledger: TenantLedger) -> None:
    imported = datetime.now().astimezone()
    revise(ledger)
    reads = TenantQueries(ledger.app)
    for state in (reads.state(known_at=imported),
                  reads.state(effective_on=ON - timedelta(days=1))):
        tasks = {t.number: t for t in state.tasks.values()}
        (plan,) = state.plans.values()
        codes = {i.code: i for i in state.indicators.values()}
        assert tasks["9"].group_code == "I" and not plan.groups["III"].endswith(RENAMED)
        assert "32" not in codes and not codes["31"].removed_by
    after = reads.state(effective_on=ON)
    assert {t.number: t for t in after.tasks.values()}["9"].group_code == "II"
    assert {i.code: i for i in after.indicators.values()}["31"].removed_by == DECISION


def test_the_change_log_and_the_baseline_comparison_show_each_change(
        ledger: TenantLedger) -> None:
    imported = datetime.now().astimezone()
    revise(ledger)
    reads = TenantQueries(ledger.app)
    entries = reads.changes(ChangeFilter(types=(
        "group_changed", "group_renamed", "indicator_added", "indicator_removed"))).entries
    assert sorted((e.subject, e.change_type) for e in entries) == [
        ("indicator 31", "indicator_removed"), ("indicator 32", "indicator_added"),
        ("plan 1534/KH-UBND", "group_renamed"), ("task 9", "group_changed")]
    for entry in entries:
        assert (entry.actor, entry.effective_on, entry.document) == (DOST.actor, ON, DECISION)
    moved = next(e for e in entries if e.change_type == "group_changed")
    assert moved.changes["group"] == ("I", "II")
    diff = reads.diff(imported, imported + timedelta(days=1))
    assert {("group_changed", "task 9"), ("group_renamed", "group III"),
            ("indicator_added", "indicator 32"), ("indicator_removed", "indicator 31"),
            ("plan_revised", "plan 1534/KH-UBND")} <= {(i.kind, i.subject) for i in diff.items}


def test_the_same_document_applied_again_records_nothing(ledger: TenantLedger) -> None:
    revise(ledger)
    count = sum(1 for _ in read_events(ledger.app))
    again = revise(ledger)
    assert not again.detail["recorded"]
    assert sum(1 for _ in read_events(ledger.app)) == count
