"""Idempotency keys: a retried command gets the first answer, and records no second event.

A key is reserved before the command runs (the table's primary key makes the reservation
atomic), then completed with the response; a failed command releases it. A reservation left
by a process that died is taken over once it is older than `stale_after`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tenants.database import UNIQUE_VIOLATIONS, Database

_KEY = "tenant = :tenant AND idempotency_key = :key"


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


class KeyReused(Exception):
    """The key was first used with a different request."""


class KeyInProgress(Exception):
    """The first request with this key has not finished."""


class IdempotencyStore:
    def __init__(self, database: Database, clock: Callable[[], datetime] | None = None,
                 stale_after: timedelta = timedelta(minutes=5)) -> None:
        self._db = database
        self._clock = clock or (lambda: datetime.now(UTC))
        self._stale_after = stale_after

    def begin(self, tenant: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Reserve the key (None: go ahead), or return the response recorded for it."""
        params = {"tenant": tenant, "key": key, "fingerprint": fingerprint}
        if self._reserve(params):
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
        with self._db.transaction() as cursor:
            cursor.execute(
                "SELECT fingerprint, status, body, headers FROM r57_idempotency_keys"  # noqa: S608
                f" WHERE {_KEY}",
                params,
            )
            row: dict[str, Any] | None = cursor.fetchone()
            return row

    def _take_over_stale(self, params: dict[str, Any]) -> bool:
        cutoff = self._stamp(self._clock() - self._stale_after)
        with self._db.transaction() as cursor:
            cursor.execute(
                f"DELETE FROM r57_idempotency_keys WHERE {_KEY}"  # noqa: S608
                " AND status IS NULL AND created_at < :cutoff",
                {**params, "cutoff": cutoff},
            )
        return self._reserve(params)

    def _stamp(self, when: datetime) -> Any:
        return when.isoformat() if self._db.dialect == "sqlite" else when
