"""Turn a plan document into the aggregates that record it, and the warnings it raised."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.agencies import AgencyName, split_agencies
from domain.deadlines import DeadlineKind, parse_deadline
from domain.errors import DomainError
from domain.indicator import Indicator
from domain.messages import Message, message
from domain.plan import Plan
from domain.plan_document import IndicatorRow, PlanDocument, TaskRow
from domain.provenance import Provenance
from domain.targets import parse_target
from domain.task import Task
from domain.text import fold


@dataclass
class PlanAggregates:
    plan: Plan
    tasks: list[Task]
    indicators: list[Indicator]
    agencies: dict[str, AgencyName] = field(default_factory=dict)  # key -> name, all named
    warnings: list[Message] = field(default_factory=list)
    # Registered agencies by their current name folded (fold(name) -> key), for names typed
    # by hand: an agency renamed since it was registered keeps the key of its first name.
    registered: Mapping[str, str] = field(default_factory=dict)


def build_plan(document: PlanDocument, sha256: str, provenance: Provenance) -> PlanAggregates:
    header = document.header
    if not header.number:
        raise DomainError("import.no_plan_number", field="number")
    _check_unique([t.number for t in document.tasks], "task")
    _check_unique([i.code for i in document.indicators], "indicator")
    plan = Plan(
        number=header.number,
        title=header.title,
        issued_on=header.issued_on,
        place=header.place,
        issuing_body=header.issuing_body,
        signer=header.signer,
        signer_title=header.signer_title,
        legal_basis=header.legal_basis,
        groups=tuple((g.code, g.title) for g in document.groups),
        task_numbers=tuple(t.number for t in document.tasks),
        indicator_codes=tuple(i.code for i in document.indicators),
        source_format=document.source_format,
        source_sha256=sha256,
        provenance=provenance,
    )
    built = PlanAggregates(plan=plan, tasks=[], indicators=[])
    built.tasks = [build_task(plan, row, provenance, built) for row in document.tasks]
    built.indicators = [
        build_indicator(plan.id, row, provenance, built) for row in document.indicators
    ]
    return built


def agency_keys(cell: str, built: PlanAggregates) -> tuple[str, ...]:
    keys = []
    for name in split_agencies(cell):
        key = built.registered.get(fold(name.name))
        if key is None:
            key = name.key
            built.agencies.setdefault(key, name)
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def build_task(plan: Plan, row: TaskRow, provenance: Provenance, built: PlanAggregates) -> Task:
    """A task row of the plan as its aggregate: the deadline parsed (kept as text with a
    warning when it is not understood), the agencies split and named by key, coordinators
    that also lead dropped. Imports and tasks typed in by hand both come through here."""
    return Task(**task_fields(plan, row, provenance, built))


def task_fields(plan: Plan, row: TaskRow, provenance: Provenance, built: PlanAggregates
                ) -> dict[str, Any]:
    """What `Task.Added` records of a row, read as `build_task` says."""
    deadline = parse_deadline(row.deadline)
    if deadline.kind is DeadlineKind.UNPARSED:
        built.warnings.append(message(
            "import.deadline_kept_as_text", number=row.number, row=row.source_row,
            deadline=row.deadline, warning=deadline.warning_message or deadline.warning))
    leads = agency_keys(row.leads, built)
    if not leads:
        built.warnings.append(message("import.no_lead", number=row.number, row=row.source_row))
    coordinators = tuple(k for k in agency_keys(row.coordinators, built) if k not in leads)
    return {
        "plan_id": plan.id, "plan_issued_on": plan.issued_on, "group_code": row.group_code,
        "number": row.number, "title": row.title, "leads": leads,
        "coordinators": coordinators, "leads_text": row.leads,
        "coordinators_text": row.coordinators, "expected_output": row.expected_output,
        "deadline": deadline, "extra": dict(row.extra), "provenance": provenance,
    }


def build_indicator(
    plan_id: UUID, row: IndicatorRow, provenance: Provenance, built: PlanAggregates
) -> Indicator:
    """An indicator row as its aggregate: the target parsed, the agencies named by key."""
    return Indicator(**indicator_fields(plan_id, row, provenance, built))


def indicator_fields(plan_id: UUID, row: IndicatorRow, provenance: Provenance,
                     built: PlanAggregates) -> dict[str, Any]:
    """What `Indicator.Defined` records of an indicator row."""
    return dict(
        plan_id=plan_id,
        code=row.code,
        name=row.name,
        unit=row.unit,
        target=parse_target(row.target, row.unit),
        responsible=agency_keys(row.responsible, built),
        responsible_text=row.responsible,
        horizon_year=row.horizon_year,
        is_heading=row.is_heading,
        parent_code=row.parent_code,
        extra=dict(row.extra),
        provenance=provenance,
    )


def _check_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            if what == "task":
                raise DomainError("import.task_twice", field=what, value=value)
            raise DomainError("import.indicator_twice", field=what, value=value)
        seen.add(value)
