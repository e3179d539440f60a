"""The change log: typed, filterable, in log order, paged by an opaque cursor."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from domain.errors import DomainError
from projections.audit import AuditEntry
from projections.entries import CHANGE_TYPE_NAMES
from projections.store import ENTRY_SELECT, ReadModelStore, agency_pattern, entry_from_row

MAX_PAGE = 500


@dataclass(frozen=True)
class ChangeFilter:
    types: tuple[str, ...] = ()
    task: str | None = None  # task number
    indicator: str | None = None
    agency: str | None = None  # agency key
    actor: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    # Only the entries of these tasks and indicators (their aggregate ids), as when one
    # plan of several is chosen; None: every entry.
    aggregates: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in CHANGE_TYPE_NAMES]
        if unknown:
            raise DomainError("change_log.unknown_types", field="type",
                              types=", ".join(unknown), known=", ".join(CHANGE_TYPE_NAMES))


@dataclass(frozen=True)
class ChangePage:
    entries: list[AuditEntry]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [e.to_dict() for e in self.entries], "next_cursor": self.next_cursor}


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        after = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
    except (ValueError, KeyError, TypeError):
        raise DomainError("change_log.bad_cursor", field="cursor") from None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise DomainError("change_log.bad_cursor", field="cursor")
    return after


def query_changes(store: ReadModelStore, where: ChangeFilter, limit: int = 100,
                  cursor: str | None = None) -> ChangePage:
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError("change_log.limit_range", field="limit", max=MAX_PAGE)
    sql, params = _select(store, where, decode_cursor(cursor), limit + 1)
    with store.db.transaction(write=False) as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    entries = [entry_from_row(r) for r in rows[:limit]]
    more = len(rows) > limit
    return ChangePage(entries, encode_cursor(entries[-1].position) if more else None)


def _utc(store: ReadModelStore, value: datetime) -> Any:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return store._when(aware)


def _select(store: ReadModelStore, f: ChangeFilter, after: int, limit: int
            ) -> tuple[str, dict[str, Any]]:
    clauses = ["e.tenant = :t", "e.change_type IS NOT NULL", "e.position > :after"]
    params: dict[str, Any] = {"t": store.tenant, "after": after, "limit": limit}
    if f.types:
        names = {f"type{i}": t for i, t in enumerate(f.types)}
        clauses.append("e.change_type IN (" + ", ".join(f":{n}" for n in names) + ")")
        params.update(names)
    subject = (f"task {f.task}" if f.task is not None
               else f"indicator {f.indicator}" if f.indicator is not None else None)
    optional: list[tuple[str, str, Any]] = [
        ("subject", "e.subject = :subject", subject),
        ("actor", "e.actor = :actor", f.actor),
        ("rfrom", "e.recorded_at >= :rfrom", f.recorded_from and _utc(store, f.recorded_from)),
        ("rto", "e.recorded_at <= :rto", f.recorded_to and _utc(store, f.recorded_to)),
        ("efrom", "e.effective_on >= :efrom", store._day(f.effective_from)),
        ("eto", "e.effective_on <= :eto", store._day(f.effective_to)),
        ("agency", "e.agencies LIKE :agency ESCAPE '\\'",
         agency_pattern(f.agency) if f.agency else None),
    ]
    for name, clause, value in optional:
        if value is not None:
            clauses.append(clause)
            params[name] = value
    if f.aggregates is not None:
        ids = {f"agg{i}": a for i, a in enumerate(f.aggregates)}
        clauses.append("e.aggregate_id IN (" + ", ".join(f":{n}" for n in ids) + ")"
                       if ids else "1 = 0")
        params.update(ids)
    # Every fragment above is a constant of this module; every value is a bound parameter.
    sql = (ENTRY_SELECT + " e WHERE " + " AND ".join(clauses)
           + " ORDER BY e.position LIMIT :limit")
    return sql, params
