"""Task snapshots on both stores: a cache that never changes what a task is, never shows
up as an event, and never weakens optimistic concurrency."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.deadlines import parse_deadline
from domain.errors import Conflict
from domain.task import Report, Task
from service.application import TASK_SNAPSHOT_INTERVAL, LedgerApplication
from service.commands import (
    ChangeDeadline,
    Context,
    ReassignTask,
    ReportProgress,
    ResumeTask,
    ReturnReport,
    SuspendTask,
    VerifyReport,
)
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy
from tests.integration.test_ledger_core import small_ledger

DOST = Context(actor="dost-officer")
LEADS = (["Sở Y tế"], ["Sở Tài chính"]), (["Sở Khoa học và Công nghệ"], ["Sở Y tế"])


def command(ledger: TenantLedger, step: int, ctx: Context = DOST) -> None:
    """One of the task's commands, varied so every part of its state changes."""
    task = ledger.task("1")
    kind = step % 7
    if kind == 0:
        leads, coordinators = LEADS[step // 7 % 2]
        ledger.handle(ReassignTask(
            task="1", leads=tuple(leads), coordinators=tuple(coordinators), reason=f"lý do {step}",
            decision_ref=f"QĐ {step}"), ctx)
    elif kind == 1:
        ledger.handle(ChangeDeadline(
            task="1", deadline=("6/2025", "9/2025")[step % 2], reason=f"lùi {step}",
            decision_ref=""), ctx)
    elif kind == 2 and task.status == "open":
        ledger.handle(SuspendTask(task="1", reason=f"tạm dừng {step}", decision_ref=""), ctx)
    elif task.status == "suspended":
        ledger.handle(ResumeTask(task="1", reason=f"tiếp tục {step}", decision_ref=""), ctx)
    elif kind == 5 and task.reports and task.reports[-1].state == "submitted":
        if step % 2:
            ledger.handle(VerifyReport(
                task="1", report=task.reports[-1].number, note=f"đạt {step}"), ctx)
        else:
            ledger.handle(ReturnReport(
                task="1", report=task.reports[-1].number, reason=f"bổ sung {step}"), ctx)
    else:
        ledger.handle(ReportProgress(
            task="1", period="2025-Q1", percent=step % 101, narrative=f"tiến độ {step}"), ctx)


def fold(app: LedgerApplication, task_id: UUID, version: int | None = None) -> Any:
    """The task as its events alone make it, without any snapshot."""
    task: Any = None
    for event in app.events.get(task_id, lte=version):
        task = event.mutate(task)
    return task


def snapshot_versions(app: LedgerApplication, task_id: UUID) -> list[int]:
    assert app.snapshots is not None
    return [s.originator_version for s in app.snapshots.get(task_id)]


def grow(ledger: TenantLedger, until: int) -> Task:
    step = 0
    while ledger.task("1").version < until:
        command(ledger, step)
        step += 1
    return ledger.task("1")


def assert_same(loaded: Any, folded: Any) -> None:
    assert type(loaded) is Task
    assert vars(loaded) == vars(folded)
    # JSON has no tuples and no Report: the snapshot must give back the same types.
    assert {k: type(v) for k, v in vars(loaded).items()} == {
        k: type(v) for k, v in vars(folded).items()}
    assert all(type(r) is Report for r in loaded.reports)


def test_a_long_task_loads_from_its_snapshot_exactly_as_its_events_fold(
    tenancy: Tenancy,
) -> None:
    ledger = small_ledger(tenancy)
    task = grow(ledger, 2 * TASK_SNAPSHOT_INTERVAL + 17)
    app = ledger.app
    assert snapshot_versions(app, task.id) == [TASK_SNAPSHOT_INTERVAL, 2 * TASK_SNAPSHOT_INTERVAL]
    assert task.reports and isinstance(task.leads, tuple)
    assert {r.state for r in task.reports} >= {"submitted", "verified", "returned"}
    assert_same(app.repository.get(task.id), fold(app, task.id))
    for version in range(1, task.version + 1, 7):  # past versions, before and after snapshots
        assert_same(app.repository.get(task.id, version=version), fold(app, task.id, version))
    # A fresh application (another worker) reads the same snapshot.
    fresh = LedgerApplication("demo", tenancy.storage)
    try:
        assert_same(fresh.repository.get(task.id), fold(app, task.id))
    finally:
        fresh.close()


def test_a_stale_or_missing_snapshot_never_loses_later_events(
    tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = small_ledger(tenancy)
    app = ledger.app
    assert app.snapshots is not None
    task = grow(ledger, TASK_SNAPSHOT_INTERVAL + 3)
    assert snapshot_versions(app, task.id) == [TASK_SNAPSHOT_INTERVAL]

    # The next snapshot cannot be written: the command is still recorded and reported as
    # such, and loads fold from the older snapshot.
    def refuse(*_: Any, **__: Any) -> None:
        raise RuntimeError("snapshots table unavailable")

    monkeypatch.setattr(app.snapshots, "put", refuse)
    task = grow(ledger, 2 * TASK_SNAPSHOT_INTERVAL + 5)
    monkeypatch.undo()
    assert snapshot_versions(app, task.id) == [TASK_SNAPSHOT_INTERVAL]
    assert task.version == 2 * TASK_SNAPSHOT_INTERVAL + 5
    assert_same(app.repository.get(task.id), fold(app, task.id))

    # A snapshot taken long before the head: every event after it still applies.
    app.take_snapshot(task.id, version=7)
    command(ledger, 1)
    assert_same(app.repository.get(task.id), fold(app, task.id))
    assert app.repository.get(task.id).version == 2 * TASK_SNAPSHOT_INTERVAL + 6


def test_optimistic_concurrency_still_conflicts_across_a_snapshot(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    app = ledger.app
    task = grow(ledger, TASK_SNAPSHOT_INTERVAL - 1)
    other = TenantLedger(tenancy.application("demo"))
    # Both writers read version 49; the first writes version 50 and its snapshot.
    first, second = ledger.task("1"), other.task("1")
    first.change_deadline(parse_deadline("3/2026"), "a", "", ledger.provenance(DOST))
    second.change_deadline(parse_deadline("4/2026"), "b", "", other.provenance(DOST))
    ledger.commit(first)
    with pytest.raises(Conflict):
        other.commit(second)
    assert snapshot_versions(app, task.id) == [TASK_SNAPSHOT_INTERVAL]
    loaded = ledger.task("1")
    assert loaded.version == TASK_SNAPSHOT_INTERVAL
    assert loaded.deadline.text == "3/2026"
    assert_same(loaded, fold(app, task.id))
    # Loaded from the snapshot, an expected version is checked as before.
    stale = Context(actor="a", expected_version=TASK_SNAPSHOT_INTERVAL)
    ledger.handle(ChangeDeadline(
        task="1", deadline="6/2025", reason="first writer", decision_ref=""), stale)
    with pytest.raises(Conflict) as conflicted:
        ledger.handle(ChangeDeadline(
            task="1", deadline="9/2025", reason="second writer", decision_ref=""), stale)
    assert conflicted.value.params["current"] == TASK_SNAPSHOT_INTERVAL + 1
    # Two writers both holding the snapshotted version: one wins.
    a, b = ledger.task("1"), other.task("1")
    a.suspend("x", "", ledger.provenance(DOST))
    b.cancel("y", "", other.provenance(DOST))
    ledger.commit(a)
    with pytest.raises(Conflict):
        other.commit(b)
    assert ledger.task("1").status == "suspended"


def test_snapshots_are_not_events_the_feed_chain_and_read_models_do_not_see_them(
    tenancy: Tenancy,
) -> None:
    ledger = small_ledger(tenancy)
    app = ledger.app
    task = grow(ledger, 2 * TASK_SNAPSHOT_INTERVAL + 1)
    assert snapshot_versions(app, task.id) == [TASK_SNAPSHOT_INTERVAL, 2 * TASK_SNAPSHOT_INTERVAL]
    events = list(read_events(app))
    assert [p for p, _ in events] == list(range(1, len(events) + 1))
    assert all(not type(e).__name__.endswith("Snapshot") for _, e in events)
    assert sum(e.originator_id == task.id for _, e in events) == task.version
    assert app.recorder.max_notification_id() == len(events)
    report = TenantIntegrity(app).verify()
    assert report.ok and report.entries + report.pending == len(events)
    assert TenantQueries(app).check() == []


def test_migrate_gives_existing_tenants_a_snapshots_table_idempotently(
    tenancy: Tenancy,
) -> None:
    ledger = small_ledger(tenancy)
    task_id = ledger.task("1").id
    table = ("t_demo_snapshots" if tenancy.storage.events_table("demo") != "stored_events"
             else "stored_snapshots")
    database = tenancy.storage.tenant_database("demo")
    with database.transaction() as cursor:  # a tenant provisioned before snapshots
        cursor.execute(f"DROP TABLE {table}")
    tenancy.migrate()
    tenancy.migrate()
    grow(ledger, TASK_SNAPSHOT_INTERVAL)
    with database.transaction(write=False) as cursor:
        cursor.execute(f"SELECT count(*) AS n FROM {table}")  # a constant, not input
        assert cursor.fetchone() == {"n": 1}
    assert snapshot_versions(ledger.app, task_id) == [TASK_SNAPSHOT_INTERVAL]
