"""Reads as known at a past time, folded from the fold checkpoints, answer as the fold of
every event from the start, across checkpoint boundaries, on both stores; and a rebuild
from scratch gives back the same read models, checkpoints included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.clock import Clock
from domain.errors import NotFound
from domain.plan_document import IndicatorRow, PlanDocument, PlanHeader, TaskGroup, TaskRow
from projections import details, projector
from projections.checkpoints import in_order
from projections.plan_status import plan_status
from projections.specs import fold
from projections.store import view_documents
from projections.summary import summarise
from service.commands import (
    ChangeDeadline,
    CompleteTask,
    Context,
    ImportPlan,
    ReassignTask,
    ReportProgress,
    ReturnReport,
    VerifyReport,
)
from service.merger import TenantMerger
from service.queries import TenantQueries, read_events
from service.tenancy import Tenancy

DOST = Context(actor="dost")
AGENCIES = ("Sở Khoa học và Công nghệ", "Sở Y tế", "Sở Nội vụ")


def plan(number: str) -> PlanDocument:
    return PlanDocument(
        header=PlanHeader(number=number, title=f"Kế hoạch {number}",
                          issued_on=date(2025, 2, 27)),
        groups=(TaskGroup("I", "Nhóm I"),),
        tasks=tuple(TaskRow("I", str(n), f"Nhiệm vụ {n}", AGENCIES[n % 3], "", "Kế hoạch",
                            f"{n + 2}/2025") for n in range(1, 5)),
        indicators=(IndicatorRow("1", "Tỉ lệ dịch vụ công trực tuyến", "%", "≥ 80",
                                 AGENCIES[0], 2030),),
    )


def stored(queries: TenantQueries) -> dict[str, Any]:
    """Every read model of the tenant as the store keeps it."""
    store = queries.store
    with store.db.transaction(write=False) as cursor:
        return {"views": view_documents(store.load(cursor)),
                "rows": store.row_documents(cursor),
                "checkpoints": store.checkpoint_documents(cursor),
                "reports": store.report_position_documents(cursor),
                "entries": [e.to_dict() for e in store.all_entries(cursor)],
                "position": store.position()}


@pytest.mark.parametrize("every", [3, 7])
def test_as_known_at_from_checkpoints_answers_as_the_fold_from_the_start(
    tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    monkeypatch.setattr(projector, "CHECKPOINT_EVERY", every)
    tenancy.create_tenant("demo", "Tỉnh thử")
    ledger = tenancy.ledger("demo", for_writing=True)
    queries = tenancy.queries("demo")
    moments = [datetime.now(UTC) - timedelta(days=1)]  # before anything was recorded

    def record(command: Any) -> None:
        ledger.handle(command, DOST)
        moments.append(datetime.now(UTC))

    record(ImportPlan(document=plan("7/KH-UBND"), sha256="a"))
    for n in range(1, 13):
        task, period = str(n % 4 + 1), ("2025-Q1", "2025-Q2", "2025")[n % 3]
        record(ReportProgress(task=task, plan="7/KH-UBND", period=period, percent=8 * n,
                              narrative=f"Lần {n}"))
        if n % 3 == 0:  # the report just made (its task's n // 4 + 1st)
            record(VerifyReport(task=task, plan="7/KH-UBND", report=(n - 1) // 4 + 1))
        if n % 4 == 0:
            queries.refresh()  # some events caught up one by one, some together
    # Reports made several checkpoints ago, returned now: those tasks' earlier reports count.
    record(ReturnReport(task="2", plan="7/KH-UBND", report=1, reason="Thiếu số liệu"))
    record(ReturnReport(task="3", plan="7/KH-UBND", report=3, reason="Sai kỳ"))
    record(ChangeDeadline(task="1", plan="7/KH-UBND", deadline="12/2025", reason="Chờ vốn"))
    record(ReassignTask(task="4", plan="7/KH-UBND", leads=(AGENCIES[2],), reason="Đổi"))
    queries.refresh()
    record(ImportPlan(document=plan("8/KH-UBND"), sha256="b"))  # tasks numbered alike
    record(ReportProgress(task="1", plan="8/KH-UBND", period="2025", percent=40,
                          narrative="Kế hoạch mới"))
    record(CompleteTask(task="2", plan="7/KH-UBND", output_document="10/KH-UBND",
                        completed_on=date(2025, 4, 1)))
    head = queries.refresh()
    with queries.store.db.transaction(write=False) as cursor:
        assert len(queries.store.checkpoint_documents(cursor)) >= head // every - 1
    found = queries.store.checkpoint_for(moments[-1], head)
    assert found is not None and found[0] > head - every

    on = date(2025, 6, 30)
    for moment in moments:
        whole = fold(read_events(queries.app), known_at=moment)
        reads = tenancy.queries("demo")  # nothing cached from an earlier moment
        assert view_documents(reads.state(known_at=moment)) == view_documents(whole)
        rows = in_order(whole.task_rows())
        assert reads.status(on, known_at=moment) == plan_status(whole, on, rows)
        assert reads.summary(on, known_at=moment) == summarise(whole, on, tasks=rows)
        for plan_view in whole.plans.values():
            for task in whole.tasks.values():
                if task.plan_id != plan_view.id:
                    continue
                for latest in (None, 2):
                    assert reads.task_detail(
                        task.number, plan_view.number, on, latest, known_at=moment,
                    ) == details.task_detail(whole, task.number, plan_view.id, on, latest)
        if not whole.tasks:
            with pytest.raises(NotFound):
                reads.task_detail("1", None, on, known_at=moment)

    before = stored(queries)
    assert queries.check() == []
    queries.rebuild()
    assert stored(queries) == before
    assert queries.check() == []


def test_check_sees_a_report_said_to_be_made_at_another_position(tenancy: Tenancy) -> None:
    tenancy.create_tenant("demo", "Tỉnh thử")
    ledger = tenancy.ledger("demo", for_writing=True)
    ledger.handle(ImportPlan(document=plan("7/KH-UBND"), sha256="a"), DOST)
    ledger.handle(ReportProgress(task="1", period="2025", percent=10, narrative="a"), DOST)
    ledger.handle(ReturnReport(task="1", report=1, reason="Thiếu"), DOST)
    queries = tenancy.queries("demo")
    queries.refresh()
    assert queries.check() == []
    with queries.store.db.transaction() as cursor:
        cursor.execute("UPDATE rm_task_reports SET decided = decided + 1 WHERE tenant = :t",
                       {"t": "demo"})
    assert any(d.what.startswith("report positions") for d in queries.check())
    queries.rebuild()
    assert queries.check() == []


def test_reports_carried_from_a_merged_tenant_are_known_as_they_were_carried(
    tenancy: Tenancy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(projector, "CHECKPOINT_EVERY", 3)
    for slug in ("old", "new"):
        tenancy.create_tenant(slug, f"Tỉnh {slug}")
    old = tenancy.ledger("old", for_writing=True)
    old.handle(ImportPlan(document=plan("7/KH-UBND"), sha256="a"), DOST)
    for n in (1, 2, 3):
        old.handle(ReportProgress(task="1", period="2025", percent=10 * n, narrative="x"), DOST)
    old.handle(ReturnReport(task="1", report=2, reason="Thiếu"), DOST)
    old.handle(VerifyReport(task="1", report=1), DOST)
    TenantMerger(tenancy, tmp_path / "keys").merge(("old",), "new", Clock().today(),
                                                     actor="admin")
    moments = [datetime.now(UTC)]
    new = tenancy.ledger("new", for_writing=True)
    for command in (ReportProgress(task="1", period="2025", percent=50, narrative="y"),
                    ReturnReport(task="1", report=3, reason="Sai"),
                    ReportProgress(task="2", period="2025", percent=5, narrative="z")):
        new.handle(command, DOST)
        moments.append(datetime.now(UTC))
    queries = tenancy.queries("new")
    queries.refresh()
    assert queries.check() == []
    on = date(2025, 6, 30)
    for moment in moments:
        whole = fold(read_events(queries.app), known_at=moment)
        reads = tenancy.queries("new")
        assert view_documents(reads.state(known_at=moment)) == view_documents(whole)
        assert reads.status(on, known_at=moment) == plan_status(whole, on,
                                                                in_order(whole.task_rows()))
        (plan_id,) = whole.plans
        assert reads.task_detail("1", None, on, known_at=moment) == details.task_detail(
            whole, "1", plan_id, on)
