"""Several processes, each with several threads, report progress on one tenant at once (as
gunicorn's workers do): every report is recorded exactly once, none is lost, the hash chain
holds every event, and a writer that cannot get its turn in time is refused with the store's
own busy error (answered 503) rather than left waiting."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

from domain.task import Task
from service.commands import ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tenants.availability import unavailable_reason
from tenants.write_turns import write_turn
from tests.integration.test_ledger_core import DOST, seed_ledger

PROCESSES, THREADS, REPORTS = 3, 2, 6
TASKS = ("1", "2", "3", "4", "5", "6")  # one per writing thread, so writers never conflict
TENANT = "quang-nam"


def _write(settings: Settings, process: int, done: multiprocessing.Queue[list[str]]) -> None:
    tenancy = build_tenancy(settings, migrate=False)
    written: list[str] = []

    def thread(index: int) -> None:
        task = TASKS[process * THREADS + index]
        for number in range(REPORTS):
            narrative = f"p{process} t{index} n{number}"
            try:
                tenancy.ledger(TENANT, for_writing=True).handle(
                    ReportProgress(task=task, period="2025-Q2", percent=number,
                                   narrative=narrative),
                    DOST)
            except Exception as exc:  # reported to the test, which names it
                written.append(f"{narrative}: {exc!r}")
            else:
                written.append(narrative)

    try:
        threads = [threading.Thread(target=thread, args=(i,)) for i in range(THREADS)]
        for each in threads:
            each.start()
        for each in threads:
            each.join()
    finally:
        tenancy.close()
        done.put(written)


def _narratives(tenancy: Tenancy) -> Counter[str]:
    """The narrative of every progress report in the tenant's log, with its count."""
    app = tenancy.application(TENANT)
    found = (app.mapper.to_domain_event(n)
             for n in app.recorder.select_notifications(start=1, limit=1_000_000))
    return Counter(e.narrative for e in found if isinstance(e, Task.ProgressReported))


def test_writers_in_several_processes_each_record_every_report_once(
    tenancy: Tenancy, settings: Settings, seed_path: Path
) -> None:
    seed_ledger(tenancy, seed_path, TENANT)
    before = _narratives(tenancy)
    done: multiprocessing.Queue[list[str]] = multiprocessing.get_context("fork").Queue()
    writers = [multiprocessing.get_context("fork").Process(target=_write,
                                                           args=(settings, p, done))
               for p in range(PROCESSES)]
    for writer in writers:
        writer.start()
    written = [n for _ in writers for n in done.get(timeout=300)]
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0

    expected = {f"p{p} t{t} n{n}" for p in range(PROCESSES) for t in range(THREADS)
                for n in range(REPORTS)}
    assert sorted(written) == sorted(expected)
    recorded = _narratives(tenancy) - before
    assert set(recorded) == expected
    assert all(count == 1 for count in recorded.values())
    assert TenantIntegrity(tenancy.application(TENANT)).verify_live().ok


def test_a_writer_whose_turn_does_not_come_in_time_is_told_the_database_is_busy(
    tmp_path: Path,
) -> None:
    database = tmp_path / "tenant.sqlite3"
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_turn(database).held():
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(60)
        with pytest.raises(sqlite3.OperationalError, match="database is locked") as refused, \
                write_turn(database).held(timeout=0.2):
            pass  # pragma: no cover - the turn is another writer's
        assert unavailable_reason(refused.value) == "database-busy"  # answered 503
    finally:
        release.set()
        holder.join(60)
    with write_turn(database).held(timeout=60):  # the holder has let go: the turn comes
        pass
