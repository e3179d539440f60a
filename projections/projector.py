"""Brings a tenant's read models up to its log, exactly once, and rebuilds or checks them.

Commands only append events. A read first catches the read models up to the head of the
log (read-your-writes by waiting for the position), so a crash between an append and its
projection loses nothing: the next catch-up applies what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any
from uuid import UUID

from projections.audit import AuditEntry
from projections.codec import encode
from projections.entries import entry_for
from projections.plan_state import TASK, PlanState
from projections.specs import apply, spec_for
from projections.store import ReadModelStore, row_documents, view_documents, view_keys

EventSource = Callable[[int], Iterator[tuple[int, Any]]]  # events after a position
BATCH = 2000


def _view_key(event: Any) -> tuple[str, str]:
    return spec_for(event).subject.view, str(event.originator_id)


def catch_up(store: ReadModelStore, events_after: EventSource, head: int | None) -> int:
    """Apply every event after the stored position; returns the position reached."""
    while True:
        position = store.position()
        if head is not None and position >= head:
            return position
        # Read the log before taking the projection lock: on SQLite the log shares the
        # file, and reading it while holding the write lock would wait on waiting writers.
        batch = list(islice(events_after(position), BATCH))
        if not batch:
            return position
        with store.db.transaction() as cursor:
            if store.lock_position(cursor) != position:
                continue  # another reader caught up meanwhile; start from where it got
            keys = {_view_key(e) for _, e in batch}
            state = store.load(cursor, keys)
            entries = apply_all(state, batch)
            store.save_views(cursor, state, sorted(k for k in keys if k[0]))
            store.save_rows(cursor, state, sorted(
                UUID(i) for kind, i in keys if kind == TASK and UUID(i) in state.tasks))
            store.save_entries(cursor, entries)
            store.set_position(cursor, batch[-1][0])
        if len(batch) < BATCH:
            return batch[-1][0]


def apply_all(state: PlanState, events: Iterable[tuple[int, Any]]) -> list[AuditEntry]:
    """Fold events into the state, describing each against the state just before it."""
    entries = []
    for position, event in events:
        entries.append(entry_for(position, event, state))
        apply(state, position, event)
    return entries


def rebuild(store: ReadModelStore, events_after: EventSource) -> int:
    """Recompute every read model of the tenant from its events, in one transaction."""
    # Fold first, outside the lock (see catch_up); events appended meanwhile are applied
    # by the next catch-up, from the position this rebuild records.
    state = PlanState()
    entries = apply_all(state, events_after(0))
    with store.db.transaction() as cursor:
        store.lock_position(cursor)
        store.clear(cursor)
        store.save_views(cursor, state, view_keys(state))
        store.save_rows(cursor, state, state.tasks)
        store.save_entries(cursor, entries)
        store.set_position(cursor, state.position)
        return state.position


@dataclass(frozen=True)
class Difference:
    what: str  # "task 5", "entry #42", "position"
    live: Any
    rebuilt: Any


def check(store: ReadModelStore, events_after: EventSource) -> list[Difference]:
    """Compare the live read models with a fresh fold of the same events."""
    with store.db.transaction() as cursor:
        position = store.lock_position(cursor)
        live_state = store.load(cursor)
        live_rows = store.row_documents(cursor)
        live_entries = {e.position: e.to_dict() for e in store.all_entries(cursor)}
    fresh = PlanState()
    fresh_entries = {
        e.position: e.to_dict()
        for e in apply_all(fresh, (pe for pe in events_after(0) if pe[0] <= position))
    }
    differences = _compare(view_documents(live_state), view_documents(fresh), "view")
    differences += _compare(live_rows, row_documents(fresh), "status row")
    differences += _compare(live_entries, fresh_entries, "entry")
    return differences


def _compare(live: dict[Any, Any], fresh: dict[Any, Any], label: str) -> list[Difference]:
    found = []
    for key in sorted(set(live) | set(fresh), key=str):
        a, b = encode(live.get(key)), encode(fresh.get(key))
        if a != b:
            found.append(Difference(f"{label} {key}", a, b))
    return found
