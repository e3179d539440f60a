"""Commands as data: what the ledger is asked to record, each a frozen dataclass.

Every entry point (the API, the web forms, the CLI, the tests) builds one of these and hands
it, with the `Context` of who acts, to `TenantLedger.handle` (service/handlers.py routes it).
Field names follow the API's JSON fields, so a parsed body builds its command by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from domain.messages import Message
from domain.plan_document import PlanDocument, RowProblem


@dataclass(frozen=True)
class Context:
    """Who is acting, for which agency, with what effect date and expected version."""

    actor: str
    effective_on: date | None = None
    agency: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class CommandResult:
    id: UUID
    version: int
    position: int | None  # the tenant log position of the last event recorded
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    plan_number: str
    plan_id: UUID
    recorded: bool  # False when the same document had been imported already
    tasks: int
    groups: int
    indicators: int
    new_agencies: int
    warnings: tuple[Message, ...]  # "import.no_lead", ...
    problems: tuple[RowProblem, ...]
    position: int | None


@dataclass(frozen=True, kw_only=True)
class Command:
    """Something to record in a tenant's log."""


C = TypeVar("C", bound=Command)


def build(cls: type[C], values: Mapping[str, Any], **more: Any) -> C:
    """A command from parsed input named like its fields (lists become tuples); fields the
    input lacks (or leaves None) keep their defaults; input that names no field is left out."""
    given = {**values, **more}
    chosen = {f.name: _frozen(given[f.name]) for f in fields(cls)
              if given.get(f.name) is not None}
    return cls(**chosen)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# -- plans and agencies ----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ImportPlan(Command):
    """Record a whole plan document in one transaction (nothing when already imported)."""

    document: PlanDocument
    sha256: str
    accept_problems: bool = False


@dataclass(frozen=True, kw_only=True)
class CreatePlan(Command):
    """Record a plan typed in by hand (it has no table to import): its header first; its
    groups, tasks and indicators follow one command each, under the rules of an import."""

    number: str
    title: str = ""
    issued_on: date | None = None
    issuer: str = ""
    place: str = ""
    signer: str = ""
    signer_title: str = ""
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PlanCommand(Command):
    """A command on one plan, by its number (the only plan when None)."""

    plan: str | None = None


@dataclass(frozen=True, kw_only=True)
class RevisePlan(PlanCommand):
    """Record what a revised or amending document changes in a plan's tasks, each change an
    event of its own citing `amending`, in one transaction (nothing when already recorded)."""

    document: PlanDocument
    sha256: str
    amending: str  # the amending document: "Quyết định số 123/QĐ-UBND"
    amending_on: date | None = None  # its date; the changes take effect then by default
    reason: str = ""
    accept_problems: bool = False
    # The document lists only the tasks it amends or adds: those it leaves out stay.
    partial: bool = False


@dataclass(frozen=True, kw_only=True)
class AddGroup(PlanCommand):
    code: str  # as the plan writes it: "I", "II"
    title: str


@dataclass(frozen=True, kw_only=True)
class AddTask(PlanCommand):
    """A task row typed in: agencies and the deadline as the plan writes them."""

    number: str  # the task's reference in the plan: "5", or "II.3" when numbers restart
    title: str
    group: str = ""  # the group's code; may be left out when the plan has one group or none
    leads: str = ""  # "Sở Khoa học và Công nghệ; Sở Y tế"
    coordinators: str = ""
    expected_output: str = ""
    deadline: str = ""  # "6/2025", "Quý II/2025", "Hằng năm", ...


@dataclass(frozen=True, kw_only=True)
class AddIndicator(PlanCommand):
    code: str  # "1", "7", "7.1"
    name: str
    unit: str = ""
    target: str = ""  # as written: "≥ 80"; with no unit and no target, a heading
    responsible: str = ""
    horizon_year: int | None = None  # 2030, 2045


@dataclass(frozen=True, kw_only=True)
class RegisterAgency(Command):
    name: str


@dataclass(frozen=True, kw_only=True)
class AgencyCommand(Command):
    """A command on one registered agency, named by key or by any of its names."""

    agency: str


@dataclass(frozen=True, kw_only=True)
class RenameAgency(AgencyCommand):
    new_name: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SucceedAgency(AgencyCommand):
    """From the context's effective date, `successors` carry the agency's duties: its open
    tasks are theirs from then on, what came before still names it. Successors not yet
    registered are registered."""

    successors: tuple[str, ...]
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class MergeAgencies(Command):
    """Several agencies become one (`into`, registered when new) from the effective date."""

    agencies: tuple[str, ...]
    into: str
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class DissolveAgency(AgencyCommand):
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class MergeAlias(AgencyCommand):
    """The agency is another name of `into`: its tasks, reports and scores are into's."""

    into: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class MarkCollective(AgencyCommand):
    """Mark the agency as a collective (a group of agencies), or unmark it."""

    is_collective: bool = True
    reason: str = ""


# -- tasks -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class TaskCommand(Command):
    """A command on one task, by its number (TT) in a plan (the only plan when None)."""

    task: str
    plan: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReassignTask(TaskCommand):
    leads: tuple[str, ...]
    coordinators: tuple[str, ...] = ()
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class ExpandCollective(TaskCommand):
    """Put a collective's member agencies in its place on a task: each then leads (or
    coordinates) and reports on its own."""

    collective: str
    members: tuple[str, ...]
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class ChangeDeadline(TaskCommand):
    deadline: str  # as written, e.g. "6/2025", "Quý III/2025"
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class RewordTask(TaskCommand):
    """The plan words the task otherwise (its title, and its expected output when given)."""

    title: str
    expected_output: str | None = None  # None: as it stands
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class RecordTrigger(TaskCommand):
    """A conditional deadline's condition was met on `triggered_on`."""

    triggered_on: date
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReportProgress(TaskCommand):
    period: str  # YYYY, YYYY-H1, YYYY-Q2, YYYY-9M or YYYY-MM
    percent: int
    narrative: str
    difficulties: str = ""
    proposals: str = ""
    evidence: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # SHA-256 digests of files stored for the tenant


@dataclass(frozen=True, kw_only=True)
class VerifyReport(TaskCommand):
    report: int
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReturnReport(TaskCommand):
    report: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CompleteTask(TaskCommand):
    """A lead agency's reporter asks the standing body to accept the task as done; the
    standing body (acting for no agency) records and accepts a completion in one step."""

    output_document: str
    completed_on: date
    files: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class AcceptCompletion(TaskCommand):
    request: int
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReturnCompletion(TaskCommand):
    request: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CorrectCompletionDate(TaskCommand):
    completed_on: date
    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class RequestExtension(TaskCommand):
    deadline: str  # the deadline asked for, as written
    reason: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ApproveExtension(TaskCommand):
    request: int
    decision_ref: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RefuseExtension(TaskCommand):
    request: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordDirection(TaskCommand):
    """A direction ("ý kiến chỉ đạo") of the standing body or a leader on the task."""

    text: str
    due_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerDirection(TaskCommand):
    direction: int
    text: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DecideTask(TaskCommand):
    """A decision on the task's course, with its reason and deciding document."""

    reason: str
    decision_ref: str = ""


@dataclass(frozen=True, kw_only=True)
class CancelTask(DecideTask):
    pass


@dataclass(frozen=True, kw_only=True)
class SuspendTask(DecideTask):
    pass


@dataclass(frozen=True, kw_only=True)
class ResumeTask(DecideTask):
    pass


@dataclass(frozen=True, kw_only=True)
class ReopenTask(DecideTask):
    """The standing body reopens a completed task."""


# -- indicators ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class IndicatorCommand(Command):
    """A command on one indicator, by its code in a plan (the only plan when None)."""

    indicator: str
    plan: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportIndicatorValue(IndicatorCommand):
    period: str
    value: str  # as written: "62,5" and "62.5" alike
    source: str


@dataclass(frozen=True, kw_only=True)
class ChangeTarget(IndicatorCommand):
    target: str  # as written, e.g. "≥ 80"
    reason: str
    decision_ref: str = ""
