"""The links an append makes with its events (on PostgreSQL computed by the server, in the
append's round trip) are byte for byte those the verifier computes from the stored events,
whether the chain before them was bound by appends or by the follower."""

from __future__ import annotations

from integrity.canonical import EMPTY_HEAD, link_entries
from service.commands import Context, ImportPlan, ReportProgress
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.integration.test_ledger_core import small_plan


def _links_as_stored(integrity: TenantIntegrity) -> list[tuple[int, int, bytes, bytes]]:
    head = integrity.store.head()
    return [(k.position, k.leaf_index, k.leaf_hash, k.chain_hash)
            for k in integrity.store.links_after(0, head.position, 100_000)]


def _links_recomputed(integrity: TenantIntegrity) -> list[tuple[int, int, bytes, bytes]]:
    links, _ = link_entries(EMPTY_HEAD, list(integrity.entries_after(0)))
    return [(k.position, k.leaf_index, k.leaf_hash, k.chain_hash) for k in links]


def test_links_made_with_the_events_are_those_the_verifier_computes(tenancy: Tenancy) -> None:
    tenancy.create_tenant("quang-nam", "Quảng Nam")
    ledger = tenancy.ledger("quang-nam", for_writing=True)
    ledger.handle(ImportPlan(document=small_plan(), sha256="sha"), Context(actor="root"))
    integrity = TenantIntegrity(tenancy.application("quang-nam"))
    # The chain so far rebuilt by the follower, then the log grows by appends.
    with integrity.store.db.transaction() as cursor:
        cursor.execute("DELETE FROM integrity_chain WHERE tenant = :t", {"t": "quang-nam"})
        cursor.execute("DELETE FROM integrity_tracking WHERE tenant = :t", {"t": "quang-nam"})
    integrity.chain()
    for percent in (10, 20, 30):
        ledger.handle(ReportProgress(task="1", period="2025-Q1", percent=percent,
                                     narrative=f"Báo cáo {percent} %"),
                      Context(actor="root"))
    stored = _links_as_stored(integrity)
    assert stored == _links_recomputed(integrity)
    assert stored[-1][0] == tenancy.application("quang-nam").recorder.max_notification_id()
    assert integrity.verify().ok
