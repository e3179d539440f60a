"""Versioned DDL for the tables that are not events, applied once and under a lock.

Files are named NNNN_what.sql. `sqlite/` and `postgres/` create the shared tables (the
tenant registry; on PostgreSQL also the read models, one set for all tenants);
`sqlite_tenant/` creates the read-model tables inside each tenant's own SQLite file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# An arbitrary constant: every process migrating the same PostgreSQL database waits here.
_ADVISORY_LOCK_KEY = 5_702_025


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_for(folder: str) -> list[Migration]:
    found = []
    for path in sorted((_HERE / folder).glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match[1]), match[2], path.read_text("utf-8")))
    return found


def apply_migrations(database: Any, folder: str | None = None) -> list[int]:
    """Apply what is missing, in order, in one transaction; returns the versions applied.

    `folder` defaults to the database's dialect (the shared tables); `sqlite_tenant` holds
    what each tenant's own SQLite file needs.
    """
    with database.transaction() as cursor:
        if database.dialect == "postgres":
            cursor.execute("SELECT pg_advisory_xact_lock(:key)", {"key": _ADVISORY_LOCK_KEY})
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS r57_schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        cursor.execute("SELECT version FROM r57_schema_migrations")
        done = {row["version"] for row in cursor.fetchall()}
        applied = []
        for migration in migrations_for(folder or database.dialect):
            if migration.version in done:
                continue
            for statement in _statements(migration.sql):
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO r57_schema_migrations (version, name) VALUES (:v, :n)",
                {"v": migration.version, "n": migration.name},
            )
            applied.append(migration.version)
        return applied


def _statements(sql: str) -> list[str]:
    """Split a migration file on semicolons at line ends (no procedural bodies here)."""
    return [s.strip() for s in re.split(r";\s*\n", sql) if s.strip() and not _only_comments(s)]


def _only_comments(chunk: str) -> bool:
    return all(line.strip().startswith("--") or not line.strip() for line in chunk.splitlines())
