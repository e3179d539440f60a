"""A tenant's ledger: loads its items, records commands (service/handlers.py routes each
one), and commits what they changed. Commands return ids and positions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.agencies import normalise_agency
from domain.agency import Agency
from domain.catalogue import CATALOGUE_ID, PlanCatalogue
from domain.clock import Clock, recording_by
from domain.errors import Conflict, DomainError, NotFound
from domain.indicator import Indicator
from domain.plan import Plan
from domain.provenance import Provenance
from domain.task import Task
from domain.text import clean, fold
from projections.responsibility import carriers
from service import handlers
from service.application import LedgerApplication
from service.commands import Command, Context
from service.folded import Folded
from service.queries import TenantQueries
from service.recording import answer_steps
from tenants import faults
from tenants.files import FileLimits, FileStore
from tenants.recorders import Wanted

log = logging.getLogger(__name__)
A = TypeVar("A", bound=Aggregate)
# Called after each successful append with the application and the number of events.
AppendListener = Callable[[LedgerApplication, int], None]


class TenantLedger:
    def __init__(
        self,
        app: LedgerApplication,
        today: Callable[[], date] | None = None,
        after_append: Sequence[AppendListener] = (),
        records_by: Clock | None = None,
    ) -> None:
        self.app = app
        self.file_limits = FileLimits()
        self._records_by = records_by
        self._today = records_by.today if records_by is not None else today or Clock().today
        self._after_append = tuple(after_append)
        # While a command runs: the items it loaded or saved, by id (see `handle`).
        self._held: dict[UUID, Folded] | None = None

    # -- plumbing ----------------------------------------------------------------------

    def handle(self, command: Command, context: Context) -> handlers.Result:
        """Record one command (service/handlers.py says how); the one way to change state.
        A ledger given a clock of its own (`records_by`) stamps its events with that clock's
        instants: a simulated history is recorded as it would have been, at its dates.

        The items the command loads are its own while it runs; once it has succeeded,
        those it saved or left unchanged are kept for the process's next command
        (service/folded.py). A command that fails leaves none of them kept."""
        self._held = {}
        try:
            if self._records_by is None:
                result = handlers.handle(self, command, context)
            else:
                with recording_by(self._records_by):
                    result = handlers.handle(self, command, context)
            for folded in self._held.values():
                if not folded.aggregate.pending_events:
                    self.app.folded.give(folded)
            return result
        finally:
            self._held = None

    def current_version(self, command: Command) -> int:
        """The version of the item a command is about, as stored now."""
        return handlers.target(self, command).version

    def today(self) -> date:
        """The calendar date now, for rules such as "not dated in the future"."""
        return self._today()

    @property
    def files(self) -> FileStore:
        """The tenant's evidence files."""
        return FileStore(self.app.storage.tenant_database(self.app.slug), self.app.slug,
                         self.file_limits, now=self._records_by.now if self._records_by else None)

    def provenance(self, ctx: Context, agency_key: str | None = None) -> Provenance:
        return Provenance(
            actor=clean(ctx.actor), effective_on=ctx.effective_on or self._today(),
            on_behalf_of=agency_key,
        )

    def _get(self, cls: type[A], aggregate_id: UUID, missing: NotFound) -> A:
        """An item as stored now: the events after the version this process keeps (or its
        latest snapshot and the events after it), read in one statement."""
        return self._owned(cls, self._load([aggregate_id])[0][aggregate_id], missing)

    def _load(self, items: Sequence[UUID], others: Wanted = ()
              ) -> tuple[dict[UUID, Folded | None], dict[UUID, list[Any]]]:
        """The items as stored now, with the events `others` want (one statement)."""
        given = {item: self._given(item) for item in items}
        loaded, news = self.app.bring_up(given, others)
        if self._held is not None:
            self._held.update((i, f) for i, f in loaded.items() if f is not None)
        return loaded, news

    def _given(self, item: UUID) -> Folded | None:
        """What a load starts from: outside a command nothing (the caller may keep what it
        is given), within one the item it holds unchanged, or the one the process keeps."""
        if self._held is None:
            return None
        held = self._held.get(item)
        if held is not None and not held.aggregate.pending_events:
            return held
        return self.app.folded.take(item)

    @staticmethod
    def _owned(kind: type[A], folded: Folded | None, missing: NotFound) -> A:
        if folded is None or not isinstance(folded.aggregate, kind):
            raise missing
        return folded.aggregate

    def _named(self, cls: type[A], item_id: Callable[[PlanCatalogue], UUID],
               missing: NotFound) -> A:
        """An item named within a plan (a task, an indicator, a plan), read in the same
        statement as the catalogue's events after the version this process keeps: a
        catalogue changed meanwhile (a plan added) is caught up and the name resolved
        again."""
        kept = self.app.kept_catalogue()
        try:
            target = item_id(kept) if kept is not None else None
        except DomainError:  # the kept catalogue may not list the plan yet
            target = None
        if kept is None or target is None:
            return self._get(cls, item_id(self.catalogue()), missing)
        loaded, histories = self._load([target], [(CATALOGUE_ID, kept.version)])
        news = histories[CATALOGUE_ID]
        if news:
            catalogue = self.app.catalogue(news) or PlanCatalogue()
            if item_id(catalogue) != target:
                return self._get(cls, item_id(catalogue), missing)
        return self._owned(cls, loaded[target], missing)

    def existing(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            found: Aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found

    def recorded_ids(self, ids: Sequence[UUID]) -> set[UUID]:
        """Those of `ids` that name an item with events, in one statement."""
        recorder: Any = self.app.recorder  # both tenant recorders answer it
        found: set[UUID] = recorder.recorded_originators(list(ids))
        return found

    def commit(self, *aggregates: Aggregate, answer: Callable[[int | None], Any] | None = None,
               on_conflict: DomainError | None = None) -> int | None:
        """Save the aggregates a command changed: the only place that saves. One transaction:
        the events, their chain links and, when the command carries an idempotency key, the
        key with its answer (`answer` builds the result from the position of the last
        event). Returns that position (None: nothing new)."""
        if not aggregates:
            return None
        within = answer_steps(answer) if answer is not None else []
        try:
            recordings = self.app.save(*aggregates, within=within)
        except IntegrityError:
            if on_conflict is not None:
                raise on_conflict from None
            raise Conflict("conflict.concurrent_change") from None
        if self._held is not None:
            last = {r.domain_event.originator_id: r.notification.state for r in recordings}
            for aggregate in aggregates:
                self._held[aggregate.id] = Folded(aggregate, last.get(aggregate.id))
        # Followers that must keep up with every append (the hash chain, metrics) run
        # after the commit; each also catches up by itself, so a crash here loses nothing.
        for listener in self._after_append:
            try:
                listener(self.app, len(recordings))
            except Exception:  # the command is recorded; the follower catches up later
                log.exception("a follower failed after an append to %s", self.app.slug)
        faults.reached("after_commit")
        return recordings[-1].notification.id if recordings else None

    def check_version(self, aggregate: Aggregate, ctx: Context) -> None:
        if ctx.expected_version is not None and ctx.expected_version != aggregate.version:
            raise Conflict("conflict.version", expected=ctx.expected_version,
                           current=aggregate.version)

    def catalogue(self) -> PlanCatalogue:
        """The plans the tenant holds, as stored now (a copy a command may change)."""
        return self.app.catalogue() or PlanCatalogue()

    def task(self, number: str, plan: str | None = None) -> Task:
        key = str(number).strip().rstrip(".")
        return self._named(Task, lambda c: Task.create_id(c.resolve(plan), key),
                           NotFound("task.not_found", field="task", number=str(number)))

    def indicator(self, code: str, plan: str | None = None) -> Indicator:
        key = code.strip().rstrip(".")
        return self._named(Indicator, lambda c: Indicator.create_id(c.resolve(plan), key),
                           NotFound("indicator.not_found", field="indicator", code=code))

    def agency(self, name_or_key: str) -> Agency:
        """By key, by the name it was registered under, or by its current name (a renamed
        agency keeps the key of its first name)."""
        missing = NotFound("agency.not_found", field="agency", agency=name_or_key)
        for key in dict.fromkeys((name_or_key.strip(), normalise_agency(name_or_key).key)):
            try:
                return self._get(Agency, Agency.create_id(key), missing)
            except NotFound:
                continue
        wanted = fold(name_or_key)
        for key, name in TenantQueries(self.app).state().agencies.items():
            if fold(name) == wanted:
                return self._get(Agency, Agency.create_id(key), missing)
        raise missing

    def carried_by(self, keys: Sequence[str], carrier: str, on: date) -> tuple[str, ...]:
        """Those of `keys` whose duties `carrier` carries on `on` (as their successor)."""
        state = TenantQueries(self.app).state()
        return tuple(k for k in keys if carrier in carriers(state, k, on))

    def plan(self, number: str | None = None) -> Plan:
        return self._named(Plan, lambda c: c.resolve(number),
                           NotFound("plan.not_found", field="plan", plan=number or ""))

    def agency_keys(self, names: Sequence[str], field_name: str) -> tuple[str, ...]:
        keys = []
        for name in names:
            try:
                keys.append(self.agency(name).key)
            except NotFound:
                raise NotFound("agency.not_registered", field=field_name, agency=name) from None
        return tuple(dict.fromkeys(keys))
