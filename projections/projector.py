"""Brings a tenant's read models up to its log, exactly once, and rebuilds or checks them.

Commands only append events. A read first catches the read models up to the head of the
log (read-your-writes by waiting for the position), so a crash between an append and its
projection loses nothing: the next catch-up applies what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar
from uuid import UUID

from domain.task import Task
from projections.audit import AuditEntry
from projections.checkpoints import (
    KeptRows,
    checkpoint_document,
    noting_reports,
    report_positions,
)
from projections.codec import encode
from projections.entries import EntryRow, EntryRows, entry_for
from projections.plan_state import TASK, PlanState
from projections.specs import EventSpec, spec_for
from projections.store import (
    ReadModelStore,
    ReportPositions,
    ReportsNeeded,
    row_documents,
    view_documents,
)

EventSource = Callable[[int], Iterator[tuple[int, Any]]]  # events after a position
BATCH = 2000
# A checkpoint of the state at the last event up to each multiple of this position
# (projections/checkpoints): a read as known at a past time folds at most this many events
# after the one it starts from. A checkpoint of the seed plan is about 170 kB against about
# 500 kB of change-log entries per 2,000 events.
CHECKPOINT_EVERY = 2000


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
        fetched = list(islice(events_after(position), BATCH))
        if not fetched:
            return position
        # Checkpoints as apply_all takes them: stop at a boundary when the events reach it;
        # when the log jumps past one (positions may skip), the state as it stands is the
        # last before it.
        boundary = (position // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY
        before = fetched[0][0] > boundary and position % CHECKPOINT_EVERY != 0
        if fetched[0][0] > boundary:
            boundary = (fetched[0][0] // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY
        batch = [pe for pe in fetched if pe[0] <= boundary]
        after = batch[-1][0] % CHECKPOINT_EVERY == 0 or len(batch) < len(fetched)
        with store.db.transaction() as cursor:
            if store.lock_position(cursor) != position:
                continue  # another reader caught up meanwhile; start from where it got
            if before and position:
                store.save_checkpoint(cursor, position, store.stored_checkpoint(cursor))
            keys = {_view_key(e) for _, e in batch}
            state = store.load(cursor, keys, reports_needed(e for _, e in batch))
            rows = apply_rows(state, batch, store.entry_rows())
            store.save_views(cursor, state, sorted(k for k in keys if k[0]),
                             report_positions(batch))
            store.save_rows(cursor, state, sorted(
                UUID(i) for kind, i in keys if kind == TASK and UUID(i) in state.tasks))
            store.save_entries(cursor, rows)
            store.set_position(cursor, batch[-1][0])
            if after:
                store.save_checkpoint(cursor, batch[-1][0], store.stored_checkpoint(cursor))
        if len(fetched) < BATCH and len(batch) == len(fetched):
            return batch[-1][0]


def reports_needed(events: Iterable[Any]) -> dict[str, ReportsNeeded]:
    """Which stored reports of each task the events read (projections/specs/task.py): a
    report reads the latest of its period, a verification the report verified; a report
    returned changes what the task's status row makes of the others, so it reads them all."""
    periods: dict[str, set[str]] = {}
    numbers: dict[str, set[int]] = {}
    every: set[str] = set()
    for event in events:
        task = str(event.originator_id)
        if isinstance(event, Task.ProgressReported):
            periods.setdefault(task, set()).add(event.period)
        elif isinstance(event, Task.ReportVerified):
            numbers.setdefault(task, set()).add(event.report)
        elif isinstance(event, Task.ReportReturned):
            every.add(task)
    return {task: ReportsNeeded(task in every, frozenset(periods.get(task, ())),
                                frozenset(numbers.get(task, ())))
            for task in {*periods, *numbers, *every}}


def apply_all(state: PlanState, events: Iterable[tuple[int, Any]],
              checkpoints: list[tuple[int, str]] | None = None) -> list[AuditEntry]:
    """Fold events into the state, describing each against the state just before it. Given
    a list, add to it the checkpoints a catch-up would take on the way: the state at the
    last event up to each multiple of CHECKPOINT_EVERY."""
    return _fold(state, events, entry_for, checkpoints)


def apply_rows(state: PlanState, events: Iterable[tuple[int, Any]], rows: EntryRows,
               checkpoints: list[tuple[int, str]] | None = None) -> list[EntryRow]:
    """`apply_all`, with each entry made straight as the row the store keeps."""
    return _fold(state, events, rows, checkpoints)


Entry = TypeVar("Entry")


def _fold(state: PlanState, events: Iterable[tuple[int, Any]],
          entry: Callable[[int, Any, PlanState, EventSpec], Entry],
          checkpoints: list[tuple[int, str]] | None) -> list[Entry]:
    entries = []
    rows = KeptRows()  # the status rows each checkpoint holds
    for position, event in events:
        if (checkpoints is not None and state.position % CHECKPOINT_EVERY != 0
                and position > (state.position // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY):
            # The log jumps past a boundary (positions may skip): the last state before it.
            checkpoints.append((state.position, checkpoint_document(state, rows)))
        spec = spec_for(event)  # once for the entry and the fold (as `apply` would)
        entries.append(entry(position, event, state, spec))
        rows.deciding(state, event)
        spec.fold(state, event)
        state.position = max(state.position, position)
        if checkpoints is not None and position % CHECKPOINT_EVERY == 0:
            checkpoints.append((position, checkpoint_document(state, rows)))
    return entries


def rebuild(store: ReadModelStore, events_after: EventSource) -> int:
    """Recompute every read model of the tenant from its events, in one transaction."""
    # Fold first, outside the lock (see catch_up); events appended meanwhile are applied
    # by the next catch-up, from the position this rebuild records.
    state = PlanState()
    checkpoints: list[tuple[int, str]] = []
    made: dict[tuple[str, int], ReportPositions] = {}
    rows = apply_rows(state, noting_reports(events_after(0), made), store.entry_rows(),
                      checkpoints)
    with store.db.transaction() as cursor, store.bulk(cursor):
        store.lock_position(cursor)
        store.clear(cursor)
        store.insert_state(cursor, state, made)
        store.save_entries(cursor, rows)
        for position, document in checkpoints:
            store.save_checkpoint(cursor, position, document)
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
        live_checkpoints = store.checkpoint_documents(cursor)
        live_made = store.report_position_documents(cursor)
        live_entries = {e.position: e.to_dict() for e in store.all_entries(cursor)}
    fresh = PlanState()
    fresh_checkpoints: list[tuple[int, str]] = []
    made: dict[tuple[str, int], ReportPositions] = {}
    fresh_entries = {
        e.position: e.to_dict()
        for e in apply_all(fresh, noting_reports(
            (pe for pe in events_after(0) if pe[0] <= position), made), fresh_checkpoints)
    }
    differences = _compare(view_documents(live_state), view_documents(fresh), "view")
    differences += _compare(live_rows, row_documents(fresh), "status row")
    differences += _compare(live_made, {f"{i} #{n}": [m.submitted, m.decided_from, m.decided]
                                        for (i, n), m in made.items()
                                        if f"{i} #{n}" in live_made}, "report positions")
    # Checkpoints taken before the table existed are missing, not different.
    folded = {p: json.loads(doc) for p, doc in fresh_checkpoints if p in live_checkpoints}
    differences += _compare(live_checkpoints, folded, "checkpoint")
    differences += _compare(live_entries, fresh_entries, "entry")
    return differences


def _compare(live: dict[Any, Any], fresh: dict[Any, Any], label: str) -> list[Difference]:
    found = []
    for key in sorted(set(live) | set(fresh), key=str):
        a, b = encode(live.get(key)), encode(fresh.get(key))
        if a != b:
            found.append(Difference(f"{label} {key}", a, b))
    return found
