"""One province's event-sourced application: its log, repository and notification log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from copy import deepcopy
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    InfrastructureFactory,
    JSONTranscoder,
    PersistenceError,
    Recording,
    StoredEvent,
)
from eventsourcing.utils import Environment

from domain.catalogue import CATALOGUE_ID, PlanCatalogue
from domain.errors import DomainError
from domain.task import Task
from service.folded import Folded, FoldedItems
from service.transcodings import DOMAIN_TRANSCODINGS
from tenants.recorders import Histories, HistoryCut, Wanted
from tenants.slugs import table_prefix
from tenants.storage import TenantStorage

log = logging.getLogger(__name__)

# Events of one task between snapshots: a command then folds at most this many events after
# the latest snapshot instead of the task's whole history (bench/README.md, figure 4).
TASK_SNAPSHOT_INTERVAL = 50


class HistoryUnreadable(DomainError):
    """The stored events of an item no longer fold into it: they were altered or removed
    behind the service (`r57 verify --live` locates the change)."""


class CheckedRepository(Repository[UUID]):
    """A repository whose loads fail with a clear refusal, never a crash, when an item's
    stored history was tampered with (a changed field, a deleted event)."""

    def _reconstruct_aggregate(self, aggregate_id: UUID, version: int | None,
                               projector_func: ProjectorFunction[Any, Any]) -> Any:
        try:
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        except (AggregateNotFoundError, PersistenceError):
            raise
        except Exception as exc:  # whatever a forged event makes the fold raise
            log.error("the stored history of %s does not load: %r", aggregate_id, exc)
            raise HistoryUnreadable("history.unreadable", field="history") from None


class LedgerApplication(Application[UUID]):
    """Built per tenant on infrastructure the storage hands out (a shared pool on PostgreSQL).

    Tasks are snapshotted every TASK_SNAPSHOT_INTERVAL events into the tenant's snapshots
    table (`t_<slug>_snapshots`, or `stored_snapshots` in the tenant's SQLite file). Snapshots
    are a cache: nothing reads them but `repository.get`, and the events stay the record.
    """

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Task: TASK_SNAPSHOT_INTERVAL,
    }

    def __init__(self, slug: str, storage: TenantStorage) -> None:
        self.slug = slug
        self.storage = storage
        # The plan catalogue as last read (it changes rarely); see `catalogue`.
        self._kept_catalogue: PlanCatalogue | None = None
        self._catalogue_lock = threading.Lock()
        # Items as the last command of this process left them; see `bring_up`.
        self.folded = FoldedItems()
        # The library derives the events table name from the application name.
        self.name = table_prefix(slug)
        super().__init__(env={"CREATE_TABLE": "n", "IS_SNAPSHOTTING_ENABLED": "y"})

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Configuration comes from the composition root, never from os.environ here.
        return Environment(name, dict(env or {}))

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return self.storage.factory(self.slug, env)

    def construct_repository(self) -> Repository[UUID]:
        return CheckedRepository(event_store=self.events, snapshot_store=self.snapshots)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in DOMAIN_TRANSCODINGS:
            transcoder.register(transcoding)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """As the library saves, without its runtime Protocol checks on what is saved
        when every object is an aggregate (all the ledger saves)."""
        if not all(isinstance(obj, Aggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        """Runs after the save has committed: a snapshot that cannot be written (a duplicate,
        a missing grant) must not turn a recorded command into an error. Loads then fold
        from the previous snapshot, or from the first event."""
        try:
            super().take_snapshot(aggregate_id, version, projector_func)
        except Exception:
            log.warning("Snapshot of %s at version %s not written (tenant %s).",
                        aggregate_id, version, self.slug, exc_info=True)

    def create_tables(self) -> None:
        """Provisioning only: web workers and commands never run DDL. The events and the
        snapshots tables in one transaction (the library's composite type is left out: it
        serves only its database functions, which the append does not use)."""
        assert self.snapshots is not None
        recorders: list[Any] = [self.recorder, self.snapshots.recorder]
        datastore = recorders[0].datastore
        if recorders[1].datastore is not datastore:
            for recorder in recorders:
                recorder.create_table()
            return
        with datastore.transaction(commit=True) as cursor:
            for recorder in recorders:
                recorder._create_table(cursor)  # its statements, in this transaction

    def create_snapshots_table(self) -> None:
        """Idempotent (CREATE TABLE IF NOT EXISTS); `Tenancy.migrate` runs it for tenants
        provisioned before snapshots existed."""
        assert self.snapshots is not None  # IS_SNAPSHOTTING_ENABLED is always on here
        recorder: Any = self.snapshots.recorder
        recorder.create_table()

    # -- reading items in one statement ------------------------------------------------

    def histories(self, wanted: Wanted) -> dict[UUID, list[DomainEventProtocol[UUID]]]:
        """The events that fold each wanted item (its latest snapshot first), all read in
        one statement (`tenants.recorders.Wanted` says what is read for each)."""
        to_event = self.mapper.to_domain_event
        return {item: [to_event(s) for s in ([snapshot] if snapshot else [])]
                + [to_event(e) for e in events]
                for item, (snapshot, events) in self._stored_histories(wanted).items()}

    def _stored_histories(self, wanted: Wanted) -> Histories:
        recorder: Any = self.recorder  # both tenant recorders answer it
        assert self.snapshots is not None
        snapshots: Any = self.snapshots.recorder
        try:
            found: Histories = recorder.select_histories(snapshots.events_table_name, wanted)
        except HistoryCut as cut:
            log.error("the stored history of %s no longer begins with its first event", cut)
            raise HistoryUnreadable("history.unreadable", field="history") from None
        return found

    def bring_up(self, items: dict[UUID, Folded | None], others: Wanted = ()
                 ) -> tuple[dict[UUID, Folded | None], dict[UUID, list[DomainEventProtocol[UUID]]]]:
        """Each of `items` as stored now (None: it has no events), from the version given
        with it (or from its latest snapshot), and the events `others` want, all read in
        one statement. Only the events after a given version are decoded and folded, onto
        the given item, which is changed in place."""
        wanted = [(item, None if given is None else given.version - 1)
                  for item, given in items.items()]
        found = self._stored_histories([*wanted, *others])
        to_event = self.mapper.to_domain_event
        loaded: dict[UUID, Folded | None] = {}
        for item, offered in items.items():
            snapshot, stored = found[item]
            given = offered
            if offered is not None and not _continues(offered, stored):
                # The history is no longer the one folded (a store restored behind this
                # process): fold it again from the start.
                given = None
                snapshot, stored = self._stored_histories([(item, None)])[item]
            if given is None:
                events = [to_event(e) for e in ([snapshot] if snapshot else []) + stored]
                initial = None
            else:  # its first event read is the one it was folded to
                events, initial = [to_event(e) for e in stored[1:]], given.aggregate
            try:
                aggregate = self.fold(item, events, initial)
            except AggregateNotFoundError:
                loaded[item] = None
                continue
            loaded[item] = Folded(aggregate, stored[-1].state if stored else None)
        return loaded, {item: [to_event(e) for e in found[item][1]] for item, _ in others}

    def fold(self, item: UUID, events: Iterable[DomainEventProtocol[UUID]],
             initial: Any = None) -> Any:
        """The item its events make (from `initial`); a history that no longer folds is
        refused as the repository refuses it (HistoryUnreadable)."""
        aggregate = initial
        try:
            for event in events:
                aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
        except Exception as exc:  # whatever a forged event makes the fold raise
            log.error("the stored history of %s does not load: %r", item, exc)
            raise HistoryUnreadable("history.unreadable", field="history") from None
        if aggregate is None:
            raise AggregateNotFoundError(item)
        return aggregate

    def kept_catalogue(self) -> PlanCatalogue | None:
        """The catalogue as last read by this process (None: not read yet); not to change."""
        with self._catalogue_lock:
            return self._kept_catalogue

    def keep_catalogue(self, catalogue: PlanCatalogue) -> None:
        """Keep a copy of the catalogue as read, unless a newer one is kept already."""
        with self._catalogue_lock:
            kept = self._kept_catalogue
            if kept is None or kept.version < catalogue.version:
                self._kept_catalogue = deepcopy(catalogue)

    def catalogue(self, news: Sequence[DomainEventProtocol[UUID]] | None = None
                  ) -> PlanCatalogue | None:
        """The tenant's plan catalogue as stored now (None: no plan yet), a copy the caller
        may change. Only the events after the version kept by this process are read (one
        statement), or `news`, those events read already by the caller."""
        kept = self.kept_catalogue()
        if kept is None:
            try:
                found: Aggregate = self.repository.get(CATALOGUE_ID)
            except AggregateNotFoundError:
                return None
        else:
            if news is None:
                news = self.histories([(CATALOGUE_ID, kept.version)])[CATALOGUE_ID]
            found = self.fold(CATALOGUE_ID, news, deepcopy(kept))
        assert isinstance(found, PlanCatalogue)
        if kept is None or news:
            self.keep_catalogue(found)
        return found


def _continues(given: Folded, stored: Sequence[StoredEvent]) -> bool:
    """Whether the stored events read from the given item's version on start with the
    event it was folded to."""
    if not stored or stored[0].originator_version != given.version:
        return False
    return given.last_state is None or stored[0].state == given.last_state
