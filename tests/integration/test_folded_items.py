"""Each process keeps the items its commands saved and folds only the events recorded since:
what a command sees is still the item as stored, whoever wrote it, and a command that
failed leaves nothing of its changes behind."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.errors import Conflict, DomainError
from domain.task import Task
from service.commands import Context, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.folded import Folded
from service.ledger import TenantLedger
from service.recording import IdempotentRequest, idempotent
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore, KeyAlreadyRecorded, StoredResponse
from tests.integration.test_ledger_core import small_ledger
from tests.integration.test_snapshots import command

DOST = Context(actor="dost-officer")


def report(ledger: TenantLedger, percent: int, narrative: str = "") -> None:
    ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=percent,
                                 narrative=narrative or f"{percent} phần trăm"), DOST)


def task_id(ledger: TenantLedger) -> UUID:
    return ledger.task("1").id


def kept(ledger: TenantLedger, item: UUID) -> Folded:
    """The item as this process keeps it (given back, so that it stays kept)."""
    folded = ledger.app.folded.take(item)
    assert folded is not None, "the process keeps no folded item"
    ledger.app.folded.give(folded)
    return folded


def stored(ledger: TenantLedger, item: UUID) -> dict[str, Any]:
    """The item folded from its stored events alone, as a fresh process would fold it."""
    return vars(ledger.app.repository.get(item))


def test_a_kept_item_is_the_item_its_stored_events_fold_into(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    first = kept(ledger, item).aggregate
    for step in range(60):  # every kind of change, and past a snapshot
        command(ledger, step)
        assert kept(ledger, item).aggregate is first  # changed in place, never read whole
        assert vars(first) == stored(ledger, item)


def test_a_write_by_another_process_is_seen_by_the_next_command(
    settings: Settings, tenancy: Tenancy
) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    report(ledger, 10)
    assert kept(ledger, item).version == 2

    other = build_tenancy(settings)  # another process, on the same store
    try:
        report(other.ledger("demo", for_writing=True), 20)
    finally:
        other.close()

    report(ledger, 30)
    assert [r.percent for r in kept(ledger, item).aggregate.reports] == [10, 20, 30]
    assert vars(kept(ledger, item).aggregate) == stored(ledger, item)


def test_a_command_that_fails_after_changing_its_item_leaves_it_as_stored(
    tenancy: Tenancy,
) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    report(ledger, 10)

    def fail(result: Any) -> StoredResponse:
        raise RuntimeError("the answer cannot be written")

    keys = IdempotencyStore(tenancy.storage.tenant_database("demo"))
    with idempotent(IdempotentRequest(keys, "demo", "k-1", "f", respond=fail)):
        with pytest.raises(RuntimeError):  # the report was made, then rolled back
            report(ledger, 50, "không ghi được")

    report(ledger, 20)
    assert [r.percent for r in kept(ledger, item).aggregate.reports] == [10, 20]
    assert vars(kept(ledger, item).aggregate) == stored(ledger, item)


def test_a_refused_command_leaves_the_kept_item_as_stored(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    report(ledger, 10)
    with pytest.raises(DomainError) as refused:
        report(ledger, 150)
    assert refused.value.code == "report.percent_range"
    report(ledger, 20)
    assert [r.percent for r in kept(ledger, item).aggregate.reports] == [10, 20]


def test_a_retried_key_puts_back_nothing_it_changed(tenancy: Tenancy) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    keys = IdempotencyStore(tenancy.storage.tenant_database("demo"))

    def once() -> None:
        request = IdempotentRequest(keys, "demo", "k-2", "f",
                                    respond=lambda result: StoredResponse(201, "{}", {}))
        with idempotent(request):
            report(ledger, 40)

    once()
    with pytest.raises(KeyAlreadyRecorded):
        once()
    report(ledger, 60)
    assert [r.percent for r in kept(ledger, item).aggregate.reports] == [40, 60]
    assert vars(kept(ledger, item).aggregate) == stored(ledger, item)


def test_a_write_between_a_load_and_its_save_is_still_a_conflict(
    settings: Settings, tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = small_ledger(tenancy)
    item = task_id(ledger)
    report(ledger, 10)
    other = build_tenancy(settings)
    bring_up = ledger.app.bring_up

    def then_another_process_writes(*args: Any, **kwargs: Any) -> Any:
        loaded = bring_up(*args, **kwargs)
        report(other.ledger("demo", for_writing=True), 20)
        return loaded

    try:
        monkeypatch.setattr(ledger.app, "bring_up", then_another_process_writes)
        with pytest.raises(Conflict) as refused:
            report(ledger, 30)
        monkeypatch.undo()
    finally:
        other.close()
    assert refused.value.code == "conflict.concurrent_change"

    report(ledger, 40)  # the next command sees the other process's report
    task = kept(ledger, item).aggregate
    assert isinstance(task, Task)
    assert [r.percent for r in task.reports] == [10, 20, 40]
