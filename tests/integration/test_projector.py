"""Read models kept by the projector process: a read waits for the projector to reach the
log's head (its own write included) instead of catching up itself; when the projector is
late or stopped, the read catches up and is still never stale. On both stores."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from importers import read_plan_document
from server.projector import Projector, project_once, run_projector
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy

DOST = Context("dost.lan")


def _seed(tenancy: Tenancy, slug: str, seed: Path) -> None:
    tenancy.create_tenant(slug, slug, None)
    tenancy.ledger(slug, for_writing=True).handle(ImportPlan(
        document=read_plan_document(seed), sha256=hashlib.sha256(seed.read_bytes()).hexdigest()),
        DOST)


@pytest.fixture
def following(settings: Settings, seed_path: Path) -> Iterator[Tenancy]:
    """A service whose reads follow a projector (the projector itself is each test's)."""
    tenancy = build_tenancy(replace(settings, projector=True, read_wait_seconds=5.0))
    _seed(tenancy, "quang-nam", seed_path)
    yield tenancy
    tenancy.close()


def test_a_read_waits_for_the_projector_and_sees_its_own_write(
        following: Tenancy, settings: Settings) -> None:
    stop = threading.Event()
    projector = threading.Thread(target=run_projector, args=(settings, stop), daemon=True)
    projector.start()
    try:
        for percent in (10, 20, 30):
            written = following.ledger("quang-nam", for_writing=True).handle(ReportProgress(
                task="5", period="2025-Q2", percent=percent, narrative="Tiến độ"), DOST)
            reads = following.queries("quang-nam")
            assert reads.task_detail("5", None, date(2026, 1, 1)).last_report_percent == percent
            assert reads.store.position() >= (written.position or 0)
            assert reads.caught_up_here == 0  # the projector did it; the read only read
    finally:
        stop.set()
        projector.join(10)
    assert not projector.is_alive()


def test_without_the_projector_a_read_catches_up_itself_after_waiting(
        settings: Settings, seed_path: Path) -> None:
    tenancy = build_tenancy(replace(settings, projector=True, read_wait_seconds=0.2))
    try:
        _seed(tenancy, "quang-nam", seed_path)
        tenancy.ledger("quang-nam", for_writing=True).handle(ReportProgress(
            task="5", period="2025-Q2", percent=40, narrative="Tiến độ"), DOST)
        reads = tenancy.queries("quang-nam")
        # never stale
        assert reads.task_detail("5", None, date(2026, 1, 1)).last_report_percent == 40
        assert reads.caught_up_here == 1
        assert reads.lag() == 0
    finally:
        tenancy.close()


def test_one_pass_brings_every_tenant_to_the_head_of_its_log(
        tenancy: Tenancy, seed_path: Path) -> None:
    for slug in ("quang-nam", "da-nang"):
        _seed(tenancy, slug, seed_path)
    applied = project_once(tenancy)
    assert applied > 0
    assert all(tenancy.queries(slug).lag() == 0 for slug in ("quang-nam", "da-nang"))
    assert project_once(tenancy) == 0  # nothing new: nothing applied twice


def _report(tenancy: Tenancy, slug: str, percent: int) -> int:
    written = tenancy.ledger(slug, for_writing=True).handle(ReportProgress(
        task="5", period="2025-Q2", percent=percent, narrative="Tiến độ"), DOST)
    return written.position or 0


def test_the_projector_catches_up_the_tenant_written_to_as_the_write_is_reported(
        following: Tenancy, settings: Settings, seed_path: Path) -> None:
    _seed(following, "da-nang", seed_path)
    projector = Projector(build_tenancy(settings, migrate=False), sweep_every=3600,
                          relist_every=3600)
    try:
        while projector.step(wait=0) or projector.unchecked:  # follows both, catches up
            pass
        assert all(following.queries(s).lag() == 0 for s in ("quang-nam", "da-nang"))
        position = _report(following, "quang-nam", 60)
        assert projector.step(wait=5.0) > 0  # reported, not swept
        assert following.queries("quang-nam").store.position() >= position
        reads = following.queries("quang-nam")
        assert reads.task_detail("5", None, date(2026, 1, 1)).last_report_percent == 60
        assert reads.caught_up_here == 0
        assert following.queries("da-nang").lag() == 0
    finally:
        projector.close()
        projector.tenancy.close()


def test_a_write_made_before_the_projector_followed_is_caught_by_its_sweep(
        following: Tenancy, settings: Settings) -> None:
    position = _report(following, "quang-nam", 70)  # no projector to report it to
    projector = Projector(build_tenancy(settings, migrate=False), sweep_every=3600,
                          relist_every=3600)
    try:
        while projector.step(wait=0) or projector.unchecked:  # its first sweep
            pass
        reads = following.queries("quang-nam")
        assert reads.store.position() >= position
        assert reads.task_detail("5", None, date(2026, 1, 1)).last_report_percent == 70
        assert reads.caught_up_here == 0
        projector.feed.changed(0)  # what the sweep's own writes reported
        assert projector.step(wait=0) == 0  # nothing left behind
        # A write whose report is lost (its catch-up failed, say): the next sweep finds it.
        position = _report(following, "quang-nam", 80)
        projector.feed.changed(5.0)
        assert following.queries("quang-nam").lag() > 0
        assert projector.sweep() > 0
        assert following.queries("quang-nam").store.position() >= position
    finally:
        projector.close()
        projector.tenancy.close()


def test_a_tenant_that_fails_to_project_does_not_stop_the_others(
        tenancy: Tenancy, seed_path: Path) -> None:
    for slug in ("quang-nam", "da-nang", "hue"):
        _seed(tenancy, slug, seed_path)
    events = tenancy.storage.events_table("da-nang")
    with tenancy.storage.tenant_database("da-nang").transaction() as cursor:
        cursor.execute(f"DROP TABLE {events}")
    assert project_once(tenancy) > 0
    assert tenancy.queries("quang-nam").lag() == 0
    assert tenancy.queries("hue").lag() == 0
