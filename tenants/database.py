"""A small SQL port over SQLite files and the shared PostgreSQL pool.

Statements are written once with `:name` parameters; values are always bound, never
formatted in. Identifiers that vary (per-tenant tables) come only from `tenants.slugs`.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import psycopg
from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from tenants.write_turns import write_turn

Row = dict[str, Any]
Params = Mapping[str, Any]
# The store enforces uniqueness; callers translate these into their own errors.
UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, psycopg.errors.UniqueViolation, IntegrityError)
_NAMED = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=1024)
def _pyformat(statement: str) -> str:
    """The statement with psycopg's `%(name)s` placeholders. Statements are constants of
    their callers (identifiers from `tenants.slugs`), so their texts are few: each is
    converted once, not at every call."""
    return _NAMED.sub(r"%(\1)s", statement)


class Cursor(Protocol):
    dialect: str

    def execute(self, sql: str, params: Params | None = None) -> None: ...
    def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...
    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> None: ...
    def fetchall(self) -> list[Row]: ...
    def fetchone(self) -> Row | None: ...


class Database(Protocol):
    dialect: str

    def transaction(self, write: bool = True) -> Any: ...


class _SQLiteCursor:
    dialect = "sqlite"

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Params | None = None) -> None:
        self._cursor.execute(sql, dict(params or {}))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._cursor.executemany(sql, [dict(r) for r in rows])

    def fetchall(self) -> list[Row]:
        return [dict(r) for r in self._cursor.fetchall()]

    def fetchone(self) -> Row | None:
        row = self._cursor.fetchone()
        return dict(row) if row is not None else None

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> None:
        """Bulk insert; `table` and `columns` are constants of the caller, never input."""
        marks = ", ".join("?" for _ in columns)
        self._cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            [tuple(r) for r in rows],
        )


class SQLiteDatabase:
    """One SQLite file. Writers wait their turn (tenants/write_turns.py), then take the
    write lock up front (BEGIN IMMEDIATE).

    Each thread keeps one connection to the file and reuses it; a transaction begun while
    the thread's connection is already in one gets a connection of its own for its length.
    """

    dialect = "sqlite"

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self._timeout = timeout
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _kept(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.connect()
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_SQLiteCursor]:
        """Writers take the write lock at BEGIN; readers read a WAL snapshot, lock-free."""
        if not write:
            with self._transaction(write=False) as cursor:
                yield cursor
            return
        with write_turn(self.path).held(self._timeout), self._transaction(write=True) as cursor:
            yield cursor

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[_SQLiteCursor]:
        conn = self._kept()
        own = conn.in_transaction
        if own:
            conn = self.connect()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")
            cursor = conn.cursor()
            try:
                yield _SQLiteCursor(cursor)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                cursor.close()
        finally:
            if own:
                conn.close()

    def close(self) -> None:
        """Close every kept connection (threads that use the file later reconnect)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()


class _PostgresCursor:
    dialect = "postgres"

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Params | None = None) -> None:
        if params is None:  # DDL and constant statements: '%' stays literal
            self._cursor.execute(sql)
            return
        self._cursor.execute(_pyformat(sql), dict(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._cursor.executemany(_pyformat(sql), [dict(r) for r in rows])

    def fetchall(self) -> list[Row]:
        return [dict(r) for r in self._cursor.fetchall()]

    def fetchone(self) -> Row | None:
        row = self._cursor.fetchone()
        return dict(row) if row is not None else None

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> None:
        """Bulk insert with COPY; identifiers are quoted, values streamed, never formatted."""
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        )
        with self._cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


class PostgresDatabase:
    """Borrows connections from the one pool the process holds."""

    dialect = "postgres"

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_PostgresCursor]:
        if not write:
            # The pool's connections autocommit at READ COMMITTED: each statement of a read
            # sees what was committed before it, inside BEGIN ... COMMIT or not. A read
            # leaves them out, two round trips fewer.
            with self.datastore.get_connection() as conn, conn.cursor() as cursor:
                yield _PostgresCursor(cursor)
            return
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as cursor,
        ):
            yield _PostgresCursor(cursor)
