"""Each process keeps a tenant's plan catalogue and reads only its new events with the item a
command is about: a plan another process added is seen by the very next command."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from domain.errors import DomainError
from importers import read_plan_document
from service.commands import Context, ImportPlan, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy


def _import(tenancy: Tenancy, path: Path) -> None:
    tenancy.ledger("qn", for_writing=True).handle(ImportPlan(
        document=read_plan_document(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    ), Context("test"))


def test_a_plan_added_by_another_process_is_seen_by_the_next_command(
    settings: Settings, tenancy: Tenancy, seed_path: Path, tmp_path: Path
) -> None:
    tenancy.create_tenant("qn", "Quảng Nam")
    _import(tenancy, seed_path)
    ledger = tenancy.ledger("qn", for_writing=True)
    report = ReportProgress(task="3", period="2025-Q1", percent=10, narrative="Bắt đầu")
    ledger.handle(report, Context("a"))  # this process now keeps a catalogue of one plan
    assert ledger.app.kept_catalogue() is not None

    other = build_tenancy(settings)  # another process adds a second plan
    try:
        second = tmp_path / "second.txt"
        second.write_text(seed_path.read_text(encoding="utf-8").replace(
            "1534/KH-UBND", "1600/KH-UBND"), encoding="utf-8")
        _import(other, second)
    finally:
        other.close()

    with pytest.raises(DomainError) as refused:  # no longer the only plan: name one
        ledger.handle(report, Context("a"))
    assert refused.value.code == "plan.several"
    ledger.handle(ReportProgress(task="3", plan="1600/KH-UBND", period="2025-Q1", percent=20,
                                 narrative="Kế hoạch mới"), Context("a"))
    assert [r.percent for r in ledger.task("3", "1600/KH-UBND").reports] == [20]
    assert [r.percent for r in ledger.task("3", "1534/KH-UBND").reports] == [10]
