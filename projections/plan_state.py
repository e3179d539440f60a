"""The fold from a tenant's events to its plan state: pure, replayable, time-filterable.

The same fold serves the live read models (applied as events arrive), a rebuild (applied
to the whole log) and time travel (applied to the events known at T, or effective on D).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.deadlines import Deadline
from domain.status import ReportFact, TaskFacts
from domain.targets import Target


@dataclass
class ReportView:
    number: int
    period: str
    percent: int
    narrative: str
    difficulties: str
    proposals: str
    evidence: tuple[str, ...]
    agency: str | None
    recorded_at: datetime
    effective_on: date
    state: str = "submitted"


@dataclass
class TaskView:
    id: UUID
    plan_id: UUID
    group_code: str
    number: str
    title: str
    leads: tuple[str, ...]
    coordinators: tuple[str, ...]
    leads_text: str
    coordinators_text: str
    expected_output: str
    deadline: Deadline
    original_deadline: Deadline
    extra: dict[str, str]
    added_at: datetime
    version: int = 1
    state: str = "open"
    deadline_changes: int = 0
    slip_days: int = 0
    completed_on: date | None = None
    output_document: str = ""
    triggered_on: date | None = None
    reports: list[ReportView] = field(default_factory=list)

    @property
    def last_report(self) -> ReportView | None:
        live = [r for r in self.reports if r.state != "returned"]
        return live[-1] if live else None

    def facts(self) -> TaskFacts:
        return TaskFacts(
            deadline=self.deadline,
            state=self.state,
            completed_on=self.completed_on,
            reports=tuple(ReportFact(r.period, r.percent, r.state) for r in self.reports),
        )


@dataclass
class IndicatorValue:
    period: str
    value: Decimal
    source: str
    recorded_at: datetime
    effective_on: date


@dataclass
class IndicatorView:
    id: UUID
    code: str
    name: str
    unit: str
    target: Target
    original_target: Target
    responsible: tuple[str, ...]
    horizon_year: int | None
    is_heading: bool
    parent_code: str | None
    values: list[IndicatorValue] = field(default_factory=list)
    version: int = 1

    @property
    def latest(self) -> IndicatorValue | None:
        return max(self.values, key=lambda v: (v.period, v.recorded_at), default=None)


@dataclass
class PlanView:
    id: UUID
    number: str
    title: str
    issued_on: date | None
    issuing_body: str
    signer: str
    legal_basis: tuple[str, ...]
    groups: dict[str, str]


@dataclass
class PlanState:
    plans: dict[UUID, PlanView] = field(default_factory=dict)
    tasks: dict[UUID, TaskView] = field(default_factory=dict)
    indicators: dict[UUID, IndicatorView] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)  # key -> current name
    collectives: set[str] = field(default_factory=set)
    agency_ids: dict[UUID, str] = field(default_factory=dict)
    position: int = 0  # the last log position applied

    def agency_name(self, key: str) -> str:
        return self.agencies.get(key, key)

    def sorted_tasks(self) -> list[TaskView]:
        return sorted(self.tasks.values(), key=lambda t: (_number_key(t.number)))

    def apply(self, position: int, event: Any) -> None:
        handler = _HANDLERS.get(type(event).__qualname__)
        if handler is not None:
            handler(self, event)
        self.position = max(self.position, position)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


def fold(
    events: Iterable[tuple[int, Any]],
    *,
    known_at: datetime | None = None,
    effective_on: date | None = None,
) -> PlanState:
    """Fold (position, event) pairs. `known_at` keeps events recorded by then (transaction
    time); `effective_on` keeps events that had taken effect by then (valid time)."""
    state = PlanState()
    for position, event in events:
        if known_at is not None and event.timestamp > known_at:
            continue
        if effective_on is not None and _effective(event) > effective_on:
            continue
        state.apply(position, event)
    return state


def _effective(event: Any) -> date:
    provenance = getattr(event, "provenance", None)
    effective: date = provenance.effective_on if provenance else event.timestamp.date()
    return effective


# -- handlers ------------------------------------------------------------------------------

Handler = Callable[[PlanState, Any], None]
_HANDLERS: dict[str, Handler] = {}


def _on(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _HANDLERS[name] = handler
        return handler

    return register


def _task(state: PlanState, event: Any) -> TaskView | None:
    task = state.tasks.get(event.originator_id)
    if task is not None:
        task.version = event.originator_version
    return task


@_on("Plan.Issued")
def _plan_issued(state: PlanState, e: Any) -> None:
    state.plans[e.originator_id] = PlanView(
        id=e.originator_id, number=e.number, title=e.title, issued_on=e.issued_on,
        issuing_body=e.issuing_body, signer=e.signer, legal_basis=tuple(e.legal_basis),
        groups={code: title for code, title in e.groups},
    )


@_on("Agency.Registered")
def _agency_registered(state: PlanState, e: Any) -> None:
    state.agencies[e.key] = e.name
    state.agency_ids[e.originator_id] = e.key
    if e.is_collective:
        state.collectives.add(e.key)


@_on("Agency.Renamed")
def _agency_renamed(state: PlanState, e: Any) -> None:
    if key := state.agency_ids.get(e.originator_id):
        state.agencies[key] = e.new


@_on("Task.Added")
def _task_added(state: PlanState, e: Any) -> None:
    state.tasks[e.originator_id] = TaskView(
        id=e.originator_id, plan_id=e.plan_id, group_code=e.group_code, number=e.number,
        title=e.title, leads=tuple(e.leads), coordinators=tuple(e.coordinators),
        leads_text=e.leads_text, coordinators_text=e.coordinators_text,
        expected_output=e.expected_output, deadline=e.deadline, original_deadline=e.deadline,
        extra=dict(e.extra), added_at=e.timestamp,
    )


@_on("Task.Reassigned")
def _task_reassigned(state: PlanState, e: Any) -> None:
    if task := _task(state, e):
        task.leads, task.coordinators = tuple(e.leads), tuple(e.coordinators)


@_on("Task.DeadlineChanged")
def _deadline_changed(state: PlanState, e: Any) -> None:
    if task := _task(state, e):
        task.deadline = e.new
        task.deadline_changes += 1
        if e.old.due and e.new.due:
            task.slip_days += (e.new.due - e.old.due).days


@_on("Task.TriggerRecorded")
def _trigger_recorded(state: PlanState, e: Any) -> None:
    if task := _task(state, e):
        task.deadline, task.triggered_on = e.deadline, e.triggered_on


@_on("Task.ProgressReported")
def _progress_reported(state: PlanState, e: Any) -> None:
    if task := _task(state, e):
        task.reports.append(ReportView(
            number=e.report, period=e.period, percent=e.percent, narrative=e.narrative,
            difficulties=e.difficulties, proposals=e.proposals, evidence=tuple(e.evidence),
            agency=e.provenance.on_behalf_of, recorded_at=e.timestamp,
            effective_on=e.provenance.effective_on,
        ))


def _set_report_state(state: PlanState, e: Any, value: str) -> None:
    if task := _task(state, e):
        for report in task.reports:
            if report.number == e.report:
                report.state = value


@_on("Task.ReportVerified")
def _report_verified(state: PlanState, e: Any) -> None:
    _set_report_state(state, e, "verified")


@_on("Task.ReportReturned")
def _report_returned(state: PlanState, e: Any) -> None:
    _set_report_state(state, e, "returned")


@_on("Task.Completed")
def _completed(state: PlanState, e: Any) -> None:
    if task := _task(state, e):
        task.state, task.completed_on = "completed", e.completed_on
        task.output_document = e.output_document


def _set_task_state(value: str) -> Handler:
    def handler(state: PlanState, e: Any) -> None:
        if task := _task(state, e):
            task.state = value

    return handler


_HANDLERS["Task.Cancelled"] = _set_task_state("cancelled")
_HANDLERS["Task.Suspended"] = _set_task_state("suspended")
_HANDLERS["Task.Resumed"] = _set_task_state("open")


@_on("Indicator.Defined")
def _indicator_defined(state: PlanState, e: Any) -> None:
    state.indicators[e.originator_id] = IndicatorView(
        id=e.originator_id, code=e.code, name=e.name, unit=e.unit, target=e.target,
        original_target=e.target, responsible=tuple(e.responsible),
        horizon_year=e.horizon_year, is_heading=e.is_heading, parent_code=e.parent_code,
    )


@_on("Indicator.ValueReported")
def _value_reported(state: PlanState, e: Any) -> None:
    if indicator := state.indicators.get(e.originator_id):
        indicator.version = e.originator_version
        indicator.values.append(IndicatorValue(
            period=e.period, value=e.value, source=e.source, recorded_at=e.timestamp,
            effective_on=e.provenance.effective_on,
        ))


@_on("Indicator.TargetChanged")
def _target_changed(state: PlanState, e: Any) -> None:
    if indicator := state.indicators.get(e.originator_id):
        indicator.version = e.originator_version
        indicator.target = e.new
