"""Which tenants have events their read models have not seen, found without asking every
tenant each time (the projector, server/projector.py).

PostgreSQL: each append notifies the channel named after the tenant's events table, in its
lock statement (tenants/recorders.py); the feed LISTENs to every tenant's channel on one
connection of its own. SQLite: a connection kept on each tenant's file, whose
`PRAGMA data_version` changes when another connection commits to the file.

A notification can be missed (the projector started after the write, its connection was
lost, a catch-up failed): `behind` is the safety net, the tenants whose log's head is beyond
their read models' position, in one statement per batch of tenants on PostgreSQL. There,
`behind_chain` answers for every tenant in one statement from the chain heads (each append
advances its tenant's chain head to its last position in its own transaction).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import psycopg
from psycopg.sql import SQL, Identifier

from projections.store import ReadModelStore
from tenants.storage import PostgresStorage, SQLiteStorage, TenantStorage

log = logging.getLogger("r57.projector")
# Tenants whose heads and positions one statement asks for: the server plans a statement of
# 200 logs in more than four times the time of one of 50 (bench/README.md).
SWEEP_BATCH = 50
POLL_SECONDS = 0.05  # SQLite: how often the kept connections are asked


class ChangeFeed(Protocol):
    def watch(self, slugs: Iterable[str]) -> None:
        """Follow these tenants too, from now on."""

    def changed(self, timeout: float) -> set[str]:
        """The tenants written to since the last call; waits up to `timeout` for one."""

    def close(self) -> None: ...


def channel(storage: TenantStorage, slug: str) -> str:
    """The channel an append to the tenant notifies (the library's `channel_name`)."""
    return storage.events_table(slug).replace(".", "_")


class PostgresChanges:
    """LISTENs to each watched tenant's channel on one connection outside the pool."""

    def __init__(self, storage: PostgresStorage) -> None:
        self.storage = storage
        pool = storage.datastore.pool
        assert isinstance(pool.kwargs, dict) and isinstance(pool.conninfo, str)  # as built
        kwargs: dict[str, Any] = {k: v for k, v in pool.kwargs.items() if k != "row_factory"}
        self._conn = psycopg.connect(pool.conninfo, **kwargs, autocommit=True)
        self._slugs: dict[str, str] = {}  # channel -> tenant

    def watch(self, slugs: Iterable[str]) -> None:
        new = {channel(self.storage, s): s for s in slugs}
        new = {c: s for c, s in new.items() if c not in self._slugs}
        names = sorted(new)
        for start in range(0, len(names), SWEEP_BATCH):  # a few round trips for thousands
            statements = [SQL("LISTEN {0}").format(Identifier(n))
                          for n in names[start:start + SWEEP_BATCH]]
            self._conn.execute(SQL("; ").join(statements))
        self._slugs.update(new)

    def changed(self, timeout: float) -> set[str]:
        found: set[str] = set()
        # The first notification waits; those already arrived with it are taken at once.
        for wait in (timeout, 0.0):
            for notify in self._conn.notifies(timeout=wait, stop_after=None if wait == 0
                                              else 1):
                slug = self._slugs.get(notify.channel)
                if slug is not None:
                    found.add(slug)
            if not found:
                break
        return found

    def close(self) -> None:
        self._conn.close()


class SQLiteChanges:
    """Asks a kept connection on each watched tenant's file for its data version."""

    def __init__(self, storage: SQLiteStorage, poll: float = POLL_SECONDS) -> None:
        self.storage = storage
        self.poll = poll
        self._kept: dict[str, tuple[sqlite3.Connection, int]] = {}

    def watch(self, slugs: Iterable[str]) -> None:
        for slug in slugs:
            if slug in self._kept:
                continue
            try:  # mode=rw: a tenant whose file is missing is not created empty here
                conn = sqlite3.connect(f"file:{self.storage.tenant_path(slug)}?mode=rw",
                                       uri=True, isolation_level=None,
                                       check_same_thread=False)
                self._kept[slug] = (conn, _data_version(conn))
            except sqlite3.Error:
                log.exception("watching tenant %s failed", slug)

    def changed(self, timeout: float) -> set[str]:
        deadline = time.monotonic() + timeout
        while True:
            found = set()
            for slug, (conn, seen) in list(self._kept.items()):
                try:
                    version = _data_version(conn)
                except sqlite3.Error:
                    log.exception("watching tenant %s failed", slug)
                    continue
                if version != seen:
                    self._kept[slug] = (conn, version)
                    found.add(slug)
            left = deadline - time.monotonic()
            if found or left <= 0:
                return found
            time.sleep(min(self.poll, left))

    def close(self) -> None:
        for conn, _ in self._kept.values():
            conn.close()
        self._kept.clear()


def _data_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA data_version").fetchone()
    return int(row[0])


def change_feed(storage: TenantStorage) -> ChangeFeed:
    if isinstance(storage, PostgresStorage):
        return PostgresChanges(storage)
    assert isinstance(storage, SQLiteStorage)
    return SQLiteChanges(storage)


def behind(storage: TenantStorage, slugs: Sequence[str]) -> list[str]:
    """The tenants whose log's head is beyond their read models' position. A tenant that
    cannot be asked (its table or file broken) is logged and left out, never the others."""
    if isinstance(storage, PostgresStorage):
        found: list[str] = []
        for start in range(0, len(slugs), SWEEP_BATCH):
            batch = slugs[start:start + SWEEP_BATCH]
            try:
                found += _behind_together(storage, batch)
            except Exception:  # one broken tenant fails the statement: ask one by one
                found += _behind_each(storage, batch)
        return found
    return _behind_each(storage, slugs)


def behind_chain(storage: TenantStorage) -> set[str] | None:
    """PostgreSQL: the tenants whose chain head is beyond their read models' position, in
    one statement. None on SQLite, where each tenant has a file of its own."""
    if not isinstance(storage, PostgresStorage):
        return None
    with storage.database.transaction(write=False) as cursor:
        cursor.execute("SELECT i.tenant FROM integrity_tracking i"
                       " LEFT JOIN rm_tracking r ON r.tenant = i.tenant"
                       " WHERE i.position > COALESCE(r.position, 0)")
        return {str(r["tenant"]) for r in cursor.fetchall()}


def _behind_together(storage: PostgresStorage, slugs: Sequence[str]) -> list[str]:
    # Table names come from the tenants' storage (validated slugs), never from input.
    parts = [
        f"SELECT :t{n} AS tenant, (SELECT max(notification_id) FROM {storage.events_table(s)})"  # noqa: S608
        f" AS head, (SELECT position FROM rm_tracking WHERE tenant = :t{n}) AS position"
        for n, s in enumerate(slugs)]
    with storage.database.transaction(write=False) as cursor:
        cursor.execute(" UNION ALL ".join(parts), {f"t{n}": s for n, s in enumerate(slugs)})
        rows = cursor.fetchall()
    return [str(r["tenant"]) for r in rows if int(r["head"] or 0) > int(r["position"] or 0)]


def _behind_each(storage: TenantStorage, slugs: Sequence[str]) -> list[str]:
    found = []
    for slug in slugs:
        try:
            store = ReadModelStore(storage.tenant_database(slug), slug)
            head, position = store.head_and_position(storage.events_table(slug))
        except Exception:  # one tenant's failure must not hide the others
            log.exception("asking tenant %s for its head failed", slug)
            continue
        if head > position:
            found.append(slug)
    return found
