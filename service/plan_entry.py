"""Plans typed in by hand: a plan with no table to import is created from its header, then
given its groups, tasks and indicators one command at a time.

Each step records the events an import records (`Plan.Issued`, `Task.Added`,
`Indicator.Defined`, `Agency.Registered`) built by the same code (service/plan_import.py),
so a plan typed in and the same plan imported read the same. Only a group added to a plan
already issued has an event of its own (`Plan.GroupAdded`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.agency import Agency
from domain.errors import AlreadyExists, DomainError
from domain.indicator import Indicator
from domain.plan import Plan
from domain.plan_document import IndicatorRow, PlanDocument, PlanHeader, TaskRow
from domain.provenance import Provenance
from domain.task import Task
from domain.text import fold, nfc
from importers.builder import DEFAULT_GROUP
from service.commands import (
    AddGroup,
    AddIndicator,
    AddTask,
    CommandResult,
    Context,
    CreatePlan,
)
from service.handlers import Outcome, handles
from service.plan_import import PlanAggregates, build_indicator, build_plan, build_task
from service.queries import TenantQueries

if TYPE_CHECKING:
    from service.ledger import TenantLedger

TYPED_IN = "manual"  # the source format of a plan typed in by hand


def reference(text: str) -> str:
    """A task number or indicator code as the ledger keys it: "5." is task 5."""
    return nfc(text).rstrip(".").strip()


@handles(CreatePlan)
def create_plan(ledger: TenantLedger, command: CreatePlan, ctx: Context) -> Outcome:
    number = nfc(command.number)
    if not number:
        raise DomainError("plan.needs_number", field="number")
    refusal = AlreadyExists("plan.exists", field="number", number=number)
    if ledger.existing(Plan.create_id(number)) is not None:
        raise refusal
    header = PlanHeader(
        number=number, title=nfc(command.title), issued_on=command.issued_on,
        place=nfc(command.place), issuing_body=nfc(command.issuer), signer=nfc(command.signer),
        signer_title=nfc(command.signer_title),
        legal_basis=tuple(basis for basis in map(nfc, command.legal_basis) if basis),
    )
    document = PlanDocument(header=header, groups=(), tasks=(), indicators=(),
                            source_format=TYPED_IN)
    issued = Context(ctx.actor, ctx.effective_on or header.issued_on, ctx.agency)
    plan = build_plan(document, "", ledger.provenance(issued)).plan
    catalogue = ledger.catalogue()
    catalogue.add_plan(plan.id, plan.number)
    return Outcome((catalogue, plan), lambda position: CommandResult(
        plan.id, plan.version, position, {"number": plan.number}), on_conflict=refusal)


def _as_issued(ledger: TenantLedger, plan: Plan, ctx: Context) -> Provenance:
    """A plan's parts take effect when the plan was issued, as an import records them."""
    return ledger.provenance(Context(ctx.actor, ctx.effective_on or plan.issued_on, ctx.agency))


@handles(AddGroup)
def add_group(ledger: TenantLedger, command: AddGroup, ctx: Context) -> Outcome:
    plan = ledger.plan(command.plan)
    ledger.check_version(plan, ctx)
    plan.add_group(reference(command.code), nfc(command.title), _as_issued(ledger, plan, ctx))
    return Outcome((plan,), lambda position: CommandResult(
        plan.id, plan.version, position, {"plan": plan.number, "group": reference(command.code)}))


def _group(plan: Plan, code: str, provenance: Provenance) -> tuple[str, bool]:
    """The group a task goes in, and whether it had to be added: a plan with no group gets
    the one an import gives tasks listed under no group heading."""
    if code:
        return plan.group_code(code), False
    if not plan.groups:
        plan.add_group(DEFAULT_GROUP.code, DEFAULT_GROUP.title, provenance)
        return DEFAULT_GROUP.code, True
    if len(plan.groups) == 1:
        return plan.groups[0][0], False
    raise DomainError("plan.group_needed", field="group",
                      groups=[known for known, _ in plan.groups])


def _registered(ledger: TenantLedger) -> dict[str, str]:
    """The register's agencies by their current name, folded."""
    agencies = TenantQueries(ledger.app).state().agencies
    return {fold(name): key for key, name in agencies.items()}


def _new_agencies(ledger: TenantLedger, built: PlanAggregates,
                  provenance: Provenance) -> list[Agency]:
    return [Agency.register(name, provenance) for key, name in built.agencies.items()
            if Agency.create_id(key) not in ledger.app.repository]


@handles(AddTask)
def add_task(ledger: TenantLedger, command: AddTask, ctx: Context) -> Outcome:
    plan = ledger.plan(command.plan)
    number, title = reference(command.number), nfc(command.title)
    if not number:
        raise DomainError("task.needs_number", field="number")
    if not title:
        raise DomainError("task.needs_title", field="title")
    refusal = AlreadyExists("task.exists", field="number", number=number, plan=plan.number)
    if Task.create_id(plan.id, number) in ledger.app.repository:
        raise refusal
    provenance = _as_issued(ledger, plan, ctx)
    group, group_added = _group(plan, nfc(command.group).rstrip("."), provenance)
    row = TaskRow(group_code=group, number=number, title=title, leads=nfc(command.leads),
                  coordinators=nfc(command.coordinators),
                  expected_output=nfc(command.expected_output), deadline=nfc(command.deadline))
    built = PlanAggregates(plan=plan, tasks=[], indicators=[], registered=_registered(ledger))
    task = build_task(plan, row, provenance, built)
    agencies = _new_agencies(ledger, built, provenance)
    detail: dict[str, Any] = {
        "plan": plan.number, "number": number, "group": group, "group_added": group_added,
        "deadline": {**task.deadline.to_dict(), "meaning": task.deadline.describe_vi()},
        "new_agencies": [agency.name for agency in agencies],
    }
    changed = (plan,) if group_added else ()
    return Outcome((*changed, *agencies, task), lambda position: CommandResult(
        task.id, task.version, position, detail), on_conflict=refusal)


@handles(AddIndicator)
def add_indicator(ledger: TenantLedger, command: AddIndicator, ctx: Context) -> Outcome:
    plan = ledger.plan(command.plan)
    code, name = reference(command.code), nfc(command.name)
    if not code:
        raise DomainError("indicator.needs_code", field="code")
    if not name:
        raise DomainError("indicator.needs_name", field="name")
    refusal = AlreadyExists("indicator.exists", field="code", code=code, plan=plan.number)
    if Indicator.create_id(plan.id, code) in ledger.app.repository:
        raise refusal
    unit, target = nfc(command.unit), nfc(command.target)
    row = IndicatorRow(
        code=code, name=name, unit=unit, target=target, responsible=nfc(command.responsible),
        horizon_year=command.horizon_year,
        # As an import reads it: a row with neither unit nor target heads the rows under it.
        is_heading=not unit and not target,
        parent_code=code.rsplit(".", 1)[0] if "." in code else None,
    )
    provenance = _as_issued(ledger, plan, ctx)
    built = PlanAggregates(plan=plan, tasks=[], indicators=[], registered=_registered(ledger))
    indicator = build_indicator(plan.id, row, provenance, built)
    agencies = _new_agencies(ledger, built, provenance)
    detail = {"plan": plan.number, "code": code, "heading": indicator.is_heading,
              "new_agencies": [agency.name for agency in agencies]}
    return Outcome((*agencies, indicator), lambda position: CommandResult(
        indicator.id, indicator.version, position, detail), on_conflict=refusal)
