"""The national view: provinces side by side, for the centre's monitor.

One row per tenant the reader may compare (local or replicated): tasks per status class
(counts and shares), overdue tasks, deadline changes that took effect in a period, reports
missing for the current quarter, and for a replica how far behind its source it is and
whether replication was refused. Everything comes from each tenant's own read models, as
its pages show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import DomainError
from domain.status import StatusClass
from projections.change_log import ChangeFilter
from service.queries import TenantQueries
from service.tenancy import Tenancy
from tenants.registry import Tenant

STATUS_CLASSES = tuple(StatusClass)
DEADLINE_CHANGED = "deadline_changed"


@dataclass(frozen=True)
class ReplicaState:
    source_url: str
    position: int
    verified_position: int
    lag_positions: int
    lag_seconds: float
    synced_at: str | None
    refused: bool

    def to_dict(self) -> dict[str, Any]:
        return {"source_url": self.source_url, "position": self.position,
                "verified_position": self.verified_position,
                "lag_positions": self.lag_positions, "lag_seconds": self.lag_seconds,
                "synced_at": self.synced_at, "refused": self.refused}


@dataclass(frozen=True)
class ProvinceRow:
    slug: str
    name: str
    admin_code: str | None
    total: int
    counts: dict[str, int]  # by status class
    overdue: int
    deadline_changes: int
    reports_missing: int
    period: str  # the reporting period reports are missing for
    integrity_failed: bool
    replica: ReplicaState | None
    simulated: bool = False  # a simulated tenant (`r57 demo`): not real data

    def share(self, status: str) -> float:
        """The status class's share of the tasks (0.25 is 25 %); 0 without tasks."""
        return self.counts.get(status, 0) / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.slug, "name": self.name, "admin_code": self.admin_code,
            "total": self.total,
            "statuses": [{"status": s.value, "count": self.counts.get(s.value, 0),
                          "percent": round(100 * self.share(s.value), 1)}
                         for s in STATUS_CLASSES],
            "overdue": self.overdue, "deadline_changes": self.deadline_changes,
            "reports_missing": self.reports_missing, "period": self.period,
            "integrity_failed": self.integrity_failed,
            "replica": self.replica.to_dict() if self.replica else None,
            "simulated": self.simulated,
        }


@dataclass(frozen=True)
class NationalComparison:
    on: date
    changes_from: date
    changes_to: date
    provinces: list[ProvinceRow]

    @property
    def totals(self) -> ProvinceRow:
        """Every province together."""
        rows = self.provinces
        counts = {s.value: sum(r.counts.get(s.value, 0) for r in rows) for s in STATUS_CLASSES}
        return ProvinceRow("", "", None, sum(r.total for r in rows), counts,
                           sum(r.overdue for r in rows), sum(r.deadline_changes for r in rows),
                           sum(r.reports_missing for r in rows),
                           rows[0].period if rows else "", any(r.integrity_failed for r in rows),
                           None, any(r.simulated for r in rows))

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on, "changes_from": self.changes_from,
                "changes_to": self.changes_to,
                "provinces": [r.to_dict() for r in self.provinces],
                "totals": self.totals.to_dict() | {"tenant": None, "name": None}}


def comparable_tenants(tenancy: Tenancy, allowed: set[str] | None) -> list[Tenant]:
    """Active tenants in `allowed` (None: every one), in the order of their names."""
    return [t for t in tenancy.registry.list() if allowed is None or t.slug in allowed]


def compare(tenancy: Tenancy, tenants: Iterable[Tenant], on: date, changes_from: date,
            changes_to: date) -> NationalComparison:
    replicas = {r.slug: r for r in tenancy.replicas.list()}
    rows = []
    for tenant in tenants:
        reads = tenancy.queries(tenant.slug)
        summary = reads.summary(on)
        counts = {s.value: summary.overall.get(s.value, 0) for s in STATUS_CLASSES}
        replica = replicas.get(tenant.slug)
        rows.append(ProvinceRow(
            tenant.slug, tenant.display_name, tenant.admin_code, summary.overall["total"],
            counts, counts[StatusClass.OPEN_OVERDUE.value],
            _deadline_changes(reads, changes_from, changes_to), len(summary.missing_report),
            summary.period, tenancy.integrity.failed(tenant.slug) is not None,
            None if replica is None else ReplicaState(
                replica.source_url, replica.position, replica.verified_position,
                replica.lag_positions, replica.lag_seconds, replica.synced_at,
                replica.refused_at is not None), tenant.simulated))
    return NationalComparison(on, changes_from, changes_to, rows)


def _deadline_changes(reads: TenantQueries, changes_from: date, changes_to: date) -> int:
    where = ChangeFilter(types=(DEADLINE_CHANGED,), effective_from=changes_from,
                         effective_to=changes_to)
    count, cursor = 0, None
    while True:
        page = reads.changes(where, 500, cursor)
        count += len(page.entries)
        if page.next_cursor is None:
            return count
        cursor = page.next_cursor


def period_of(on: date, changes_from: date | None,
              changes_to: date | None) -> tuple[date, date]:
    """The period deadline changes are counted in: by default from the first day of the
    quarter of `on` to `on`."""
    start = changes_from or date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    end = changes_to or on
    if start > end:
        raise DomainError("national.period_reversed", field="from",
                          start=start.isoformat(), end=end.isoformat())
    return start, end
