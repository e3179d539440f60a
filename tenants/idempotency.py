"""Idempotency keys: a retried command gets the first answer, and records no second event.

A command on a tenant's log keeps its key in the tenant's own database (the tenant's SQLite
file; on PostgreSQL the shared table, keyed by tenant, in the one database), and writes it
with its answer in the transaction that records its events (`record`, called from that
transaction): a crash leaves the key, the events and the answer all there or all absent.
A command writing a key already recorded is rolled back (KeyAlreadyRecorded); the API then
replays the answer kept (`recorded`).

Writes outside a tenant's log (the registry, principals, web form tokens) reserve a key
before the command runs (the table's primary key makes the reservation
atomic), then completed with the response; a failed command releases it. A reservation left
by a process that died is taken over once it is older than `stale_after`.

A key is kept for `retention` (24 hours by default): a retry within it gets the first answer,
after it the key is free and acts as new. Expired rows are deleted by `prune`, run by
`r57 db prune-idempotency` and, a bounded batch at a time, by every `prune_every`-th `begin`.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from tenants.database import UNIQUE_VIOLATIONS, Cursor, Database

log = logging.getLogger(__name__)
_KEY = "tenant = :tenant AND idempotency_key = :key"
KEYS_TABLE = "r57_idempotency_keys"
RETENTION = timedelta(hours=24)
PRUNE_BATCH = 500


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


class KeyReused(Exception):
    """The key was first used with a different request."""


class KeyInProgress(Exception):
    """The first request with this key has not finished."""


class KeyAlreadyRecorded(Exception):
    """Another request with this key recorded its command first (the transaction that
    would have recorded this one was rolled back): replay that request's answer."""


class IdempotencyStore:
    def __init__(self, database: Database, clock: Callable[[], datetime] | None = None,
                 stale_after: timedelta = timedelta(minutes=5),
                 retention: timedelta = RETENTION, prune_every: int = 100) -> None:
        self._db = database
        self._clock = clock or (lambda: datetime.now(UTC))
        self._stale_after = stale_after
        self.retention = retention
        self._prune_every = prune_every
        self._begun = itertools.count(1)  # next() is atomic under the GIL: safe across threads

    def on(self, database: Database) -> IdempotencyStore:
        """The same keeping rules over another database (a tenant's own)."""
        other = IdempotencyStore(database, self._clock, self._stale_after, self.retention,
                                 self._prune_every)
        other._begun = self._begun
        return other

    # -- commands recorded in one transaction -------------------------------------------

    def housekeep(self) -> None:
        """Prune a batch of expired keys every `prune_every`-th command."""
        if self._prune_every > 0 and next(self._begun) % self._prune_every == 0:
            self._prune_quietly()

    def recorded(self, tenant: str, key: str, fingerprint: str) -> StoredResponse | None:
        """The answer kept for this key (None: not used, or expired); KeyReused when it
        was used with another request."""
        row = self._row({"tenant": tenant, "key": key})
        if row is None or row["created_at"] < self._stamp(self._clock() - self.retention):
            return None
        if row["fingerprint"] != fingerprint:
            raise KeyReused
        if row["status"] is None:
            raise KeyInProgress  # a reservation of the two-step kind, not yet answered
        return StoredResponse(int(row["status"]), row["body"], json.loads(row["headers"]))

    def record(self, cursor: Cursor, tenant: str, key: str, fingerprint: str,
               response: StoredResponse, stand_in: tuple[str, str] | None = None) -> None:
        """In the command's own transaction: the key and its answer. A live key (recorded
        by a request that committed first) raises KeyAlreadyRecorded; an expired one is
        taken over. On PostgreSQL no statement's answer is waited for: a live key makes
        the insert fail, which fails the transaction when the pipelined commit is answered
        (the append raises KeyAlreadyRecorded then). `stand_in`: (a text the answer holds
        in place of a value, SQL the server evaluates to that value's text), replaced in
        the body and headers as they are written (PostgreSQL only)."""
        now = self._clock()
        params = {"tenant": tenant, "key": key, "fingerprint": fingerprint,
                  "status": response.status, "body": response.body,
                  "headers": json.dumps(response.headers), "now": self._stamp(now),
                  "cutoff": self._stamp(now - self.retention)}
        if cursor.dialect == "sqlite":  # in-process: reading the upsert's answer is free
            cursor.execute(
                f"INSERT INTO {KEYS_TABLE} (tenant, idempotency_key, fingerprint, status,"  # noqa: S608
                " body, headers, created_at) VALUES (:tenant, :key, :fingerprint, :status,"
                " :body, :headers, :now) ON CONFLICT (tenant, idempotency_key) DO UPDATE SET"
                " fingerprint = excluded.fingerprint, status = excluded.status,"
                " body = excluded.body, headers = excluded.headers,"
                " created_at = excluded.created_at"
                f" WHERE {KEYS_TABLE}.created_at < :cutoff RETURNING tenant", params)
            if cursor.fetchone() is None:
                raise KeyAlreadyRecorded
            return
        body, headers = ":body", ":headers"
        if stand_in is not None:
            params["stand_in"], value = stand_in  # the value's SQL: a constant of the caller
            body = f"replace(:body, :stand_in, {value})"
            headers = f"replace(:headers, :stand_in, {value})"
        cursor.execute(f"DELETE FROM {KEYS_TABLE} WHERE {_KEY} AND created_at < :cutoff",  # noqa: S608
                       params)
        try:
            cursor.execute(
                f"INSERT INTO {KEYS_TABLE} (tenant, idempotency_key, fingerprint, status,"  # noqa: S608
                f" body, headers, created_at) VALUES (:tenant, :key, :fingerprint, :status,"
                f" {body}, {headers}, :now)", params)
        except UNIQUE_VIOLATIONS:
            raise KeyAlreadyRecorded from None

    def remember(self, tenant: str, key: str, fingerprint: str,
                 response: StoredResponse) -> None:
        """The answer of a command that recorded nothing, in a transaction of its own."""
        try:
            with self._db.transaction() as cursor:
                self.record(cursor, tenant, key, fingerprint, response)
        except KeyAlreadyRecorded:
            pass  # an identical request answered first; its answer stays

    # -- commands outside a tenant's log: reserve, then finish or release ---------------

    def begin(self, tenant: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Reserve the key (None: go ahead), or return the response recorded for it."""
        if self._prune_every > 0 and next(self._begun) % self._prune_every == 0:
            self._prune_quietly()
        params = {"tenant": tenant, "key": key, "fingerprint": fingerprint}
        if self._reserve(params):
            return None
        # An expired key is free whatever it was used for: clear it and reserve afresh.
        if self._take_over(params, "created_at < :cutoff", self._clock() - self.retention):
            return None
        row = self._row(params)
        if row is None:  # released between our insert and our read
            if self._reserve(params):
                return None
            row = self._row(params)
        if row is None or row["fingerprint"] != fingerprint:
            raise KeyReused
        if row["status"] is None:
            if self._take_over_stale(params):
                return None
            raise KeyInProgress
        return StoredResponse(int(row["status"]), row["body"], json.loads(row["headers"]))

    def finish(self, tenant: str, key: str, response: StoredResponse) -> None:
        with self._db.transaction() as cursor:
            cursor.execute(
                f"UPDATE r57_idempotency_keys SET status = :status, body = :body,"  # noqa: S608
                f" headers = :headers WHERE {_KEY}",
                {"tenant": tenant, "key": key, "status": response.status,
                 "body": response.body, "headers": json.dumps(response.headers)},
            )

    def release(self, tenant: str, key: str) -> None:
        with self._db.transaction() as cursor:
            cursor.execute(
                f"DELETE FROM r57_idempotency_keys WHERE {_KEY} AND status IS NULL",  # noqa: S608
                {"tenant": tenant, "key": key},
            )

    def _reserve(self, params: dict[str, Any]) -> bool:
        try:
            with self._db.transaction() as cursor:
                cursor.execute(
                    "INSERT INTO r57_idempotency_keys"
                    " (tenant, idempotency_key, fingerprint, created_at)"
                    " VALUES (:tenant, :key, :fingerprint, :now)",
                    {**params, "now": self._stamp(self._clock())},
                )
        except UNIQUE_VIOLATIONS:
            return False
        return True

    def _row(self, params: dict[str, Any]) -> dict[str, Any] | None:
        with self._db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT fingerprint, status, body, headers, created_at"  # noqa: S608
                " FROM r57_idempotency_keys"
                f" WHERE {_KEY}",
                params,
            )
            row: dict[str, Any] | None = cursor.fetchone()
            return row

    def prune(self, older_than: timedelta | None = None, limit: int | None = None) -> int:
        """Delete keys older than `older_than` (default: the retention period), in batches;
        at most `limit` rows when given. Returns how many were deleted."""
        cutoff = self._stamp(self._clock() - (self.retention if older_than is None
                                              else older_than))
        deleted = 0
        while limit is None or deleted < limit:
            batch = PRUNE_BATCH if limit is None else min(PRUNE_BATCH, limit - deleted)
            # Short batches keep each transaction, and the lock it takes, brief.
            with self._db.transaction() as cursor:
                cursor.execute(
                    "DELETE FROM r57_idempotency_keys"
                    " WHERE (tenant, idempotency_key) IN ("
                    "  SELECT tenant, idempotency_key FROM r57_idempotency_keys"
                    "  WHERE created_at < :cutoff LIMIT :batch)"
                    " RETURNING tenant",
                    {"cutoff": cutoff, "batch": batch},
                )
                count = len(cursor.fetchall())
            deleted += count
            if count < batch:
                break
        return deleted

    def _prune_quietly(self) -> None:
        # Housekeeping on a command's path: a busy database must not fail the command.
        try:
            self.prune(limit=PRUNE_BATCH)
        except (sqlite3.Error, psycopg.Error):
            log.warning("could not prune expired idempotency keys", exc_info=True)

    def _take_over_stale(self, params: dict[str, Any]) -> bool:
        return self._take_over(params, "status IS NULL AND created_at < :cutoff",
                               self._clock() - self._stale_after)

    def _take_over(self, params: dict[str, Any], condition: str, cutoff: datetime) -> bool:
        """Delete the key's row if it meets `condition` (a constant of this module), then
        try to reserve the key again."""
        with self._db.transaction() as cursor:
            cursor.execute(
                f"DELETE FROM r57_idempotency_keys WHERE {_KEY} AND {condition}",  # noqa: S608
                {**params, "cutoff": self._stamp(cutoff)},
            )
        return self._reserve(params)

    def _stamp(self, when: datetime) -> Any:
        return when.isoformat() if self._db.dialect == "sqlite" else when
