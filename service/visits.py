"""When each principal last opened a tenant's work queue, so auditors and inspectors are
shown what was recorded since their previous visit.

A visit is one sitting: opening the queue again within `SITTING_SECONDS` of the last time
continues the same visit (a reload shows the same news); after that a new visit begins and
"new" starts where the last one ended. A first visit shows the last `FIRST_VISIT_DAYS` days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.clock import Clock
from tenants.database import Cursor, Database

SITTING_SECONDS = 3600
FIRST_VISIT_DAYS = 30


class VisitStore:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    def since(self, principal: str, tenant: str) -> datetime:
        """Where "new" starts for the principal's visit now, without recording it."""
        now = self._clock.now().timestamp()
        with self._db.transaction(write=False) as cursor:
            row = self._row(cursor, principal, tenant)
        return self._start(row, now)

    def seen(self, principal: str, tenant: str) -> datetime:
        """When the principal last opened the queue (what the header counts as new comes
        after it); before any visit, the start a first visit would have."""
        with self._db.transaction(write=False) as cursor:
            row = self._row(cursor, principal, tenant)
        if row is None:
            return self._clock.now() - timedelta(days=FIRST_VISIT_DAYS)
        return datetime.fromtimestamp(row[1], UTC)

    def visit(self, principal: str, tenant: str) -> datetime:
        """Record a visit now; returns where "new" starts for it."""
        now = self._clock.now().timestamp()
        with self._db.transaction() as cursor:
            row = self._row(cursor, principal, tenant)
            start = self._start(row, now)
            if row is None:
                cursor.execute(
                    "INSERT INTO r57_queue_visits (principal, tenant, previous_visit, "
                    "last_visit) VALUES (:p, :t, :prev, :now) "
                    "ON CONFLICT (principal, tenant) DO UPDATE SET last_visit = :now",
                    {"p": principal, "t": tenant, "prev": start.timestamp(), "now": now})
            else:
                previous = row[0] if self._continues(row, now) else row[1]
                cursor.execute(
                    "UPDATE r57_queue_visits SET previous_visit = :prev, last_visit = :now "
                    "WHERE principal = :p AND tenant = :t",
                    {"prev": previous, "now": now, "p": principal, "t": tenant})
        return start

    @staticmethod
    def _row(cursor: Cursor, principal: str, tenant: str) -> tuple[float | None, float] | None:
        cursor.execute(
            "SELECT previous_visit, last_visit FROM r57_queue_visits "
            "WHERE principal = :p AND tenant = :t", {"p": principal, "t": tenant})
        found = cursor.fetchone()
        if found is None:
            return None
        previous = found["previous_visit"]
        return (float(previous) if previous is not None else None, float(found["last_visit"]))

    @staticmethod
    def _continues(row: tuple[float | None, float], now: float) -> bool:
        return now - row[1] < SITTING_SECONDS

    def _start(self, row: tuple[float | None, float] | None, now: float) -> datetime:
        first = self._clock.now() - timedelta(days=FIRST_VISIT_DAYS)
        if row is None:
            return first
        previous, last = row
        if self._continues(row, now):
            return datetime.fromtimestamp(previous, UTC) if previous is not None else first
        return datetime.fromtimestamp(last, UTC)
