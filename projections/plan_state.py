"""A tenant's plan state: the views its events fold into (projections/specs says how).

The same fold serves the live read models (applied as events arrive), a rebuild (applied
to the whole log) and time travel (applied to the events known at T, or effective on D).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from domain.deadlines import Deadline
from domain.evidence import EvidenceFile
from domain.status import ReportFact, TaskFacts
from domain.targets import Target

# The kinds of view the read-model store keeps, one document each.
TASK, INDICATOR, PLAN, AGENCY = "task", "indicator", "plan", "agency"


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
    files: tuple[EvidenceFile, ...] = ()
    decision_reason: str = ""  # why it was returned


@dataclass
class CompletionRequestView:
    number: int
    completed_on: date
    output_document: str
    note: str
    agency: str | None
    recorded_at: datetime
    files: tuple[EvidenceFile, ...] = ()
    state: str = "pending"  # pending, accepted, returned
    decision_reason: str = ""
    decided_at: datetime | None = None


@dataclass
class ExtensionRequestView:
    number: int
    proposed: Deadline
    reason: str
    agency: str | None
    recorded_at: datetime
    files: tuple[EvidenceFile, ...] = ()
    state: str = "pending"  # pending, approved, refused
    decision_ref: str = ""
    decision_reason: str = ""
    decided_at: datetime | None = None


@dataclass
class AnswerView:
    text: str
    agency: str | None
    actor: str
    recorded_at: datetime
    files: tuple[EvidenceFile, ...] = ()


@dataclass
class DirectionView:
    number: int
    text: str
    due_on: date | None
    actor: str
    recorded_at: datetime
    answers: list[AnswerView] = field(default_factory=list)


@dataclass(frozen=True)
class TaskOrigin:
    """Where a task carried over from a merged tenant came from (service/merger.py)."""

    tenant: str  # the old tenant's slug: its archive stays readable there
    tenant_name: str
    plan: str
    number: str
    merged_on: date


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
    completions: list[CompletionRequestView] = field(default_factory=list)
    extensions: list[ExtensionRequestView] = field(default_factory=list)
    directions: list[DirectionView] = field(default_factory=list)
    origin: TaskOrigin | None = None  # carried over from a merged tenant

    @property
    def pending_completion(self) -> CompletionRequestView | None:
        return next((c for c in self.completions if c.state == "pending"), None)

    @property
    def open_extension(self) -> ExtensionRequestView | None:
        return next((x for x in self.extensions if x.state == "pending"), None)

    @property
    def last_report(self) -> ReportView | None:
        return next((r for r in reversed(self.reports) if r.state != "returned"), None)

    def facts(self) -> TaskFacts:
        return TaskFacts(
            deadline=self.deadline,
            state=self.state,
            completed_on=self.completed_on,
            reports=reported(self.reports),
        )

    def row(self) -> TaskRow:
        return self.row_with(self.last_report, reported(self.reports))

    def row_with(self, last: ReportView | None, facts: tuple[ReportFact, ...]) -> TaskRow:
        """The status row, given what `last_report` and `reported` make of the reports."""
        return TaskRow(
            id=self.id, plan_id=self.plan_id, group_code=self.group_code, number=self.number,
            title=self.title, leads=self.leads, coordinators=self.coordinators,
            expected_output=self.expected_output, deadline=self.deadline,
            deadline_changes=self.deadline_changes, slip_days=self.slip_days, state=self.state,
            completed_on=self.completed_on, output_document=self.output_document,
            version=self.version,
            last_report_period=last.period if last else None,
            last_report_percent=last.percent if last else None,
            last_report_narrative=last.narrative if last else None,
            reported=facts,
        )


def reported(reports: list[ReportView]) -> tuple[ReportFact, ...]:
    """What the status rules need of a task's reports, however many there are: for each
    period reported (in the order first reported), the highest percent of the reports that
    were not returned. Every rule reads reports only through "not returned and above 0 %",
    "not returned and 100 %" and "not returned, for a period", which this answers alike."""
    highest: dict[str, int] = {}
    for r in reports:
        if r.state != "returned":
            highest[r.period] = max(highest.get(r.period, r.percent), r.percent)
    return tuple(ReportFact(period, percent, "submitted") for period, percent in highest.items())


@dataclass(frozen=True)
class TaskRow:
    """What the status list and the summary show of a task and judge its status from, kept
    by the projector beside the task's view: its size does not grow with the reports."""

    id: UUID
    plan_id: UUID
    group_code: str
    number: str
    title: str
    leads: tuple[str, ...]  # agency keys
    coordinators: tuple[str, ...]
    expected_output: str
    deadline: Deadline
    deadline_changes: int
    slip_days: int
    state: str
    completed_on: date | None
    output_document: str
    version: int
    last_report_period: str | None
    last_report_percent: int | None
    last_report_narrative: str | None
    reported: tuple[ReportFact, ...]

    def facts(self) -> TaskFacts:
        return TaskFacts(deadline=self.deadline, state=self.state,
                         completed_on=self.completed_on, reports=self.reported)


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
    removed_by: str = ""  # the amending document that removed it; it no longer counts
    removed_on: date | None = None

    @property
    def latest(self) -> IndicatorValue | None:
        return max(self.values, key=lambda v: (v.period, v.recorded_at), default=None)


@dataclass
class RevisionView:
    """An amending document recorded against the plan, and how many tasks it changed."""

    amending: str  # "Quyết định số 123/QĐ-UBND"
    amending_on: date | None
    effective_on: date
    sha256: str
    counts: dict[str, int]
    actor: str
    recorded_at: datetime


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
    revisions: list[RevisionView] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyChange:
    """One change in an agency's life, effective on `on`: "succession" or "merger" (its
    duties pass to `successors`), "dissolution" (no one carries them), "alias" (it was
    another name of `successors[0]` all along)."""

    kind: str
    on: date
    successors: tuple[str, ...]
    reason: str = ""
    decision_ref: str = ""


@dataclass
class PlanState:
    plans: dict[UUID, PlanView] = field(default_factory=dict)
    tasks: dict[UUID, TaskView] = field(default_factory=dict)
    indicators: dict[UUID, IndicatorView] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)  # key -> current name
    collectives: set[str] = field(default_factory=set)
    agency_ids: dict[UUID, str] = field(default_factory=dict)
    agency_changes: dict[str, AgencyChange] = field(default_factory=dict)  # key -> its end
    position: int = 0  # the last log position applied

    def agency_name(self, key: str) -> str:
        return self.agencies.get(key, key)

    def sorted_tasks(self) -> list[TaskView]:
        return sorted(self.tasks.values(), key=lambda t: (_number_key(t.number)))

    def task_rows(self) -> list[TaskRow]:
        """Every task's status row, in task-number order."""
        return [t.row() for t in self.sorted_tasks()]


def sort_rows(rows: list[TaskRow]) -> list[TaskRow]:
    return sorted(rows, key=lambda r: _number_key(r.number))


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
