"""A tenant's use cases: load, call the domain, save. Commands return ids and positions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.catalogue import PlanCatalogue
from domain.clock import Clock
from domain.deadlines import parse_deadline
from domain.errors import AlreadyExists, Conflict, DomainError, NotFound
from domain.indicator import Indicator
from domain.periods import ReportingPeriod
from domain.plan import Plan
from domain.plan_document import PlanDocument, RowProblem
from domain.provenance import Provenance
from domain.targets import parse_target
from domain.task import Task
from domain.text import clean, fold
from service.application import LedgerApplication
from service.plan_import import build_plan
from service.queries import TenantQueries
from service.recording import answer_steps
from tenants import faults

log = logging.getLogger(__name__)
A = TypeVar("A", bound=Aggregate)
# Called after each successful append with the application and the number of events.
AppendListener = Callable[[LedgerApplication, int], None]


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
    warnings: tuple[str, ...]
    problems: tuple[RowProblem, ...]
    position: int | None


class ImportRefused(DomainError):
    """The document has rows that could not be read; nothing was recorded."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(
            f"{len(problems)} row(s) could not be read; nothing was recorded.", field="file"
        )
        self.problems = tuple(problems)


class TenantLedger:
    def __init__(
        self,
        app: LedgerApplication,
        today: Callable[[], date] | None = None,
        after_append: Sequence[AppendListener] = (),
    ) -> None:
        self.app = app
        self._today = today or Clock().today
        self._after_append = tuple(after_append)

    # -- plumbing ----------------------------------------------------------------------

    def _provenance(self, ctx: Context, agency_key: str | None = None) -> Provenance:
        return Provenance(
            actor=clean(ctx.actor), effective_on=ctx.effective_on or self._today(),
            on_behalf_of=agency_key,
        )

    def _get(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate: Aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"No {what}.", field=what.split(maxsplit=1)[0]) from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"No {what}.", field=what.split(maxsplit=1)[0])
        return aggregate

    def _save(self, *aggregates: Aggregate,
              answer: Callable[[int | None], Any] | None = None) -> int | None:
        """One transaction: the events, their chain links and, when the command carries an
        idempotency key, the key with its answer (`answer` builds the result from the
        position of the last event)."""
        within = answer_steps(answer) if answer is not None else []
        try:
            recordings = self.app.save(*aggregates, within=within)
        except IntegrityError:
            raise Conflict(
                "Someone else recorded a change to the same item first; reload and retry."
            ) from None
        # Followers that must keep up with every append (the hash chain, metrics) run
        # after the commit; each also catches up by itself, so a crash here loses nothing.
        for listener in self._after_append:
            try:
                listener(self.app, len(recordings))
            except Exception:  # the command is recorded; the follower catches up later
                log.exception("a follower failed after an append to %s", self.app.slug)
        faults.reached("after_commit")
        return recordings[-1].notification.id if recordings else None

    def _check_version(self, aggregate: Aggregate, ctx: Context) -> None:
        if ctx.expected_version is not None and ctx.expected_version != aggregate.version:
            raise Conflict(
                f"Expected version {ctx.expected_version}, but it is now at "
                f"version {aggregate.version}; reload and retry."
            )

    def _result(self, aggregate: Aggregate, **detail: Any) -> CommandResult:
        position = self._save(aggregate, answer=lambda at: CommandResult(
            aggregate.id, aggregate.version, at, detail))
        return CommandResult(aggregate.id, aggregate.version, position, detail)

    def catalogue(self) -> PlanCatalogue:
        try:
            catalogue: Aggregate = self.app.repository.get(PlanCatalogue.create_id())
        except AggregateNotFoundError:
            return PlanCatalogue()
        assert isinstance(catalogue, PlanCatalogue)
        return catalogue

    def task(self, number: str, plan: str | None = None) -> Task:
        plan_id = self.catalogue().resolve(plan)
        return self._get(Task, Task.create_id(plan_id, str(number).strip().rstrip(".")),
                         f"task {number}")

    def indicator(self, code: str, plan: str | None = None) -> Indicator:
        plan_id = self.catalogue().resolve(plan)
        return self._get(
            Indicator, Indicator.create_id(plan_id, code.strip().rstrip(".")),
            f"indicator {code}",
        )

    def agency(self, name_or_key: str) -> Agency:
        """By key, by the name it was registered under, or by its current name (a renamed
        agency keeps the key of its first name)."""
        for key in dict.fromkeys((name_or_key.strip(), normalise_agency(name_or_key).key)):
            if Agency.create_id(key) in self.app.repository:
                return self._get(Agency, Agency.create_id(key), f"agency '{name_or_key}'")
        wanted = fold(name_or_key)
        for key, name in TenantQueries(self.app).state().agencies.items():
            if fold(name) == wanted:
                return self._get(Agency, Agency.create_id(key), f"agency '{name_or_key}'")
        raise NotFound(f"No agency '{name_or_key}'.", field="agency")

    def plan(self, number: str | None = None) -> Plan:
        return self._get(Plan, self.catalogue().resolve(number), f"plan {number or ''}".strip())

    def _agency_keys(self, names: Sequence[str], field_name: str) -> tuple[str, ...]:
        keys = []
        for name in names:
            try:
                keys.append(self.agency(name).key)
            except NotFound:
                raise NotFound(
                    f"Agency '{name}' is not in this tenant's registry.", field=field_name
                ) from None
        return tuple(dict.fromkeys(keys))

    # -- plans ---------------------------------------------------------------------------

    def import_plan(
        self, document: PlanDocument, sha256: str, ctx: Context, *, accept_problems: bool = False
    ) -> ImportResult:
        if document.problems and not accept_problems:
            raise ImportRefused(document.problems)
        plan_id = Plan.create_id(document.header.number)
        existing: Aggregate | None
        try:
            existing = self.app.repository.get(plan_id)
        except AggregateNotFoundError:
            existing = None
        if isinstance(existing, Plan):
            if existing.source_sha256 != sha256:
                raise AlreadyExists(
                    f"Plan {existing.number} was imported from another document; record "
                    "corrections as commands, not by importing again.",
                    field="file",
                )
            return self._import_result(document, existing, False, 0, [], None)
        # A plan's tasks take effect on the date the plan was issued (valid time).
        issued = Context(ctx.actor, ctx.effective_on or document.header.issued_on, ctx.agency)
        built = build_plan(document, sha256, self._provenance(issued))
        catalogue = self.catalogue()
        catalogue.add_plan(built.plan.id, built.plan.number)
        new_agencies = [
            Agency.register(name, self._provenance(issued))
            for key, name in built.agencies.items()
            if Agency.create_id(key) not in self.app.repository
        ]
        # One save, one transaction: a failure part-way leaves nothing behind.
        position = self._save(
            catalogue, built.plan, *new_agencies, *built.tasks, *built.indicators,
            answer=lambda at: self._import_result(
                document, built.plan, True, len(new_agencies), built.warnings, at),
        )
        return self._import_result(
            document, built.plan, True, len(new_agencies), built.warnings, position
        )

    @staticmethod
    def _import_result(
        document: PlanDocument, plan: Plan, recorded: bool, new_agencies: int,
        warnings: list[str], position: int | None,
    ) -> ImportResult:
        return ImportResult(
            plan_number=plan.number, plan_id=plan.id, recorded=recorded,
            tasks=len(document.tasks), groups=len(document.groups),
            indicators=len(document.indicators), new_agencies=new_agencies,
            warnings=tuple(warnings), problems=document.problems, position=position,
        )

    # -- agencies ------------------------------------------------------------------------

    def register_agency(self, name: str, ctx: Context) -> CommandResult:
        normalised = normalise_agency(name)
        if not normalised.name:
            raise DomainError("An agency needs a name.", field="name")
        agency = Agency.register(normalised, self._provenance(ctx))
        try:
            return self._result(agency)
        except Conflict:
            raise AlreadyExists(f"Agency '{normalised.name}' is already registered.",
                                field="name") from None

    def rename_agency(self, name_or_key: str, new_name: str, reason: str,
                      ctx: Context) -> CommandResult:
        agency = self.agency(name_or_key)
        self._check_version(agency, ctx)
        agency.rename(new_name, clean(reason), self._provenance(ctx))
        return self._result(agency)

    # -- tasks ---------------------------------------------------------------------------

    def reassign_task(
        self, number: str, leads: Sequence[str], coordinators: Sequence[str], reason: str,
        decision_ref: str, ctx: Context, plan: str | None = None,
    ) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        lead_keys = self._agency_keys(leads, "leads")
        coordinator_keys = self._agency_keys(coordinators, "coordinators")
        task.reassign(lead_keys, coordinator_keys, clean(reason), clean(decision_ref),
                      self._provenance(ctx))
        return self._result(task)

    def change_deadline(
        self, number: str, deadline: str, reason: str, decision_ref: str, ctx: Context,
        plan: str | None = None,
    ) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        new = parse_deadline(deadline)
        if new.due is None and new.kind.value == "unparsed":
            raise DomainError(f"Deadline '{deadline}' is not understood: {new.warning}",
                              field="deadline")
        task.change_deadline(new, clean(reason), clean(decision_ref), self._provenance(ctx))
        return self._result(task)

    def record_trigger(
        self, number: str, triggered_on: date, note: str, ctx: Context, plan: str | None = None
    ) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.record_trigger(triggered_on, clean(note), self._provenance(ctx))
        return self._result(task)

    def report_progress(
        self, number: str, period: str, percent: int, narrative: str, ctx: Context, *,
        difficulties: str = "", proposals: str = "", evidence: Sequence[str] = (),
        plan: str | None = None,
    ) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        agency_key = self._reporting_agency(task, ctx)
        report = task.report_progress(
            ReportingPeriod.parse(period), percent, clean(narrative), clean(difficulties),
            clean(proposals), tuple(clean(e) for e in evidence if e.strip()),
            self._provenance(ctx, agency_key),
        )
        return self._result(task, report=report)

    def _reporting_agency(self, task: Task, ctx: Context) -> str | None:
        if ctx.agency is None:
            return None
        key = self._agency_keys([ctx.agency], "agency")[0]
        if not task.involves(key):
            raise DomainError(
                f"Agency '{ctx.agency}' neither leads nor coordinates task {task.number}.",
                field="agency",
            )
        return key

    def verify_report(self, number: str, report: int, note: str, ctx: Context,
                      plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.verify_report(report, clean(note), self._provenance(ctx))
        return self._result(task)

    def return_report(self, number: str, report: int, reason: str, ctx: Context,
                      plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.return_report(report, clean(reason), self._provenance(ctx))
        return self._result(task)

    def complete_task(self, number: str, output_document: str, completed_on: date,
                      ctx: Context, plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        agency_key = self._reporting_agency(task, ctx)
        task.complete(clean(output_document), completed_on, self._provenance(ctx, agency_key))
        return self._result(task)

    def cancel_task(self, number: str, reason: str, decision_ref: str, ctx: Context,
                    plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.cancel(clean(reason), clean(decision_ref), self._provenance(ctx))
        return self._result(task)

    def suspend_task(self, number: str, reason: str, decision_ref: str, ctx: Context,
                     plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.suspend(clean(reason), clean(decision_ref), self._provenance(ctx))
        return self._result(task)

    def resume_task(self, number: str, reason: str, decision_ref: str, ctx: Context,
                    plan: str | None = None) -> CommandResult:
        task = self.task(number, plan)
        self._check_version(task, ctx)
        task.resume(clean(reason), clean(decision_ref), self._provenance(ctx))
        return self._result(task)

    # -- indicators ----------------------------------------------------------------------

    def report_indicator(
        self, code: str, period: str, value: str, source: str, ctx: Context,
        plan: str | None = None,
    ) -> CommandResult:
        indicator = self.indicator(code, plan)
        self._check_version(indicator, ctx)
        agency_key = self._agency_keys([ctx.agency], "agency")[0] if ctx.agency else None
        indicator.report_value(
            ReportingPeriod.parse(period), _decimal(value), clean(source),
            self._provenance(ctx, agency_key),
        )
        return self._result(indicator)

    def change_target(
        self, code: str, target: str, reason: str, decision_ref: str, ctx: Context,
        plan: str | None = None,
    ) -> CommandResult:
        indicator = self.indicator(code, plan)
        self._check_version(indicator, ctx)
        indicator.change_target(
            parse_target(clean(target), indicator.unit), clean(reason), clean(decision_ref),
            self._provenance(ctx),
        )
        return self._result(indicator)


def _decimal(text: str) -> Decimal:
    """Values as Vietnamese documents write them: '0,7' and '0.7' alike."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(f"'{text}' is not a number.", field="value") from None
    if not value.is_finite():
        raise DomainError(f"'{text}' is not a finite number.", field="value")
    return value
