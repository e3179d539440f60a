"""Reads on a PostgreSQL hot standby (R57_READ_DATABASE_URL), commands on the primary, the
read models kept by the projector on the primary and replicated with the log: a read after
a command sees it, a standby that lags is read past, and after the primary is lost the
promoted standby holds every acknowledged command with a chain that verifies.

Two clusters of this test's own, started from the local PostgreSQL binaries (initdb,
pg_basebackup, standby.signal), replicating synchronously so that no acknowledged command
can be lost at promotion."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import psycopg
import pytest

from importers import read_plan_document
from server.projector import run_projector
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.queries import ReadWait
from service.tenancy import Tenancy
from tests.faults.harness import Cluster, free_port, postgres_bin

pytestmark = pytest.mark.postgres
DOST = Context("dost.lan")
SLUG = "quang-nam"
ON = date(2026, 1, 1)


class Standby(Cluster):
    """A hot standby of `primary`, copied with pg_basebackup -R (standby.signal)."""

    def __init__(self, bindir: Path, primary: Cluster) -> None:
        self.bindir, self.port = bindir, free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="r57-standby-pg-"))
        self._as = []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                  "postgres", "-D", str(self.dir / "data"), "-R", "-X", "stream", "--no-sync")

    def promote(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-w", "promote")


@dataclass
class Pair:
    primary: Cluster
    standby: Standby


@pytest.fixture
def pair() -> Iterator[Pair]:
    bindir = postgres_bin()
    assert bindir is not None, "the PostgreSQL binaries (initdb, pg_basebackup) are needed"
    primary = Cluster(bindir)  # initialised and started
    standby: Standby | None = None
    try:
        standby = Standby(bindir, primary)
        standby.start()
        with psycopg.connect(primary.url, autocommit=True) as conn:
            # Synchronous: a command is acknowledged once the standby holds it.
            conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            conn.execute("SELECT pg_reload_conf()")
        yield Pair(primary, standby)
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()


def _settings(pair: Pair, **more: object) -> Settings:
    return replace(Settings(database_url=pair.primary.url, read_database_url=pair.standby.url),
                   **more)


def _report(tenancy: Tenancy, percent: int) -> int:
    result = tenancy.ledger(SLUG, for_writing=True).handle(
        ReportProgress(task="5", period="2025-Q2", percent=percent, narrative="Tiến độ"), DOST)
    return int(result.position or 0)


def test_reads_go_to_the_standby_and_see_the_command_just_made(
        pair: Pair, seed_path: Path) -> None:
    settings = _settings(pair)
    tenancy = build_tenancy(settings)
    stop = threading.Event()
    projector = threading.Thread(target=run_projector, args=(settings, stop), daemon=True)
    try:
        tenancy.create_tenant(SLUG, "Quảng Nam", None)
        tenancy.ledger(SLUG, for_writing=True).handle(ImportPlan(
            document=read_plan_document(seed_path),
            sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), DOST)
        projector.start()
        for percent in (10, 20, 30):
            position = _report(tenancy, percent)
            reads = tenancy.queries(SLUG)
            assert reads.task_detail("5", None, ON).last_report_percent == percent
            assert reads.on_standby and reads.read_primary == 0 and reads.caught_up_here == 0
            assert reads.store.position() >= position
        with psycopg.connect(pair.standby.url) as conn, pytest.raises(
                psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE nothing_here (x int)")  # the standby takes no write

        stop.set()  # without the projector the standby's read models fall behind
        projector.join(10)
        slow = replace(settings, read_wait_seconds=0.3)
        tenancy.read_wait = ReadWait(slow.read_wait_seconds)
        _report(tenancy, 40)
        reads = tenancy.queries(SLUG)
        assert reads.task_detail("5", None, ON).last_report_percent == 40  # never stale
        assert reads.read_primary == 1 and not reads.on_standby
    finally:
        stop.set()
        tenancy.close()


def test_the_promoted_standby_holds_every_acknowledged_command(
        pair: Pair, seed_path: Path) -> None:
    tenancy = build_tenancy(_settings(pair))
    acknowledged: list[int] = []
    try:
        tenancy.create_tenant(SLUG, "Quảng Nam", None)
        tenancy.ledger(SLUG, for_writing=True).handle(ImportPlan(
            document=read_plan_document(seed_path),
            sha256=hashlib.sha256(seed_path.read_bytes()).hexdigest()), DOST)
        acknowledged = [_report(tenancy, p) for p in range(5, 50, 5)]
    finally:
        tenancy.close()
    pair.primary.stop("immediate")  # the primary is lost
    pair.standby.promote()
    deadline = time.monotonic() + 30
    while True:  # the promoted standby accepts writes once it has left recovery
        with psycopg.connect(pair.standby.url, autocommit=True) as conn:
            row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        if (row is not None and not row[0]) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    promoted = build_tenancy(Settings(database_url=pair.standby.url))  # reconfigured
    try:
        app = promoted.application(SLUG)
        assert (app.recorder.max_notification_id() or 0) >= max(acknowledged)
        assert TenantIntegrity(app, None).verify_live().ok
        after = _report(promoted, 55)  # it is the primary now
        assert after > max(acknowledged)
        reads = promoted.queries(SLUG)
        assert reads.task_detail("5", None, ON).last_report_percent == 55
    finally:
        promoted.close()
