"""What an API request reads before its command, in one statement: the failure counts its
throttle decides on (service/security.py), the record of the tenant it names, and the
access log's last position. A process whose view of principals, grants and tokens has
reached that position reads none of the log; one that is behind (a grant revoked, a token
revoked, by any process) catches up before it authenticates, so the change holds from the
very next request everywhere."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import psycopg

from domain.errors import DomainError
from service.security import AuthThrottle
from tenants.database import Database
from tenants.registry import Tenant, tenant_from_row
from tenants.slugs import validate_slug

# Absent until the access log is first created (a store the service has not migrated).
_NO_TABLE = (sqlite3.OperationalError, psycopg.errors.UndefinedTable)


@dataclass(frozen=True)
class RequestReads:
    wait: int | None  # seconds the throttle holds the request back; None: go ahead
    tenant: Tenant | None  # the named tenant's record (None: unnamed or not found)
    access_head: int | None  # the access log's last position (None: not read)


class RequestReader:
    def __init__(self, database: Database, access_events: str) -> None:
        self._db = database
        # `access_events` is the storage's constant name for the table, never input.
        position = "notification_id" if database.dialect == "postgres" else "rowid"
        self._head = f"(SELECT max({position}) FROM {access_events})"  # noqa: S608

    def read(self, throttle: AuthThrottle, address: str, subject: str,
             tenant: str | None) -> RequestReads:
        """`tenant`: the slug the request names (a malformed one is not looked up)."""
        columns, params, now = throttle.lookup(address, subject)
        params["slug"] = _slug_or_none(tenant)
        try:
            row = self._select(columns, self._head, params)
        except _NO_TABLE:
            row = self._select(columns, "NULL", params)
        head = row.get("access_head")
        found = tenant_from_row(row) if row.get("slug") is not None else None
        return RequestReads(throttle.decide(row, subject, now), found,
                            None if head is None else int(head))

    def _select(self, columns: str, head: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._db.transaction(write=False) as cursor:
            cursor.execute(
                f"SELECT {columns}, {head} AS access_head, t.*,"  # noqa: S608 (constants)
                " EXISTS (SELECT 1 FROM r57_replicas r WHERE r.slug = t.slug) AS replica"
                " FROM (SELECT 1 AS one) AS one LEFT JOIN r57_tenants t ON t.slug = :slug",
                params)
            return cursor.fetchone() or {}


def _slug_or_none(slug: str | None) -> str | None:
    if slug is None:
        return None
    try:
        return validate_slug(slug)
    except DomainError:
        return None
