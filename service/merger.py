"""A tenant merged into another: the old one archived as it stands, the new one continuing.

On 01/07/2025 Quảng Nam was merged into Đà Nẵng: the city carries on both provinces' plans.
`merge` does, for each old tenant, in an order that a retry completes and never repeats:

1. archive it with where it went and from when (the registry): from then on it records
   nothing, so its log can no longer move under the merger;
2. take its final tree head (verified, and signed when keys are configured): nothing is
   written into its log, so its chain, tree and earlier checkpoints stay exactly as they were;
3. in one transaction of the new tenant's log: its plans as distinct plans of the new
   catalogue, the agencies they name, every task with its state there (status, deadline,
   reports, requests and directions, each citing its origin) and its indicators, and last a
   `TenantLineage` recording the old head, so an auditor can prove the continuation. The
   lineage's id is the old slug's: a second run finds it and records nothing again;
4. with `grants="move"`, re-issue each grant held on the old tenant on the new one (the old
   grants stay: an archive takes no command, they only keep its history readable); an agency
   reporter's grant whose agency the new tenant does not register is skipped, and listed.

Closed tasks are carried too, as closed: the city's reports on plan 1534 count the whole
plan (done on time, late, cancelled), as the province's did. Who leads a task is carried as
it stood on the merger date: an agency succeeded before then is replaced by its successors.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from eventsourcing.domain import Aggregate

from domain.agency import Agency
from domain.clock import Clock
from domain.errors import DomainError, NotFound
from domain.evidence import EvidenceFile
from domain.indicator import Indicator
from domain.lineage import TenantLineage
from domain.plan import Plan
from domain.provenance import Provenance
from domain.task import Task
from domain.text import clean
from domain.text import fold as folded
from integrity.verify import Report
from projections import codec
from projections.plan_state import PlanState, TaskView
from projections.responsibility import canonical, carriers
from projections.specs import fold
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from service.queries import read_events
from service.tenancy import Tenancy
from tenants.files import FileStore
from tenants.registry import ACTIVE, Tenant

log = logging.getLogger(__name__)
GRANT_CHOICES = ("keep", "move")


@dataclass(frozen=True)
class SkippedGrant:
    """An agency reporter's grant not re-issued on the new tenant: its agency is not in the
    new tenant's register (the standing body grants it anew once it is)."""

    principal: str
    agency: str  # as the old tenant names it


@dataclass(frozen=True)
class MergerResult:
    old: str
    into: str
    merged_on: date
    recorded: bool  # False when a previous run had recorded it already
    plans: tuple[str, ...]
    tasks: int
    tree_size: int
    root_hash: str  # hex
    signed: bool  # the old head was signed (a checkpoint) before the merger
    position: int | None  # the new log's position of the lineage, when recorded now
    grants: int  # grants re-issued on the new tenant
    skipped_grants: tuple[SkippedGrant, ...] = ()  # grants="move": those not re-issued


class TenantMerger:
    def __init__(self, tenancy: Tenancy, key_dir: Path | None = None,
                 clock: Clock | None = None) -> None:
        self.tenancy = tenancy
        self.key_dir = key_dir or tenancy.key_dir
        self.clock = clock  # records the merger at its instants (a replayed history)

    def merge(self, olds: Sequence[str], into: str, on: date, *, actor: str,
              decision_ref: str = "", grants: str = "keep") -> list[MergerResult]:
        """Merge each of `olds` into `into` from `on` (see the module's docstring)."""
        if grants not in GRANT_CHOICES:
            raise DomainError("tenant_merge.bad_grants", field="grants", grants=grants)
        new = self._target(into)
        wanted = list(dict.fromkeys(olds))
        if not wanted:
            raise DomainError("tenant_merge.needs_old", field="old")
        tenants = [self._old(slug, new, on) for slug in wanted]
        self._check_plans_distinct(tenants, new)
        return [self._merge_one(old, new, on, actor, clean(decision_ref), grants)
                for old in tenants]

    # -- checks --------------------------------------------------------------------------

    def _target(self, slug: str) -> Tenant:
        new = self.tenancy.registry.get(slug)
        if new.status != ACTIVE:
            raise DomainError("tenant_merge.target_archived", field="into", tenant=new.slug)
        if self.tenancy.replicas.find(new.slug) is not None:
            raise DomainError("tenant_merge.replica", field="into", tenant=new.slug)
        return new

    def _check_plans_distinct(self, olds: list[Tenant], new: Tenant) -> None:
        """Before anything is archived: the plans still to carry are distinct from one
        another and from the new tenant's (each tenant's catalogue alone is read)."""
        target = self.tenancy.ledger(new.slug)
        seen = {folded(n).replace(" ", ""): n for n in target.catalogue().plans}
        for old in olds:
            if target.existing(TenantLineage.create_id(old.slug)) is not None:
                continue  # carried by an earlier run
            for number in self.tenancy.ledger(old.slug).catalogue().plans:
                key = folded(number).replace(" ", "")
                if key in seen:
                    raise DomainError("tenant_merge.plan_taken", field="into", plan=number,
                                      tenant=new.slug)
                seen[key] = number

    def _old(self, slug: str, new: Tenant, on: date) -> Tenant:
        old = self.tenancy.registry.get(slug)
        if old.slug == new.slug:
            raise DomainError("tenant_merge.into_itself", field="old", tenant=old.slug)
        if self.tenancy.replicas.find(old.slug) is not None:
            raise DomainError("tenant_merge.replica", field="old", tenant=old.slug)
        if old.merged_into is not None and (old.merged_into, old.merged_on) != (new.slug, on):
            raise DomainError("tenant_merge.already_merged", field="old", tenant=old.slug,
                              into=old.merged_into)
        if old.merged_into is None and old.status != ACTIVE:
            raise DomainError("tenant_merge.old_archived", field="old", tenant=old.slug)
        if old.simulated != new.simulated:  # a simulated history never mixes with real data
            raise DomainError("tenant_merge.simulated_mismatch", field="old", tenant=old.slug,
                              into=new.slug)
        return old

    # -- one old tenant ------------------------------------------------------------------

    def _merge_one(self, old: Tenant, new: Tenant, on: date, actor: str, decision_ref: str,
                   grants: str) -> MergerResult:
        ledger = self.tenancy.ledger(new.slug, for_writing=True, clock=self.clock)
        existing = ledger.existing(TenantLineage.create_id(old.slug))
        if isinstance(existing, TenantLineage):  # recorded by an earlier run
            position, lineage = None, existing
        else:
            position, lineage = self._carry(old, new, ledger, on, actor, decision_ref)
        moved, skipped = (self._move_grants(old.slug, new.slug, actor) if grants == "move"
                          else (0, ()))
        return MergerResult(old.slug, new.slug, on, position is not None, lineage.plans,
                            lineage.tasks, lineage.tree_size, lineage.root_hash,
                            bool(lineage.checkpoint), position, moved, skipped)

    def _carry(self, old: Tenant, new: Tenant, ledger: TenantLedger, on: date, actor: str,
               decision_ref: str) -> tuple[int | None, TenantLineage]:
        """Check, archive, take the final head, then record everything in one step."""
        old_app = self.tenancy.application(old.slug)
        state, last_effective = _whole_state(old_app)
        if last_effective is not None and last_effective > on and old.merged_into is None:
            raise DomainError("tenant_merge.events_after_date", field="merged_on",
                              tenant=old.slug, last=last_effective.isoformat(),
                              on=on.isoformat())
        carrier = Carrier(ledger, old, state, on, actor)
        carrier.check_plans_free()
        integrity = TenantIntegrity(old_app, self.key_dir)
        head, checkpoint = integrity.final_head(actor)  # refuses a log that fails to verify
        self.tenancy.registry.mark_merged(old.slug, new.slug, on)
        if (old_app.recorder.max_notification_id() or 0) > head.last_position:
            # A command admitted before the archiving committed since: it is the last one.
            head, checkpoint = integrity.final_head(actor)
        fold(read_events(old_app, state.position, stop=head.last_position), state=state)
        aggregates = carrier.aggregates(self.tenancy, old_app.slug)
        lineage = TenantLineage(
            old_tenant=old.slug, old_name=old.display_name,
            old_admin_code=old.admin_code or "", merged_on=on, decision_ref=decision_ref,
            tree_size=head.tree_size, last_position=head.last_position,
            root_hash=head.root_hash.hex(), chain_hash=head.chain_hash.hex(),
            checkpoint=checkpoint.to_dict() if checkpoint else {},
            plans=carrier.plan_numbers(), tasks=len(carrier.tasks),
            provenance=Provenance(actor, on))
        # One transaction: everything carried, then the lineage (which a retry finds).
        position = ledger.commit(*aggregates, lineage, on_conflict=DomainError(
            "tenant_merge.concurrent", field="into", tenant=new.slug))
        log.info("tenant %s merged into %s from %s: %d tasks carried", old.slug, new.slug,
                 on.isoformat(), lineage.tasks)
        return position, lineage

    def _move_grants(self, old: str, new: str, actor: str
                     ) -> tuple[int, tuple[SkippedGrant, ...]]:
        """How many grants were re-issued on the new tenant, and those skipped."""
        access = self.tenancy.access
        ledger, old_ledger = self.tenancy.ledger(new), self.tenancy.ledger(old)
        moved, skipped = 0, []
        for principal in access.principals():
            held = {(g.role, g.agency) for g in principal.grants if g.tenant == new}
            for grant in sorted((g for g in principal.grants if g.tenant == old),
                                key=lambda g: (g.role.value, g.agency)):
                agencies = _agency_in(ledger, grant.agency)
                if not agencies:
                    skipped.append(SkippedGrant(principal.name,
                                                _agency_name(old_ledger, grant.agency)))
                for agency in agencies:
                    if (grant.role, agency) in held:
                        continue
                    access.grant(principal.name, grant.role.value, new, agency, actor)
                    held.add((grant.role, agency))
                    moved += 1
        return moved, tuple(skipped)


# -- the auditor's side ------------------------------------------------------------------------

def lineages(tenancy: Tenancy, slug: str) -> list[TenantLineage]:
    """The mergers recorded in a tenant's log, oldest merger first."""
    ledger = tenancy.ledger(slug)
    found = [ledger.existing(TenantLineage.create_id(t.slug))
             for t in tenancy.registry.merged_into(tenancy.registry.get(slug).slug)]
    return sorted((f for f in found if isinstance(f, TenantLineage)),
                  key=lambda x: (x.merged_on, x.old_tenant))


def check_continuation(tenancy: Tenancy, slug: str, report: Report) -> TenantLineage:
    """The merger a verified bundle of an old tenant continues into `slug`: refused unless
    the bundle verifies and ends exactly at the tree head the new log recorded."""
    if not report.ok:
        raise DomainError("tenant_merge.bundle_fails", field="bundle", tenant=report.tenant)
    lineage = next((x for x in lineages(tenancy, slug) if x.old_tenant == report.tenant),
                   None)
    if lineage is None:
        raise NotFound("tenant_merge.no_lineage", field="bundle", tenant=report.tenant,
                       into=slug)
    recorded = (lineage.tree_size, lineage.root_hash, lineage.chain_hash)
    if (report.entries, report.root_hash.hex(), report.chain_hash.hex()) != recorded:
        raise DomainError("tenant_merge.bundle_not_continued", field="bundle",
                          tenant=report.tenant, into=slug, entries=report.entries,
                          tree_size=lineage.tree_size)
    return lineage


def _agency_in(ledger: TenantLedger, key: str) -> tuple[str, ...]:
    """The agency of a grant as the new tenant knows it: the same key when registered
    there, else nothing (the standing body grants it anew)."""
    if not key:
        return ("",)
    try:
        return (ledger.agency(key).key,)
    except NotFound:
        return ()


def _agency_name(ledger: TenantLedger, key: str) -> str:
    try:
        return ledger.agency(key).name
    except NotFound:
        return key


def _whole_state(app: Any) -> tuple[PlanState, date | None]:
    """The old tenant's state from its whole log, and the latest effective date in it."""
    last: list[date] = []

    def events() -> Iterable[tuple[int, Any]]:
        for position, event in read_events(app):
            provenance = getattr(event, "provenance", None)
            if provenance is not None:
                last.append(provenance.effective_on)
            yield position, event

    state = fold(events())
    return state, max(last, default=None)


class Carrier:
    """What the new tenant records of an old one's plans: built, not yet saved."""

    def __init__(self, ledger: TenantLedger, old: Tenant, state: PlanState, on: date,
                 actor: str) -> None:
        self.ledger, self.old, self.state, self.on = ledger, old, state, on
        self.provenance = Provenance(actor, on)
        self.tasks: list[Task] = []

    def plan_numbers(self) -> tuple[str, ...]:
        return tuple(sorted(p.number for p in self.state.plans.values()))

    def check_plans_free(self) -> None:
        """The new tenant holds none of the old plans: they stay distinct."""
        listed = self.ledger.catalogue().plans
        for view in self.state.plans.values():
            if view.number in listed or self.ledger.existing(view.id) is not None:
                raise DomainError("tenant_merge.plan_taken", field="into", plan=view.number,
                                  tenant=self.ledger.app.slug)

    def aggregates(self, tenancy: Tenancy, old_slug: str) -> list[Aggregate]:
        old_app = tenancy.application(old_slug)
        self.check_plans_free()
        catalogue = self.ledger.catalogue()
        held: list[Any] = [old_app.repository.get(i.id) for i in self.state.indicators.values()]
        plans = []
        for view in self.state.plans.values():
            plan: Any = old_app.repository.get(view.id)
            catalogue.add_plan(plan.id, plan.number)
            plans.append(self._plan(plan, tuple(i.code for i in held
                                                if i.plan_id == plan.id)))
        indicators = [self._indicator(i) for i in held]
        self.tasks = [self._task(t) for t in self.state.sorted_tasks()]
        agencies = self._agencies([*self.tasks, *indicators])
        self._copy_files(tenancy, old_slug)
        return [catalogue, *plans, *agencies, *self.tasks, *indicators]

    def _resolved(self, keys: Iterable[str], closed_on: date | None) -> tuple[str, ...]:
        """Agencies as they stand on the merger date: successors in place of those they
        succeeded, one name for aliases."""
        return tuple(dict.fromkeys(
            canonical(self.state, c) for k in keys
            for c in carriers(self.state, canonical(self.state, k), self.on, closed_on)))

    def _plan(self, plan: Any, indicator_codes: tuple[str, ...]) -> Plan:
        return Plan(
            number=plan.number, title=plan.title, issued_on=plan.issued_on, place=plan.place,
            issuing_body=plan.issuing_body, signer=plan.signer,
            signer_title=plan.signer_title, legal_basis=plan.legal_basis, groups=plan.groups,
            task_numbers=tuple(t.number for t in self.state.sorted_tasks()
                               if t.plan_id == plan.id),
            indicator_codes=indicator_codes,
            source_format=plan.source_format, source_sha256=plan.source_sha256,
            provenance=self.provenance)

    def _task(self, task: TaskView) -> Task:
        closed_on = task.completed_on if task.state == "completed" else None
        leads = self._resolved(task.leads, closed_on)
        plan = self.state.plans[task.plan_id]
        return Task.carry(
            origin={"tenant": self.old.slug, "tenant_name": self.old.display_name,
                    "plan": plan.number, "number": task.number, "task_id": str(task.id)},
            carried=_carried(task),
            plan_id=task.plan_id, plan_issued_on=plan.issued_on, group_code=task.group_code,
            number=task.number, title=task.title, leads=leads,
            coordinators=tuple(k for k in self._resolved(task.coordinators, closed_on)
                               if k not in leads),
            leads_text=task.leads_text, coordinators_text=task.coordinators_text,
            expected_output=task.expected_output, deadline=task.deadline,
            extra=dict(task.extra), provenance=self.provenance)

    def _indicator(self, indicator: Any) -> Indicator:
        view = self.state.indicators[indicator.id]
        plan = self.state.plans[indicator.plan_id]
        held: dict[str, Any] = codec.encode({"original_target": view.original_target,
                                             "values": view.values})
        return Indicator.carry(
            origin={"tenant": self.old.slug, "tenant_name": self.old.display_name,
                    "plan": plan.number, "code": indicator.code},
            carried=held,
            plan_id=indicator.plan_id, code=indicator.code, name=indicator.name,
            unit=indicator.unit, target=indicator.target,
            responsible=self._resolved(indicator.responsible, None),
            responsible_text=indicator.responsible_text,
            horizon_year=indicator.horizon_year, is_heading=indicator.is_heading,
            parent_code=indicator.parent_code, extra=dict(indicator.extra),
            provenance=self.provenance)

    def _agencies(self, items: Iterable[Any]) -> list[Agency]:
        """The agencies the carried items name that the new tenant lacks (the same key is
        the same agency: the city's Sở Khoa học và Công nghệ is the merged department)."""
        keys: dict[str, None] = {}
        for item in items:
            names = (item.leads + item.coordinators if isinstance(item, Task)
                     else item.responsible)
            keys.update(dict.fromkeys(names))
        return [Agency(key=key, name=self.state.agency_name(key),
                       is_collective=key in self.state.collectives, provenance=self.provenance)
                for key in keys if self.ledger.existing(Agency.create_id(key)) is None]

    def _copy_files(self, tenancy: Tenancy, old_slug: str) -> None:
        """The evidence files the carried reports and requests cite, into the new tenant's
        store (content-addressed: copying twice stores once)."""
        storage = tenancy.storage
        source = FileStore(storage.tenant_database(old_slug), old_slug)
        target = self.ledger.files
        for cited in _cited_files(self.state.tasks.values()):
            content = source.content(cited.sha256)
            if content is not None:
                target.put(content, cited.name)


def _carried(task: TaskView) -> dict[str, Any]:
    """The task's state in the old tenant's read models, as JSON the event carries."""
    held: dict[str, Any] = codec.encode({
        "state": task.state, "completed_on": task.completed_on,
        "output_document": task.output_document, "triggered_on": task.triggered_on,
        "original_deadline": task.original_deadline, "deadline_changes": task.deadline_changes,
        "slip_days": task.slip_days, "reports": task.reports, "completions": task.completions,
        "extensions": task.extensions, "directions": task.directions,
    })
    return held


def _cited_files(tasks: Iterable[TaskView]) -> Iterable[EvidenceFile]:
    for task in tasks:
        for report in task.reports:
            yield from report.files
        for completion in task.completions:
            yield from completion.files
        for extension in task.extensions:
            yield from extension.files
        for direction in task.directions:
            for answer in direction.answers:
                yield from answer.files
