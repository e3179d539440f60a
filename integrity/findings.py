"""What live verification last found for a tenant, and what was done despite it.

Reads of a tenant consult the latest finding to warn while its log fails verification;
an integrity command run despite a failure (`--despite-tampering`) leaves a row behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from integrity.verify import Report

if TYPE_CHECKING:
    from tenants.database import Database


@dataclass(frozen=True)
class Finding:
    checked_at: str
    ok: bool
    entries: int
    failures: int
    first_position: int | None
    first_reason: str

    @classmethod
    def of(cls, report: Report, at: datetime) -> Finding:
        first = report.first
        return cls(at.isoformat(timespec="seconds"), report.ok, report.entries,
                   len(report.failures), first.position if first else None,
                   first.reason if first else "")

    def to_dict(self) -> dict[str, Any]:
        return {"checked_at": self.checked_at, "ok": self.ok, "entries": self.entries,
                "failures": self.failures, "first_position": self.first_position,
                "first_reason": self.first_reason}


_UPSERT = (
    "INSERT INTO integrity_verifications (tenant, checked_at, ok, entries, failures, "
    "first_position, first_reason) VALUES (:t, :at, :ok, :n, :f, :p, :r) "
    "ON CONFLICT (tenant) DO UPDATE SET checked_at = excluded.checked_at, ok = excluded.ok, "
    "entries = excluded.entries, failures = excluded.failures, "
    "first_position = excluded.first_position, first_reason = excluded.first_reason"
)


class FindingsStore:
    def __init__(self, database: Database, tenant: str) -> None:
        self.db = database
        self.tenant = tenant

    def record(self, finding: Finding) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(_UPSERT, self._params(finding))

    def latest(self) -> Finding | None:
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT checked_at, ok, entries, failures, first_position, "
                           "first_reason FROM integrity_verifications WHERE tenant = :t",
                           {"t": self.tenant})
            row = cursor.fetchone()
        if row is None:
            return None
        position = row["first_position"]
        return Finding(str(row["checked_at"]), bool(row["ok"]), int(row["entries"]),
                       int(row["failures"]), None if position is None else int(position),
                       str(row["first_reason"]))

    def record_override(self, action: str, actor: str, finding: Finding) -> None:
        with self.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO integrity_overrides (tenant, done_at, action, actor, failures, "
                "first_position, first_reason) VALUES (:t, :at, :a, :actor, :f, :p, :r)",
                self._params(finding) | {"a": action, "actor": actor})

    def overrides(self) -> list[dict[str, Any]]:
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT done_at, action, actor, failures, first_position, "
                           "first_reason FROM integrity_overrides WHERE tenant = :t "
                           "ORDER BY done_at", {"t": self.tenant})
            rows: list[dict[str, Any]] = cursor.fetchall()
        return rows

    def _params(self, finding: Finding) -> dict[str, Any]:
        return {"t": self.tenant, "at": finding.checked_at, "ok": finding.ok,
                "n": finding.entries, "f": finding.failures, "p": finding.first_position,
                "r": finding.first_reason}
