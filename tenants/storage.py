"""Where each tenant's event log lives, and the infrastructure to reach it.

SQLite: one file per tenant under DIR/tenants/ (the library's table names are fixed, so
tenants sharing a file would see each other's events), and DIR/registry.sqlite3.
PostgreSQL: one table per tenant (`t_<slug>_events`, its own notification order) in one
schema, all reached through one pool that the process holds, whatever the tenant count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.sqlite import SQLiteDatastore, SQLiteFactory
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Literal

from tenants.database import Database, PostgresDatabase, SQLiteDatabase
from tenants.slugs import table_prefix, validate_slug


class TenantStorage(Protocol):
    database: Database  # the registry's database
    # Migrations each tenant's own database needs (None when tenants share tables).
    tenant_migrations: str | None

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]: ...
    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]: ...
    def events_table(self, slug: str) -> str: ...
    def tenant_database(self, slug: str) -> Database: ...
    def close(self) -> None: ...


class _OwnerLockRecorder(PostgresApplicationRecorder):
    """Takes the events table's write lock through `r57_lock_events` (migrations/postgres
    0005), so the service's database role needs no more than SELECT and INSERT on events."""

    def __init__(self, datastore: PostgresDatastore,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = f"{datastore.schema}.{events_table_name}"
        self.lock_table_statements = [
            self.lock_table_statements[0],  # SET LOCAL lock_timeout
            SQL("SELECT r57_lock_events({0}::regclass)").format(Literal(table)),
        ]


class _SharedPostgresFactory(PostgresFactory):
    """A factory over a datastore it does not own: constructing it opens no connection."""

    application_recorder_class = _OwnerLockRecorder

    def __init__(self, env: Environment, datastore: PostgresDatastore) -> None:
        InfrastructureFactory.__init__(self, env)
        self.datastore = datastore

    def close(self) -> None:
        """The pool belongs to the storage, which closes it once."""


class _TenantSQLiteFactory(SQLiteFactory):
    def __init__(self, env: Environment, path: Path) -> None:
        InfrastructureFactory.__init__(self, env)
        self.datastore = SQLiteDatastore(db_name=str(path), lock_timeout=10)


class SQLiteStorage:
    tenant_migrations: str | None = "sqlite_tenant"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        (data_dir / "tenants").mkdir(parents=True, exist_ok=True)
        self.database: Database = SQLiteDatabase(data_dir / "registry.sqlite3")

    def tenant_path(self, slug: str) -> Path:
        return self.data_dir / "tenants" / f"{validate_slug(slug)}.sqlite3"

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]:
        return _TenantSQLiteFactory(env, self.tenant_path(slug))

    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        """The service's access log (principals, grants, tokens) in a file of its own."""
        return _TenantSQLiteFactory(env, self.data_dir / "access.sqlite3")

    def events_table(self, slug: str) -> str:
        validate_slug(slug)
        return "stored_events"

    def tenant_database(self, slug: str) -> Database:
        return SQLiteDatabase(self.tenant_path(slug))

    def close(self) -> None:
        """Each SQLite connection is closed by the application that opened it."""


class PostgresStorage:
    tenant_migrations: str | None = None

    def __init__(self, url: str, max_connections: int = 10, lock_timeout: int = 5) -> None:
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
        )
        self.database: Database = PostgresDatabase(self.datastore)

    def factory(self, slug: str, env: Environment) -> InfrastructureFactory[Any]:
        return _SharedPostgresFactory(env, self.datastore)

    def access_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return _SharedPostgresFactory(env, self.datastore)

    def events_table(self, slug: str) -> str:
        return f"{table_prefix(slug)}_events"

    def tenant_database(self, slug: str) -> Database:
        validate_slug(slug)
        return self.database

    def close(self) -> None:
        self.datastore.close()


def open_storage(
    database_url: str, max_connections: int = 10, lock_timeout: int = 5
) -> TenantStorage:
    if database_url.startswith("sqlite:///"):
        return SQLiteStorage(Path(database_url.removeprefix("sqlite:///")))
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(database_url, max_connections, lock_timeout)
    raise ValueError(
        "R57_DATABASE_URL must be sqlite:///DIR or postgresql://user@host:port/dbname; "
        f"got {database_url!r}."
    )
