"""Recorders whose append transaction does the whole of a command's writing.

Every append binds its entries into the tenant's hash chain in the transaction that inserts
them, so the chain has no window in which an event is recorded but not bound. A save may
pass further steps (`app.save(*aggregates, within=[step])`): each is called in the same
transaction, after the events are inserted, with the project's cursor and the positions the
events received (on PostgreSQL, stand-ins: the whole transaction is sent in one round trip,
see `PendingPositions`); the idempotency answer of a command is written that way. Whatever fails,
the events, their links and the steps' rows commit together or not at all.

On PostgreSQL an append is tried once. The library would retry it after a lost connection,
but a retry after a commit whose acknowledgement was lost records the command a second time
under a new answer, and retries multiply the wait of a request while the database is down
(the request is answered 503 at once instead, and the client retries with its key). Its
reads are tried once for the second reason.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Error as DriverError
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Composable, Identifier, Literal

from integrity.canonical import Entry, link_entries
from integrity.store import IntegrityStore
from tenants import faults
from tenants.database import Cursor, _PostgresCursor, _SQLiteCursor
from tenants.idempotency import KEYS_TABLE, KeyAlreadyRecorded

# A step of a command's transaction: (cursor, the positions of the events just inserted).
Step = Callable[[Cursor, Sequence[int]], None]


class PendingPositions(Sequence[int]):
    """The positions of events whose insert is sent in the round trip that the steps'
    statements go in (PostgreSQL): unknown while the steps run. Each stands in as a
    number no log reaches, random per append, so a step may write it into a text;
    `last_in_server` is SQL the server evaluates, later in the same transaction, to the
    last event's position (the append holds the events table's write lock, so the
    table's greatest position is its last). `known` holds the real ones once answered."""

    def __init__(self, count: int, events_table: str) -> None:
        first = _STAND_IN_FROM + secrets.randbelow(_STAND_IN_SPREAD)
        self._stand_ins = tuple(range(first, first + count))
        # `events_table` is the storage's name for the table, never input.
        self.last_in_server = f"(SELECT max(notification_id) FROM {events_table})::text"  # noqa: S608
        self.known: Sequence[int] = ()

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        return self._stand_ins[index]

    def __len__(self) -> int:
        return len(self._stand_ins)


# Stand-ins lie above any position a log reaches and below 2**63 (a bigint).
_STAND_IN_FROM, _STAND_IN_SPREAD = 9 * 10**18, 10**17


class AppendSteps:
    """What a tenant's append does after inserting its events, before it commits."""

    def __init__(self, integrity: IntegrityStore | None, events_table: str) -> None:
        self.integrity = integrity  # None: a log that is not chained (the access log)
        self.events_table = events_table

    def run(self, cursor: Cursor, stored: Sequence[StoredEvent], positions: Sequence[int],
            within: Sequence[Step]) -> None:
        """`positions` are stand-ins (`PendingPositions`) when the server has not answered
        the insert yet: the chain is then bound in the server."""
        faults.reached("after_events")
        if self.integrity is not None and positions:
            if isinstance(positions, PendingPositions):
                self.integrity.bind_in_server(cursor, self.events_table)
            else:
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


# (item, version): the item's latest snapshot and its events after it when version is None,
# else its events after that version. Its first event is read too, to see that the history
# still begins (HistoryCut when it does not).
Wanted = Sequence[tuple[UUID, int | None]]
_COLUMNS = "originator_id, originator_version, topic, state"
# Statements of up to this many items are composed once.
_KEPT_SHAPE = 4
# Per item: its snapshot (or None) and the events to fold after it, in order.
Histories = dict[UUID, tuple[StoredEvent | None, list[StoredEvent]]]


class HistoryCut(Exception):
    """An item's stored history no longer begins with its first event: events were removed
    behind the service."""


def _histories(rows: Sequence[Any], wanted: Wanted) -> Histories:
    found: Histories = {item: (None, []) for item, _ in wanted}
    unseen = {item: since for item, since in wanted if since is not None}
    for row in rows:
        item = _uuid(row["originator_id"])
        version = row["originator_version"]
        if item in unseen:  # the first row of an item read from a version
            since = unseen.pop(item)
            if version != 1:
                raise HistoryCut(item)
            if since >= 1:
                continue  # its first event, read only to see that it is still there
        stored = StoredEvent(originator_id=item, originator_version=version,
                             topic=row["topic"], state=bytes(row["state"]))
        events = found[item][1]
        if row["snapshot"]:
            found[item] = (stored, events)
        else:
            events.append(stored)
    return found


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


class TenantSQLiteRecorder(SQLiteApplicationRecorder):
    steps: AppendSteps | None = None

    def select_histories(self, snapshots_table: str, wanted: Wanted) -> Histories:
        """What folds each wanted item (see `Wanted`), in one statement."""
        parts: list[str] = []
        params: list[Any] = []
        for item, after in wanted:
            if after is None:
                latest = (f"(SELECT max(originator_version) FROM {snapshots_table}"  # noqa: S608
                          " WHERE originator_id = ?)")
                parts.append(f"SELECT 1 AS snapshot, {_COLUMNS} FROM {snapshots_table}"  # noqa: S608
                             f" WHERE originator_id = ? AND originator_version = {latest}")
                parts.append(f"SELECT 0 AS snapshot, {_COLUMNS} FROM {self.events_table_name}"  # noqa: S608
                             f" WHERE originator_id = ? AND originator_version >"
                             f" COALESCE({latest}, 0)")
                params += [item.hex] * 4
            else:
                parts.append(f"SELECT 0 AS snapshot, {_COLUMNS} FROM {self.events_table_name}"  # noqa: S608
                             " WHERE originator_id = ? AND (originator_version > ?"
                             " OR originator_version = (SELECT min(originator_version)"
                             f" FROM {self.events_table_name} WHERE originator_id = ?))")
                params += [item.hex, after, item.hex]
        # One statement reads one state of the file: no BEGIN and ROLLBACK around it.
        with self.datastore.get_connection(commit=False) as conn, conn.cursor() as c:
            c.execute(" UNION ALL ".join(parts) + " ORDER BY 1 DESC, 3", params)
            return _histories(c.fetchall(), wanted)

    def recorded_originators(self, ids: Sequence[UUID]) -> set[UUID]:
        """Those of `ids` that have events here, in one statement whatever their number."""
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT originator_id FROM {self.events_table_name}"  # noqa: S608
                      f" WHERE originator_id IN ({marks})", [i.hex for i in ids])
            return {UUID(row["originator_id"]) for row in c.fetchall()}

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if self.steps is not None and positions is not None:
            self.steps.run(_SQLiteCursor(c.sqlite_cursor), stored_events, positions,
                           kwargs.get("within") or ())
        return positions


C = TypeVar("C", bound=type)
_BEGIN, _COMMIT = b"BEGIN", b"COMMIT"
_OPEN = (TransactionStatus.INTRANS, TransactionStatus.INERROR)


def _names_table(exc: BaseException, table: str) -> bool:
    """Whether a unique violation (as the driver raised it, or as the library translated
    it) is on `table`."""
    found: BaseException | None = exc
    while found is not None:
        if isinstance(found, DriverError) and found.diag.table_name == table:
            return True
        found = found.__cause__ or found.__context__
    return False


def _tried_once(cls: C) -> C:
    """The class with every method the library wraps in its retry loop unwrapped."""
    for name in dir(cls):
        method = getattr(cls, name)
        code = getattr(method, "__code__", None)
        if code is not None and code.co_name == "retry_decorator":
            setattr(cls, name, method.__wrapped__)
    return cls


@_tried_once
class TenantPostgresRecorder(PostgresApplicationRecorder):
    """Takes the events table's write lock through `r57_lock_events` (migrations/postgres
    0005), so the service's database role needs no more than SELECT and INSERT on events."""

    steps: AppendSteps | None = None

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """The events and the steps in one transaction, tried once, in one round trip:
        BEGIN, the lock, the insert, the steps' statements (the chain bound in the server,
        the idempotency key with its answer) and COMMIT are sent together, since none
        needs the answer of another: the steps see the positions as stand-ins
        (`PendingPositions`). BEGIN and COMMIT are sent as statements: psycopg's own
        transaction block syncs the pipeline at its start and end, two more trips.
        Whatever fails rolls all of it back: a database error (a key already recorded is
        one: `KeyAlreadyRecorded`; a version already recorded: the library's
        IntegrityError), and equally an exception a step raises between statements."""
        assert not self.datastore.enable_db_functions  # the append runs the steps itself
        positions: Sequence[int] | None = None
        with self.datastore.get_connection() as conn:  # translates the driver's errors
            try:
                with conn.cursor() as curs, conn.cursor() as inserted:
                    pending = PendingPositions(len(stored_events), self.events_table_name)
                    with conn.pipeline():
                        curs.execute(_BEGIN)
                        if stored_events:
                            self._insert_stored_events(inserted, stored_events, **kwargs)
                            if self.steps is not None:
                                self.steps.run(_PostgresCursor(curs), stored_events, pending,
                                               kwargs.get("within") or ())
                        curs.execute(_COMMIT)
                    # Leaving the pipeline synced it: every statement, the commit too, is
                    # answered, a failed one raised.
                    if stored_events:
                        positions = self._fetch_ids_after_insert_events(
                            inserted, stored_events, **kwargs)
                        pending.known = positions or ()
            except BaseException as exc:
                if conn.info.transaction_status in _OPEN:  # not on a connection that broke
                    conn.rollback()
                if _names_table(exc, KEYS_TABLE):
                    raise KeyAlreadyRecorded from None
                raise
        return positions

    def __init__(self, datastore: PostgresDatastore,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._histories_statements: dict[tuple[str, tuple[bool, ...]], bytes] = {}
        # The append runs its own statements (enable_db_functions is off): the library's
        # insert function, replaced at every table creation, is not created.
        unused = self.sql_create_pg_function_insert_events
        self.sql_create_statements = [s for s in self.sql_create_statements if s is not unused]
        table = f"{datastore.schema}.{events_table_name}"
        # The library's three statements (SET LOCAL lock_timeout, the lock, NOTIFY) in one:
        # the timeout is set in a subquery the planner keeps apart (OFFSET 0), so it holds
        # before the lock is waited for; the notification goes out at the commit either way.
        self.lock_table_statements = [SQL(
            "SELECT r57_lock_events({0}::regclass), pg_notify({1}, '')"
            " FROM (SELECT set_config('lock_timeout', {2}, true) OFFSET 0) AS timeout"
        ).format(Literal(table), Literal(self.channel_name),
                 Literal(f"{datastore.lock_timeout}s")).as_bytes()]
        # Composed into bytes once: the driver would compose them again at every append.
        self._insert_events_text = self.insert_events_statement.as_bytes()

    def _notify_channel(self, curs: Any) -> None:
        """Notified by the lock statement (see __init__)."""

    def _insert_stored_events(self, curs: Any, stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> None:
        """The lock (and its notification), then the insert."""
        self._lock_table(curs)
        rows = [self.construct_pg_stored_event(s.originator_id, s.originator_version, s.topic,
                                               s.state) for s in stored_events]
        curs.execute(self._insert_events_text, (rows,))

    def select_histories(self, snapshots_table: str, wanted: Wanted) -> Histories:
        """What folds each wanted item (see `Wanted`), in one statement."""
        params: list[Any] = []
        for item, after in wanted:
            params += [item] * 4 if after is None else [item, after, item]
        whole = tuple(after is None for _, after in wanted)
        shape = (snapshots_table, whole)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            # Composed once per shape: a command's statement is one of very few.
            statement = self._histories_statements.get(shape)
            if statement is None:
                statement = self._histories_statement(snapshots_table, whole).as_bytes(conn)
                if len(whole) <= _KEPT_SHAPE:
                    self._histories_statements[shape] = statement
            curs.execute(statement, params, prepare=True)
            return _histories(curs.fetchall(), wanted)

    def _histories_statement(self, snapshots_table: str, whole: Sequence[bool]) -> Composable:
        """Per wanted item, its latest snapshot and the events after it (`whole`), or its
        events after a version."""
        schema = Identifier(self.datastore.schema)
        events = SQL("{0}.{1}").format(schema, Identifier(self.events_table_name))
        snapshots = SQL("{0}.{1}").format(schema, Identifier(snapshots_table))
        latest = SQL("(SELECT max(originator_version) FROM {0} WHERE originator_id = %s)"
                     ).format(snapshots)
        rows = SQL("SELECT {0} AS snapshot, originator_id, originator_version, topic, state"
                   " FROM {1} WHERE originator_id = %s")
        parts: list[Composable] = []
        for from_snapshot in whole:
            if from_snapshot:
                parts.append(rows.format(SQL("true"), snapshots)
                             + SQL(" AND originator_version = {0}").format(latest))
                parts.append(rows.format(SQL("false"), events)
                             + SQL(" AND originator_version > COALESCE({0}, 0)").format(latest))
            else:
                parts.append(rows.format(SQL("false"), events)
                             + SQL(" AND (originator_version > %s OR originator_version ="
                                   " (SELECT min(originator_version) FROM {0}"
                                   " WHERE originator_id = %s))").format(events))
        return SQL(" UNION ALL ").join(parts) + SQL(" ORDER BY 1 DESC, 3")

    def recorded_originators(self, ids: Sequence[UUID]) -> set[UUID]:
        """Those of `ids` that have events here, in one statement whatever their number."""
        if not ids:
            return set()
        statement = SQL("SELECT DISTINCT originator_id FROM {0}.{1}"
                        " WHERE originator_id = ANY(%s)").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [list(ids)])
            return {_uuid(row["originator_id"]) for row in curs.fetchall()}

