"""Recorders whose append transaction does the whole of a command's writing.

Every append binds its entries into the tenant's hash chain in the transaction that inserts
them, so the chain has no window in which an event is recorded but not bound. A save may
pass further steps (`app.save(*aggregates, within=[step])`): each is called in the same
transaction, after the events are inserted, with the project's cursor and the positions the
events received; the idempotency answer of a command is written that way. Whatever fails,
the events, their links and the steps' rows commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg.sql import SQL, Literal

from integrity.canonical import Entry, link_entries
from integrity.store import IntegrityStore
from tenants import faults
from tenants.database import Cursor, _PostgresCursor, _SQLiteCursor

# A step of a command's transaction: (cursor, the positions of the events just inserted).
Step = Callable[[Cursor, Sequence[int]], None]


class AppendSteps:
    """What a tenant's append does after inserting its events, before it commits."""

    def __init__(self, integrity: IntegrityStore | None, events_table: str) -> None:
        self.integrity = integrity  # None: a log that is not chained (the access log)
        self.events_table = events_table

    def run(self, cursor: Cursor, stored: Sequence[StoredEvent], positions: Sequence[int],
            within: Sequence[Step]) -> None:
        faults.reached("after_events")
        if self.integrity is not None and positions:
            self._bind(cursor, stored, positions)
        faults.reached("after_chain")
        for step in within:
            step(cursor, positions)
        faults.reached("after_answer")

    def _bind(self, cursor: Cursor, stored: Sequence[StoredEvent],
              positions: Sequence[int]) -> None:
        assert self.integrity is not None
        head = self.integrity.lock_head(cursor)
        entries = [Entry(p, _uuid(s.originator_id), s.originator_version, s.topic, s.state)
                   for s, p in zip(stored, positions, strict=True)]
        if head.position != positions[0] - 1:  # a gap, or entries the chain has not bound
            entries = [*self._unbound(cursor, head.position, positions[0]), *entries]
        links, new_head = link_entries(head, entries)
        self.integrity.advance(cursor, links, new_head)

    def _unbound(self, cursor: Cursor, after: int, before: int) -> list[Entry]:
        column = "rowid" if cursor.dialect == "sqlite" else "notification_id"
        cursor.execute(
            f"SELECT {column} AS position, originator_id, originator_version, topic, state"  # noqa: S608
            f" FROM {self.events_table} WHERE {column} > :after AND {column} < :before"
            f" ORDER BY {column}",
            {"after": after, "before": before},
        )
        return [Entry(int(r["position"]), _uuid(r["originator_id"]),
                      int(r["originator_version"]), str(r["topic"]), bytes(r["state"]))
                for r in cursor.fetchall()]


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


class TenantSQLiteRecorder(SQLiteApplicationRecorder):
    steps: AppendSteps | None = None

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if self.steps is not None and positions is not None:
            self.steps.run(_SQLiteCursor(c.sqlite_cursor), stored_events, positions,
                           kwargs.get("within") or ())
        return positions


class TenantPostgresRecorder(PostgresApplicationRecorder):
    """Takes the events table's write lock through `r57_lock_events` (migrations/postgres
    0005), so the service's database role needs no more than SELECT and INSERT on events."""

    steps: AppendSteps | None = None

    def __init__(self, datastore: PostgresDatastore,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = f"{datastore.schema}.{events_table_name}"
        self.lock_table_statements = [
            self.lock_table_statements[0],  # SET LOCAL lock_timeout
            SQL("SELECT r57_lock_events({0}::regclass)").format(Literal(table)),
        ]

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                                       **kwargs: Any) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if self.steps is not None and positions:
            self.steps.run(_PostgresCursor(curs), stored_events, positions,
                           kwargs.get("within") or ())
        return positions
