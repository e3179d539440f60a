"""Where each tenant's event log lives, and the infrastructure to reach it.

SQLite: one file per tenant under DIR/tenants/ (the library's table names are fixed, so
tenants sharing a file would see each other's events), and DIR/registry.sqlite3.
PostgreSQL: one table per tenant (`t_<slug>_events`, its own notification order) in one
schema, all reached through one pool that the process holds, whatever the tenant count.
"""

from __future__ import annotations

import select
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteFactory
from eventsourcing.utils import Environment
from psycopg import Connection, Error
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from integrity.store import IntegrityStore
from tenants.availability import ObservedConnection
from tenants.database import Database, PostgresDatabase, SQLiteDatabase, _SQLiteCursor
from tenants.recorders import AppendSteps, TenantPostgresRecorder, TenantSQLiteRecorder
from tenants.slugs import table_prefix, validate_slug
from tenants.write_turns import write_turn


class TenantStorage(Protocol):
    database: Database  # the registry's database
    # Migrations each tenant's own database needs (None when tenants share tables).
    tenant_migrations: str | None

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]: ...
    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]: ...
    def events_table(self, slug: str) -> str: ...
    def tenant_database(self, slug: str) -> Database: ...
    def request_database(self) -> Database: ...
    def close(self) -> None: ...

    @property
    def access_events(self) -> str:
        """The access log's events table as `request_database` names it."""
        ...


class _SharedPostgresFactory(PostgresFactory):
    """A factory over a datastore it does not own: constructing it opens no connection."""

    application_recorder_class = TenantPostgresRecorder

    def __init__(self, env: Environment, datastore: PostgresDatastore,
                 steps: AppendSteps | None = None) -> None:
        InfrastructureFactory.__init__(self, env)
        self.datastore = datastore
        self.steps = steps

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        assert isinstance(recorder, TenantPostgresRecorder)
        recorder.steps = self.steps
        return recorder

    def close(self) -> None:
        """The pool belongs to the storage, which closes it once."""


class _QueuedSQLiteDatastore(SQLiteDatastore):
    """The library's datastore, its writers waiting their turn (tenants/write_turns.py)."""

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        if not commit:
            with super().transaction(commit=False) as cursor:
                yield cursor
            return
        with write_turn(self.pool.db_name).held(float(self.pool.lock_timeout or 10)), \
                super().transaction(commit=True) as cursor:
            yield cursor


class _TenantSQLiteFactory(SQLiteFactory):
    application_recorder_class = TenantSQLiteRecorder

    def __init__(self, env: Environment, path: Path, steps: AppendSteps | None = None) -> None:
        InfrastructureFactory.__init__(self, env)
        self.datastore = _QueuedSQLiteDatastore(db_name=str(path), lock_timeout=10)
        self.steps = steps

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        assert isinstance(recorder, TenantSQLiteRecorder)
        recorder.steps = self.steps
        return recorder


class _WithAccessLog(SQLiteDatabase):
    """The registry's file with the access log's file attached as `access`, for the reads
    a request makes before its command (one statement reads both). Its own connections:
    a writer's BEGIN IMMEDIATE on them would take the access log's write lock too."""

    def __init__(self, path: Path, access_log: Path) -> None:
        super().__init__(path)
        self._access_log = access_log

    def connect(self) -> sqlite3.Connection:
        conn = super().connect()
        conn.execute("ATTACH DATABASE ? AS access", (str(self._access_log),))
        return conn

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[_SQLiteCursor]:
        """Reads only, of one statement each: a lone statement reads in a snapshot of its
        own, without BEGIN and COMMIT around it."""
        if write:
            raise ValueError("The registry with the access log attached is read only.")
        cursor = self._kept().cursor()
        try:
            yield _SQLiteCursor(cursor)
        finally:
            cursor.close()


class SQLiteStorage:
    tenant_migrations: str | None = "sqlite_tenant"
    access_events = "access.stored_events"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        (data_dir / "tenants").mkdir(parents=True, exist_ok=True)
        self.database: Database = SQLiteDatabase(data_dir / "registry.sqlite3")
        self._requests = _WithAccessLog(data_dir / "registry.sqlite3",
                                        data_dir / "access.sqlite3")
        self._tenant_databases: dict[str, SQLiteDatabase] = {}
        self._lock = threading.Lock()

    def tenant_path(self, slug: str) -> Path:
        return self.data_dir / "tenants" / f"{validate_slug(slug)}.sqlite3"

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]:
        steps = AppendSteps(IntegrityStore(self.tenant_database(slug), slug), "stored_events")
        return _TenantSQLiteFactory(env, self.tenant_path(slug), steps)

    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        """The service's access log (principals, grants, tokens) in a file of its own."""
        return _TenantSQLiteFactory(env, self.data_dir / "access.sqlite3")

    def request_database(self) -> Database:
        return self._requests

    def events_table(self, slug: str) -> str:
        validate_slug(slug)
        return "stored_events"

    def tenant_database(self, slug: str) -> Database:
        """One per tenant file, kept: each thread reuses its connection to the file."""
        with self._lock:
            database = self._tenant_databases.get(slug)
            if database is None:
                database = SQLiteDatabase(self.tenant_path(slug))
                self._tenant_databases[slug] = database
            return database

    def close(self) -> None:
        """The kept connections; each application closes its own pool."""
        with self._lock:
            databases, self._tenant_databases = self._tenant_databases, {}
        for database in (self.database, self._requests, *databases.values()):
            assert isinstance(database, SQLiteDatabase)
            database.close()


@dataclass(frozen=True)
class Timeouts:
    """How long PostgreSQL work may wait before it fails (and is answered 503): for a pooled
    connection, for one statement; a new connection gives up after `connect`."""

    pool: float = 1.0
    statement: float = 30.0
    connect: int = 2  # libpq's smallest useful connect_timeout
    # How long the pool retries a failed attempt to connect (backing off 1 s, 2 s...)
    # before it gives up on it; the next request then tries afresh. The pool's default, five
    # minutes, lets the back-off keep a returned database unused for a minute and more.
    reconnect: float = 2.0


def check_unless_quiet(conn: Connection[Any]) -> None:
    """The pool's check of a connection it hands out, without a round trip while the socket
    has nothing to say. A server that went away (a restart, a killed backend) leaves the
    socket readable, with its goodbye or the end of the stream; only then, or when the
    connection is not idle, is it pinged (and replaced when the ping fails)."""
    try:
        readable = bool(select.select([conn.fileno()], [], [], 0)[0])
    except (OSError, ValueError, Error):  # closed: the ping below raises and the pool replaces it
        readable = True
    if readable or conn.info.transaction_status != TransactionStatus.IDLE:
        ConnectionPool.check_connection(conn)


class PostgresStorage:
    tenant_migrations: str | None = None

    def __init__(self, url: str, max_connections: int = 10, lock_timeout: int = 5,
                 timeouts: Timeouts | None = None) -> None:
        timeouts = timeouts or Timeouts()
        parts = urlsplit(url)
        self.datastore = PostgresDatastore(
            dbname=unquote(parts.path.lstrip("/")) or "postgres",
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            pool_size=min(2, max_connections),
            max_overflow=max(0, max_connections - 2),
            lock_timeout=lock_timeout,
            idle_in_transaction_session_timeout=30,
            connect_timeout=timeouts.pool,  # the library's name for the pool's wait
            pre_ping=True,  # a connection the server dropped (a restart) is replaced unseen;
            # the check itself is `check_unless_quiet`, set below
        )
        # Opened on first use, so the connection arguments can still be completed here.
        kwargs = self.datastore.pool.kwargs
        assert isinstance(kwargs, dict)  # the library passes a dict
        kwargs.update(connect_timeout=timeouts.connect,
                      options=f"-c statement_timeout={int(timeouts.statement * 1000)}")
        # Its attempts to connect tell a timeout of an unreachable database from a busy one.
        self.datastore.pool.connection_class = ObservedConnection
        self.datastore.pool.reconnect_timeout = timeouts.reconnect
        self.datastore.pool._check = check_unless_quiet  # the library takes only its own
        self.database: Database = PostgresDatabase(self.datastore)

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]:
        steps = AppendSteps(IntegrityStore(self.database, slug), self.events_table(slug))
        return _SharedPostgresFactory(env, self.datastore, steps)

    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return _SharedPostgresFactory(env, self.datastore)

    def events_table(self, slug: str) -> str:
        return f"{table_prefix(slug)}_events"

    def tenant_database(self, slug: str) -> Database:
        validate_slug(slug)
        return self.database

    def request_database(self) -> Database:
        return self.database

    @property
    def access_events(self) -> str:
        # AccessApplication's table (service/access.py), in the datastore's schema
        return f'"{self.datastore.schema}".r57_access_events'

    def close(self) -> None:
        self.datastore.close()


def open_storage(
    database_url: str, max_connections: int = 10, lock_timeout: int = 5,
    timeouts: Timeouts | None = None,
) -> TenantStorage:
    if database_url.startswith("sqlite:///"):
        return SQLiteStorage(Path(database_url.removeprefix("sqlite:///")))
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(database_url, max_connections, lock_timeout, timeouts)
    raise ValueError(
        "R57_DATABASE_URL must be sqlite:///DIR or postgresql://user@host:port/dbname; "
        f"got {database_url!r}."
    )
