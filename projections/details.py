"""What a reader asks of one plan state: a task in full, the indicators with their values,
the agencies and the plans. Pure functions of a `PlanState`; the shapes are dataclasses that
the API's schemas and the CLI's `--json` dump (each shape is stated once, by its schema)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.errors import NotFound
from domain.indicator import Indicator
from domain.targets import Target
from projections.plan_state import (
    CompletionRequestView,
    DirectionView,
    ExtensionRequestView,
    IndicatorValue,
    IndicatorView,
    PlanState,
    ReportView,
    RevisionView,
    TaskOrigin,
    TaskRow,
    TaskView,
)
from projections.plan_status import TaskStatus, task_status


@dataclass(frozen=True)
class TaskDetail(TaskStatus):
    """A task's status with its agencies as the plan wrote them and its reports (every
    one, or the latest when asked; `reports_total` counts them all)."""

    leads_text: str
    coordinators_text: str
    reports: tuple[ReportView, ...]
    completions: tuple[CompletionRequestView, ...] = ()
    extensions: tuple[ExtensionRequestView, ...] = ()
    directions: tuple[DirectionView, ...] = ()
    reports_total: int = 0  # how many reports the task has, shown or not
    origin: TaskOrigin | None = None  # carried over from a merged tenant


@dataclass(frozen=True)
class IndicatorDetail:
    id: UUID
    code: str
    name: str
    unit: str
    target: Target
    horizon_year: int | None
    is_heading: bool
    parent_code: str | None
    responsible: tuple[str, ...]  # agency names
    latest: IndicatorValue | None
    version: int
    values: tuple[IndicatorValue, ...]
    removed_by: str = ""  # the amending document that removed it: it no longer counts
    removed_on: date | None = None


@dataclass(frozen=True)
class AgencyEntry:
    key: str
    name: str
    is_collective: bool
    ended: str = ""  # "succession", "merger", "dissolution", "alias" once it has ended
    ended_on: date | None = None
    successors: tuple[str, ...] = ()  # the names of those who carry on its duties


@dataclass(frozen=True)
class Group:
    code: str
    title: str


@dataclass(frozen=True)
class PlanOutline:
    id: UUID
    number: str
    title: str
    issued_on: date | None
    issuing_body: str
    signer: str
    legal_basis: tuple[str, ...]
    groups: tuple[Group, ...]
    revisions: tuple[RevisionView, ...] = ()  # amending documents, in the order recorded


def task_detail(state: PlanState, number: str, plan_id: UUID, on: date,
                latest: int | None = None) -> TaskDetail:
    """A task in full, with every report (or the `latest` few)."""
    wanted = number.strip().rstrip(".")
    for task in state.sorted_tasks():
        if task.number == wanted and task.plan_id == plan_id:
            shown = task.reports if latest is None else task.reports[-latest:] if latest else []
            return detail_of(state, task, task.row(), on, shown, len(task.reports))
    raise NotFound("task.not_found", field="task", number=number)


def detail_of(state: PlanState, task: TaskView, row: TaskRow, on: date,
              reports: list[ReportView], reports_total: int) -> TaskDetail:
    """A task's detail from its view, its status row (what its status is judged from,
    whichever reports are shown) and the reports shown."""
    return TaskDetail(**vars(task_status(state, row, on)),
                      leads_text=task.leads_text,
                      coordinators_text=task.coordinators_text,
                      reports=tuple(reports),
                      completions=tuple(task.completions),
                      extensions=tuple(task.extensions),
                      directions=tuple(task.directions),
                      reports_total=reports_total,
                      origin=task.origin)


def _code_key(indicator: IndicatorView) -> tuple[int, ...]:
    return tuple(int(p) for p in indicator.code.split(".") if p.isdigit())


def indicator_detail(state: PlanState, indicator: IndicatorView) -> IndicatorDetail:
    return IndicatorDetail(
        id=indicator.id, code=indicator.code, name=indicator.name, unit=indicator.unit,
        target=indicator.target, horizon_year=indicator.horizon_year,
        is_heading=indicator.is_heading, parent_code=indicator.parent_code,
        responsible=tuple(state.agency_name(k) for k in indicator.responsible),
        latest=indicator.latest, version=indicator.version, values=tuple(indicator.values),
        removed_by=indicator.removed_by, removed_on=indicator.removed_on,
    )


def indicator_details(state: PlanState, plan_id: UUID | None = None) -> list[IndicatorDetail]:
    """The indicators in code order (of one plan, when given)."""
    chosen = [i for i in state.indicators.values()
              if plan_id is None or Indicator.create_id(plan_id, i.code) == i.id]
    return [indicator_detail(state, i) for i in sorted(chosen, key=_code_key)]


def agencies(state: PlanState) -> list[AgencyEntry]:
    """The agencies the plans name, collectives included, in registry order."""
    entries = []
    for key, name in state.agencies.items():
        change = state.agency_changes.get(key)
        entries.append(AgencyEntry(
            key, name, key in state.collectives,
            ended=change.kind if change else "", ended_on=change.on if change else None,
            successors=tuple(state.agency_name(k) for k in change.successors) if change else (),
        ))
    return entries


def plans(state: PlanState) -> list[PlanOutline]:
    return [PlanOutline(
        id=plan.id, number=plan.number, title=plan.title, issued_on=plan.issued_on,
        issuing_body=plan.issuing_body, signer=plan.signer, legal_basis=plan.legal_basis,
        groups=tuple(Group(code, title) for code, title in plan.groups.items()),
        revisions=tuple(plan.revisions),
    ) for plan in state.plans.values()]
