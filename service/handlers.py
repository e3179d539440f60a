"""One dispatcher: each command class to the handler that records it.

The steps every command shares are written once: `changes` loads the item a command is
about and checks the version the caller expects, the handler calls the domain, and `handle`
commits the changed aggregates in one step (`TenantLedger.commit`, the only place that
saves). A new command is one dataclass in service/commands.py and one handler here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.domain import Aggregate

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.deadlines import parse_deadline
from domain.errors import AlreadyExists, DomainError, NotFound
from domain.indicator import Indicator
from domain.messages import Message
from domain.periods import ReportingPeriod
from domain.plan import Plan
from domain.plan_document import PlanDocument, RowProblem
from domain.targets import parse_target
from domain.task import Task
from domain.text import clean, nfc
from service.commands import (
    AcceptCompletion,
    AgencyCommand,
    AnswerDirection,
    ApproveExtension,
    CancelTask,
    ChangeDeadline,
    ChangeTarget,
    Command,
    CommandResult,
    CompleteTask,
    Context,
    CorrectCompletionDate,
    DissolveAgency,
    ExpandCollective,
    ImportPlan,
    ImportResult,
    IndicatorCommand,
    MarkCollective,
    MergeAgencies,
    MergeAlias,
    ReassignTask,
    RecordDirection,
    RecordTrigger,
    RefuseExtension,
    RegisterAgency,
    RenameAgency,
    ReopenTask,
    ReportIndicatorValue,
    ReportProgress,
    RequestExtension,
    ResumeTask,
    ReturnCompletion,
    ReturnReport,
    RewordTask,
    SucceedAgency,
    SuspendTask,
    TaskCommand,
    VerifyReport,
)
from service.plan_import import build_plan

if TYPE_CHECKING:
    from service.ledger import TenantLedger

C = TypeVar("C", bound=Command)
Result = CommandResult | ImportResult


@dataclass
class Outcome:
    """What a handler decided: the aggregates to save, and the answer once they are saved."""

    aggregates: tuple[Aggregate, ...]
    answer: Callable[[int | None], Result]
    # The refusal to give instead of a conflict (a second registration of one name).
    on_conflict: DomainError | None = None


Handler = Callable[["TenantLedger", Any, Context], Outcome]
HANDLERS: dict[type[Command], Handler] = {}


class ImportRefused(DomainError):
    """The document has rows that could not be read; nothing was recorded."""

    def __init__(self, problems: tuple[RowProblem, ...] | list[RowProblem]) -> None:
        super().__init__("import.rows_refused", field="file", count=len(problems))
        self.problems = tuple(problems)


class NoHandler(LookupError):
    """A command class nothing records (a test keeps every class handled)."""


def handle(ledger: TenantLedger, command: Command, context: Context) -> Result:
    """Record one command for the tenant `ledger` serves: the one way in for every caller."""
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise NoHandler(f"No handler records {type(command).__name__}.")
    outcome = handler(ledger, command, context)
    position = ledger.commit(*outcome.aggregates, answer=outcome.answer,
                             on_conflict=outcome.on_conflict)
    return outcome.answer(position)


def target(ledger: TenantLedger, command: Command) -> Aggregate:
    """The item a command is about, as stored now (for its version)."""
    if isinstance(command, TaskCommand):
        return ledger.task(command.task, command.plan)
    if isinstance(command, IndicatorCommand):
        return ledger.indicator(command.indicator, command.plan)
    if isinstance(command, AgencyCommand):
        return ledger.agency(command.agency)
    raise NoHandler(f"{type(command).__name__} is about no existing item.")


def handles(cls: type[C]) -> Callable[[Callable[[TenantLedger, C, Context], Outcome]],
                                      Callable[[TenantLedger, C, Context], Outcome]]:
    def register(handler: Callable[[TenantLedger, C, Context], Outcome]
                 ) -> Callable[[TenantLedger, C, Context], Outcome]:
        HANDLERS[cls] = handler
        return handler
    return register


A = TypeVar("A", bound=Aggregate)
Change = Callable[["TenantLedger", A, Any, Context], dict[str, Any] | None]


def changes(cls: type[C], kind: type[A]) -> Callable[[Change[A]], Change[A]]:
    """Register a handler that changes one existing item: it is loaded and its version
    checked first, the handler calls the domain, and the item is saved."""

    def register(change: Change[A]) -> Change[A]:
        def handler(ledger: TenantLedger, command: C, context: Context) -> Outcome:
            item = target(ledger, command)
            assert isinstance(item, kind)
            ledger.check_version(item, context)
            detail = change(ledger, item, command, context) or {}
            return Outcome((item,), lambda position: CommandResult(
                item.id, item.version, position, detail))

        HANDLERS[cls] = handler
        return change
    return register


# -- plans and agencies ----------------------------------------------------------------------

@handles(ImportPlan)
def import_plan(ledger: TenantLedger, command: ImportPlan, ctx: Context) -> Outcome:
    document = command.document
    if document.problems and not command.accept_problems:
        raise ImportRefused(document.problems)
    existing = ledger.existing(Plan.create_id(document.header.number))
    if isinstance(existing, Plan):
        if existing.source_sha256 != command.sha256:
            raise AlreadyExists("plan.imported_from_another_document", field="file",
                                plan=existing.number)
        return Outcome((), lambda _: _import_result(document, existing, False, 0, [], None))
    # A plan's tasks take effect on the date the plan was issued (valid time).
    issued = Context(ctx.actor, ctx.effective_on or document.header.issued_on, ctx.agency)
    built = build_plan(document, command.sha256, ledger.provenance(issued))
    catalogue = ledger.catalogue()
    catalogue.add_plan(built.plan.id, built.plan.number)
    registered = ledger.recorded_ids([Agency.create_id(key) for key in built.agencies])
    new_agencies = [
        Agency.register(name, ledger.provenance(issued))
        for key, name in built.agencies.items()
        if Agency.create_id(key) not in registered
    ]
    # One commit, one transaction: a failure part-way leaves nothing behind.
    return Outcome(
        (catalogue, built.plan, *new_agencies, *built.tasks, *built.indicators),
        lambda position: _import_result(document, built.plan, True, len(new_agencies),
                                        built.warnings, position),
    )


def _import_result(
    document: PlanDocument, plan: Plan, recorded: bool, new_agencies: int,
    warnings: list[Message], position: int | None,
) -> ImportResult:
    return ImportResult(
        plan_number=plan.number, plan_id=plan.id, recorded=recorded,
        tasks=len(document.tasks), groups=len(document.groups),
        indicators=len(document.indicators), new_agencies=new_agencies,
        warnings=tuple(warnings), problems=document.problems, position=position,
    )


@handles(RegisterAgency)
def register_agency(ledger: TenantLedger, command: RegisterAgency, ctx: Context) -> Outcome:
    normalised = normalise_agency(command.name)
    if not normalised.name:
        raise DomainError("agency.name_empty", field="name")
    agency = Agency.register(normalised, ledger.provenance(ctx))
    refusal = AlreadyExists("agency.already_registered", field="name", agency=normalised.name)
    return Outcome((agency,), lambda position: CommandResult(
        agency.id, agency.version, position), on_conflict=refusal)


@changes(RenameAgency, Agency)
def rename_agency(ledger: TenantLedger, agency: Agency, command: RenameAgency,
                  ctx: Context) -> None:
    agency.rename(command.new_name, clean(command.reason), ledger.provenance(ctx))


def _effective(ctx: Context) -> None:
    """An agency's change takes effect on a stated date (the deciding document's)."""
    if ctx.effective_on is None:
        raise DomainError("agency.needs_effective_date", field="effective_on")


def _successor(ledger: TenantLedger, name: str, ctx: Context, new: list[Agency]) -> str:
    """The key of a successor, registering it (once) when the register lacks it."""
    try:
        return ledger.agency(name).key
    except NotFound:
        normalised = normalise_agency(name)
        if not any(a.key == normalised.key for a in new):
            new.append(Agency.register(normalised, ledger.provenance(ctx)))
        return normalised.key


def _check_no_cycle(ledger: TenantLedger, ended: set[str], successors: tuple[str, ...]) -> None:
    """No successor may (through its own successors) lead back to an agency it succeeds."""
    todo, seen = list(successors), set()
    while todo:
        key = todo.pop()
        if key in ended:
            raise DomainError("agency.succession_cycle", field="successors")
        if key in seen:
            continue
        seen.add(key)
        existing = ledger.existing(Agency.create_id(key))
        if isinstance(existing, Agency):
            todo.extend(existing.successors)


def _succession(ledger: TenantLedger, agencies: list[Agency], successor_names: tuple[str, ...],
                kind: str, reason: str, decision_ref: str, ctx: Context) -> Outcome:
    _effective(ctx)
    new: list[Agency] = []
    successors = tuple(dict.fromkeys(_successor(ledger, n, ctx, new) for n in successor_names))
    _check_no_cycle(ledger, {a.key for a in agencies}, successors)
    for agency in agencies:
        agency.succeed(successors, kind, clean(reason), clean(decision_ref),
                       ledger.provenance(ctx))
    first = agencies[0]
    return Outcome((*new, *agencies), lambda position: CommandResult(
        first.id, first.version, position,
        {"successors": list(successors), "new_agencies": [a.key for a in new]}))


@handles(SucceedAgency)
def succeed_agency(ledger: TenantLedger, command: SucceedAgency, ctx: Context) -> Outcome:
    agency = ledger.agency(command.agency)
    ledger.check_version(agency, ctx)
    return _succession(ledger, [agency], command.successors, "succession", command.reason,
                       command.decision_ref, ctx)


@handles(MergeAgencies)
def merge_agencies(ledger: TenantLedger, command: MergeAgencies, ctx: Context) -> Outcome:
    agencies = list({a.key: a for a in (ledger.agency(n) for n in command.agencies)}.values())
    if len(agencies) < 2:
        raise DomainError("agency.merger_needs_two", field="agencies")
    return _succession(ledger, agencies, (command.into,), "merger", command.reason,
                       command.decision_ref, ctx)


@changes(DissolveAgency, Agency)
def dissolve_agency(ledger: TenantLedger, agency: Agency, command: DissolveAgency,
                    ctx: Context) -> None:
    _effective(ctx)
    agency.dissolve(clean(command.reason), clean(command.decision_ref), ledger.provenance(ctx))


@changes(MergeAlias, Agency)
def merge_alias(ledger: TenantLedger, agency: Agency, command: MergeAlias,
                ctx: Context) -> None:
    into = ledger.agency(command.into)
    if into.ended:
        raise DomainError("agency.already_ended", field="into", agency=into.name)
    # Two names of one agency were one agency all along: unless told otherwise, the merger
    # takes effect from the day the alias was first recorded.
    since = Context(ctx.actor, ctx.effective_on or agency.registered_on, ctx.agency,
                    ctx.expected_version)
    agency.merge_as_alias(into.key, clean(command.reason), ledger.provenance(since))


@changes(MarkCollective, Agency)
def mark_collective(ledger: TenantLedger, agency: Agency, command: MarkCollective,
                    ctx: Context) -> None:
    agency.mark_collective(command.is_collective, clean(command.reason), ledger.provenance(ctx))


# -- tasks -----------------------------------------------------------------------------------

@changes(ReassignTask, Task)
def reassign_task(ledger: TenantLedger, task: Task, command: ReassignTask,
                  ctx: Context) -> None:
    lead_keys = ledger.agency_keys(command.leads, "leads")
    coordinator_keys = ledger.agency_keys(command.coordinators, "coordinators")
    task.reassign(lead_keys, coordinator_keys, clean(command.reason),
                  clean(command.decision_ref), ledger.provenance(ctx))


@changes(ExpandCollective, Task)
def expand_collective(ledger: TenantLedger, task: Task, command: ExpandCollective,
                      ctx: Context) -> dict[str, Any]:
    collective = ledger.agency(command.collective)
    if not collective.is_collective:
        raise DomainError("agency.not_collective", field="collective", agency=collective.name)
    if not task.involves(collective.key):
        raise DomainError("task.collective_not_named", field="collective",
                          agency=collective.name, number=task.number)
    members = ledger.agency_keys(command.members, "members")
    if not members:
        raise DomainError("task.needs_members", field="members")
    for key in members:
        if ledger.agency(key).is_collective:
            raise DomainError("task.member_is_collective", field="members",
                              agency=ledger.agency(key).name)

    def expanded(keys: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for key in keys:
            out += list(members) if key == collective.key else [key]
        return tuple(dict.fromkeys(out))

    leads = expanded(task.leads)
    coordinators = tuple(k for k in expanded(task.coordinators) if k not in leads)
    task.reassign(leads, coordinators, clean(command.reason), clean(command.decision_ref),
                  ledger.provenance(ctx))
    return {"leads": list(leads), "coordinators": list(coordinators)}


@changes(ChangeDeadline, Task)
def change_deadline(ledger: TenantLedger, task: Task, command: ChangeDeadline,
                    ctx: Context) -> None:
    new = parse_deadline(command.deadline)
    if new.due is None and new.kind.value == "unparsed":
        raise DomainError("deadline.not_understood", field="deadline",
                          deadline=command.deadline, warning=new.warning_message or new.warning)
    task.change_deadline(new, clean(command.reason), clean(command.decision_ref),
                         ledger.provenance(ctx))


@changes(RewordTask, Task)
def reword_task(ledger: TenantLedger, task: Task, command: RewordTask, ctx: Context) -> None:
    output = task.expected_output if command.expected_output is None else command.expected_output
    task.reword(nfc(command.title), nfc(output), clean(command.reason),
                clean(command.decision_ref), ledger.provenance(ctx))


@changes(RecordTrigger, Task)
def record_trigger(ledger: TenantLedger, task: Task, command: RecordTrigger,
                   ctx: Context) -> None:
    task.record_trigger(command.triggered_on, clean(command.note), ledger.provenance(ctx))


@changes(ReportProgress, Task)
def report_progress(ledger: TenantLedger, task: Task, command: ReportProgress,
                    ctx: Context) -> dict[str, Any]:
    agency_key = reporting_agency(ledger, task, ctx)
    report = task.report_progress(
        ReportingPeriod.parse(command.period), command.percent, clean(command.narrative),
        clean(command.difficulties), clean(command.proposals),
        tuple(clean(e) for e in command.evidence if e.strip()),
        ledger.provenance(ctx, agency_key), files=ledger.files.resolve(command.files),
        today=ledger.today(),
    )
    return {"report": report}


def reporting_agency(ledger: TenantLedger, task: Task, ctx: Context,
                     about: date | None = None) -> str | None:
    """The key of the agency reporting, which must lead or coordinate the task, or carry
    the duty of one that does (its successor); and must not have passed its duties on by
    the command's date (or by `about`, the date it reports on, when later)."""
    if ctx.agency is None:
        return None
    agency = ledger.agency(ledger.agency_keys([ctx.agency], "agency")[0])
    day = ctx.effective_on or ledger.today()
    agency.check_may_act_on(max(day, about or day),
                            tuple(ledger.agency(k).name for k in agency.successors))
    key = agency.key
    if not task.involves(key) and not carrying(ledger, task, key, ctx):
        raise DomainError("task.agency_not_involved", field="agency", agency=ctx.agency,
                          number=task.number)
    return key


def carrying(ledger: TenantLedger, task: Task, key: str | None, ctx: Context
             ) -> tuple[str, ...]:
    """The agencies the task names whose duties `key` carries on the command's date, as
    their successor (none when it is named itself)."""
    if key is None or task.involves(key):
        return ()
    return ledger.carried_by(task.leads + task.coordinators, key,
                             ctx.effective_on or ledger.today())


@changes(VerifyReport, Task)
def verify_report(ledger: TenantLedger, task: Task, command: VerifyReport,
                  ctx: Context) -> None:
    task.verify_report(command.report, clean(command.note), ledger.provenance(ctx))


@changes(ReturnReport, Task)
def return_report(ledger: TenantLedger, task: Task, command: ReturnReport,
                  ctx: Context) -> None:
    task.return_report(command.report, clean(command.reason), ledger.provenance(ctx))


@changes(CompleteTask, Task)
def complete_task(ledger: TenantLedger, task: Task, command: CompleteTask,
                  ctx: Context) -> dict[str, Any]:
    agency_key = reporting_agency(ledger, task, ctx, command.completed_on)
    files = ledger.files.resolve(command.files)
    provenance = ledger.provenance(ctx, agency_key)
    if agency_key is None:  # the standing body records a completion it accepts
        request = task.complete(clean(command.output_document), command.completed_on,
                                provenance, ledger.today(), files, clean(command.note))
        return {"request": request, "state": task.status}
    request = task.request_completion(command.completed_on, clean(command.output_document),
                                      files, clean(command.note), provenance, ledger.today(),
                                      carrying(ledger, task, agency_key, ctx))
    return {"request": request, "state": task.status}


@changes(AcceptCompletion, Task)
def accept_completion(ledger: TenantLedger, task: Task, command: AcceptCompletion,
                      ctx: Context) -> None:
    task.accept_completion(command.request, clean(command.note), ledger.provenance(ctx))


@changes(ReturnCompletion, Task)
def return_completion(ledger: TenantLedger, task: Task, command: ReturnCompletion,
                      ctx: Context) -> None:
    task.return_completion(command.request, clean(command.reason), ledger.provenance(ctx))


@changes(ReopenTask, Task)
def reopen_task(ledger: TenantLedger, task: Task, command: ReopenTask, ctx: Context) -> None:
    task.reopen(clean(command.reason), clean(command.decision_ref), ledger.provenance(ctx))


@changes(CorrectCompletionDate, Task)
def correct_completion_date(ledger: TenantLedger, task: Task,
                            command: CorrectCompletionDate, ctx: Context) -> None:
    task.correct_completion_date(command.completed_on, clean(command.reason),
                                 clean(command.decision_ref), ledger.provenance(ctx),
                                 ledger.today())


@changes(RequestExtension, Task)
def request_extension(ledger: TenantLedger, task: Task, command: RequestExtension,
                      ctx: Context) -> dict[str, Any]:
    agency_key = reporting_agency(ledger, task, ctx)
    proposed = parse_deadline(command.deadline)
    request = task.request_extension(proposed, clean(command.reason),
                                     ledger.files.resolve(command.files),
                                     ledger.provenance(ctx, agency_key),
                                     carrying(ledger, task, agency_key, ctx))
    return {"request": request}


@changes(ApproveExtension, Task)
def approve_extension(ledger: TenantLedger, task: Task, command: ApproveExtension,
                      ctx: Context) -> None:
    task.approve_extension(command.request, clean(command.decision_ref), clean(command.note),
                           ledger.provenance(ctx))


@changes(RefuseExtension, Task)
def refuse_extension(ledger: TenantLedger, task: Task, command: RefuseExtension,
                     ctx: Context) -> None:
    task.refuse_extension(command.request, clean(command.reason), ledger.provenance(ctx))


@changes(RecordDirection, Task)
def record_direction(ledger: TenantLedger, task: Task, command: RecordDirection,
                     ctx: Context) -> dict[str, Any]:
    number = task.record_direction(clean(command.text), command.due_on, ledger.provenance(ctx))
    return {"direction": number}


@changes(AnswerDirection, Task)
def answer_direction(ledger: TenantLedger, task: Task, command: AnswerDirection,
                     ctx: Context) -> None:
    agency_key = reporting_agency(ledger, task, ctx)
    task.answer_direction(command.direction, clean(command.text),
                          ledger.files.resolve(command.files),
                          ledger.provenance(ctx, agency_key),
                          carrying(ledger, task, agency_key, ctx))


@changes(CancelTask, Task)
def cancel_task(ledger: TenantLedger, task: Task, command: CancelTask, ctx: Context) -> None:
    task.cancel(clean(command.reason), clean(command.decision_ref), ledger.provenance(ctx))


@changes(SuspendTask, Task)
def suspend_task(ledger: TenantLedger, task: Task, command: SuspendTask, ctx: Context) -> None:
    task.suspend(clean(command.reason), clean(command.decision_ref), ledger.provenance(ctx))


@changes(ResumeTask, Task)
def resume_task(ledger: TenantLedger, task: Task, command: ResumeTask, ctx: Context) -> None:
    task.resume(clean(command.reason), clean(command.decision_ref), ledger.provenance(ctx))


# -- indicators ------------------------------------------------------------------------------

@changes(ReportIndicatorValue, Indicator)
def report_indicator(ledger: TenantLedger, indicator: Indicator,
                     command: ReportIndicatorValue, ctx: Context) -> None:
    agency_key = ledger.agency_keys([ctx.agency], "agency")[0] if ctx.agency else None
    indicator.report_value(
        ReportingPeriod.parse(command.period), _decimal(command.value), clean(command.source),
        ledger.provenance(ctx, agency_key),
    )


@changes(ChangeTarget, Indicator)
def change_target(ledger: TenantLedger, indicator: Indicator, command: ChangeTarget,
                  ctx: Context) -> None:
    indicator.change_target(
        parse_target(clean(command.target), indicator.unit), clean(command.reason),
        clean(command.decision_ref), ledger.provenance(ctx),
    )


def _decimal(text: str) -> Decimal:
    """Values as Vietnamese documents write them: '0,7' and '0.7' alike."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError("value.not_a_number", field="value", value=text) from None
    if not value.is_finite():
        raise DomainError("value.not_a_finite_number", field="value", value=text)
    return value


# Plans typed in by hand and plan revisions have their handlers in modules of their own;
# importing them registers the handlers.
from service import plan_entry, revision  # noqa: E402, F401
