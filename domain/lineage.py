"""A tenant merged into this one: where its plans came from, and the proof of its last state.

When a province is merged into another (Quảng Nam into Đà Nẵng on 01/07/2025), the old
tenant's log is left exactly as it was and archived; the new tenant's log records one
`TenantLineage` per old tenant, carrying the old log's final tree head (size, Merkle root,
chain hash, last position, and the signed checkpoint of that head when keys are configured).
An auditor holding the old tenant's export checks that its head is the one recorded here,
so the continuation is provable in both directions."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.clock import recorded_now
from domain.provenance import Provenance

_LINEAGE_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:lineage")


class TenantLineage(Aggregate):
    """One per tenant merged into this one; its identity is the old tenant's slug, so a
    merger is recorded once however often it is retried."""

    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

    @staticmethod
    def create_id(old_tenant: str) -> UUID:
        return uuid5(_LINEAGE_NAMESPACE, old_tenant)

    class MergerRecorded(Aggregate.Created):
        old_tenant: str
        old_name: str
        old_admin_code: str
        merged_on: date
        decision_ref: str
        tree_size: int
        last_position: int
        root_hash: str  # hex
        chain_hash: str  # hex
        checkpoint: dict[str, str]  # {"body", "signature"} of the signed final head, or {}
        plans: tuple[str, ...]  # the plans carried, by number
        tasks: int  # how many tasks were carried
        provenance: Provenance

    @event(MergerRecorded)
    def __init__(
        self, *, old_tenant: str, old_name: str, old_admin_code: str, merged_on: date,
        decision_ref: str, tree_size: int, last_position: int, root_hash: str,
        chain_hash: str, checkpoint: dict[str, str], plans: tuple[str, ...], tasks: int,
        provenance: Provenance,
    ) -> None:
        self.old_tenant = old_tenant
        self.old_name = old_name
        self.old_admin_code = old_admin_code
        self.merged_on = merged_on
        self.decision_ref = decision_ref
        self.tree_size = tree_size
        self.last_position = last_position
        self.root_hash = root_hash
        self.chain_hash = chain_hash
        self.checkpoint = dict(checkpoint)
        self.plans = tuple(plans)
        self.tasks = tasks
