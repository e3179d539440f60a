"""Where a tenant's read models live: view documents, log entries and the tracking position.

Every write of views and entries happens in the same transaction as the tracking
position it brings the model to, so an event is applied exactly once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from projections.audit import AuditEntry
from projections.codec import decode, encode, to_json
from projections.plan_state import (
    AGENCY,
    INDICATOR,
    PLAN,
    TASK,
    IndicatorView,
    PlanState,
    PlanView,
    TaskView,
)
from tenants.database import Cursor, Database


@dataclass(frozen=True)
class AgencyDoc:
    key: str
    name: str
    is_collective: bool
    id: str


class ReadModelStore:
    def __init__(self, database: Database, tenant: str) -> None:
        self.db = database
        self.tenant = tenant

    # -- values as each dialect stores them ------------------------------------------------

    def _when(self, value: datetime) -> Any:
        utc = value.astimezone(UTC)
        return utc.isoformat(timespec="microseconds") if self.db.dialect == "sqlite" else utc

    def _day(self, value: date | None) -> Any:
        if value is None:
            return None
        return value.isoformat() if self.db.dialect == "sqlite" else value

    # -- tracking ----------------------------------------------------------------------

    def position(self) -> int:
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT position FROM rm_tracking WHERE tenant = :t", {"t": self.tenant})
            row = cursor.fetchone()
        return int(row["position"]) if row else 0

    def lock_position(self, cursor: Cursor) -> int:
        """Take the tenant's projection lock for this transaction; return the position."""
        params = {"t": self.tenant}
        cursor.execute(
            "INSERT INTO rm_tracking (tenant, position) VALUES (:t, 0) "
            "ON CONFLICT (tenant) DO NOTHING", params,
        )
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL locks the row.
        cursor.execute(_SELECT_POSITION_FOR_UPDATE if self.db.dialect == "postgres"
                       else _SELECT_POSITION, params)
        row = cursor.fetchone()
        assert row is not None
        return int(row["position"])

    def set_position(self, cursor: Cursor, position: int) -> None:
        cursor.execute("UPDATE rm_tracking SET position = :p WHERE tenant = :t",
                       {"p": position, "t": self.tenant})

    # -- views -------------------------------------------------------------------------

    def load(self, cursor: Cursor, kinds_ids: Iterable[tuple[str, str]] | None = None) -> PlanState:
        """The stored views (all of them, or the given ones plus every agency) as state."""
        state = PlanState()
        cursor.execute("SELECT position FROM rm_tracking WHERE tenant = :t", {"t": self.tenant})
        tracked = cursor.fetchone()
        state.position = int(tracked["position"]) if tracked else 0
        cursor.execute("SELECT kind, id, doc FROM rm_views WHERE tenant = :t", {"t": self.tenant})
        wanted = set(kinds_ids) if kinds_ids is not None else None
        for row in cursor.fetchall():
            if wanted is None or row["kind"] == AGENCY or (row["kind"], row["id"]) in wanted:
                _put(state, row["kind"], json.loads(row["doc"]))
        return state

    def save_views(self, cursor: Cursor, state: PlanState, keys: Iterable[tuple[str, str]]) -> None:
        rows = [{"t": self.tenant, "k": kind, "i": id_, "d": to_json(_view(state, kind, id_))}
                for kind, id_ in keys]
        if rows:
            cursor.executemany(
                "INSERT INTO rm_views (tenant, kind, id, doc) VALUES (:t, :k, :i, :d) "
                "ON CONFLICT (tenant, kind, id) DO UPDATE SET doc = excluded.doc", rows,
            )

    # -- entries -----------------------------------------------------------------------

    def save_entries(self, cursor: Cursor, entries: Sequence[AuditEntry]) -> None:
        rows = [(
            self.tenant, e.position, e.aggregate_id, e.subject, e.event, e.change_type,
            e.actor, self._when(e.recorded_at), self._day(e.effective_on),
            _entry_doc(e),
            agency_list(e.agencies),
        ) for e in entries]
        if rows:
            cursor.copy_rows("rm_entries", _ENTRY_COLUMNS, rows)

    def clear(self, cursor: Cursor) -> None:
        if self.db.dialect == "sqlite":
            # The file holds this tenant alone: an unqualified DELETE empties the tables at
            # once instead of deleting row by row through the indexes.
            for statement in _EMPTY_TENANT_FILE:
                cursor.execute(statement)
        else:
            for statement in _DELETE_TENANT_ROWS:
                cursor.execute(statement, {"t": self.tenant})
        self.set_position(cursor, 0)

    def last_position_recorded_by(self, moment: datetime) -> int:
        when = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        with self.db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT MAX(position) AS p FROM rm_entries WHERE tenant = :t AND recorded_at <= :r",
                {"t": self.tenant, "r": self._when(when)},
            )
            row = cursor.fetchone()
        return int(row["p"]) if row and row["p"] is not None else 0

    def entries_about(self, subject: str) -> list[AuditEntry]:
        """One subject's audit trail ("task 5"), in log order."""
        with self.db.transaction(write=False) as cursor:
            cursor.execute(
                ENTRY_SELECT + " WHERE tenant = :t AND subject = :s ORDER BY position",
                {"t": self.tenant, "s": subject},
            )
            return [entry_from_row(r) for r in cursor.fetchall()]

    def entries_recorded_after(self, moment: datetime, limit: int, *, changes_only: bool
                               ) -> tuple[list[AuditEntry], int]:
        """Entries recorded after `moment` (of the change log only, when asked), the latest
        `limit` of them newest first, and how many there are in all."""
        when = self._when(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        count, select = _CHANGES_AFTER if changes_only else _ENTRIES_AFTER
        params = {"t": self.tenant, "after": when, "limit": limit}
        with self.db.transaction(write=False) as cursor:
            cursor.execute(count, params)
            row = cursor.fetchone()
            cursor.execute(select, params)
            entries = [entry_from_row(r) for r in cursor.fetchall()]
        return entries, int(row["n"]) if row else 0

    def all_entries(self, cursor: Cursor) -> list[AuditEntry]:
        cursor.execute(ENTRY_SELECT + " WHERE tenant = :t ORDER BY position", {"t": self.tenant})
        return [entry_from_row(r) for r in cursor.fetchall()]


_ENTRY_COLUMNS = ("tenant", "position", "aggregate_id", "subject", "event", "change_type",
                  "actor", "recorded_at", "effective_on", "doc", "agencies")
_SELECT_POSITION = "SELECT position FROM rm_tracking WHERE tenant = :t"
_SELECT_POSITION_FOR_UPDATE = _SELECT_POSITION + " FOR UPDATE"
_DELETE_TENANT_ROWS = ("DELETE FROM rm_entries WHERE tenant = :t",
                       "DELETE FROM rm_views WHERE tenant = :t")
_EMPTY_TENANT_FILE = ("DELETE FROM rm_entries", "DELETE FROM rm_views")


# An entry is its columns plus a small JSON document of what no query filters on.
ENTRY_SELECT = ("SELECT position, aggregate_id, subject, event, change_type, actor, "
                "recorded_at, effective_on, agencies, doc FROM rm_entries")


_ENTRIES_AFTER = (
    "SELECT COUNT(*) AS n FROM rm_entries WHERE tenant = :t AND recorded_at > :after",
    "SELECT position, aggregate_id, subject, event, change_type, actor, recorded_at, "
    "effective_on, agencies, doc FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "ORDER BY position DESC LIMIT :limit")
_CHANGES_AFTER = (
    "SELECT COUNT(*) AS n FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "AND change_type IS NOT NULL",
    "SELECT position, aggregate_id, subject, event, change_type, actor, recorded_at, "
    "effective_on, agencies, doc FROM rm_entries WHERE tenant = :t AND recorded_at > :after "
    "AND change_type IS NOT NULL ORDER BY position DESC LIMIT :limit")


def _entry_doc(e: AuditEntry) -> str:
    return json.dumps({
        "version": e.version, "code": e.code, "params": e.params,
        "on_behalf_of": e.on_behalf_of,
        "reason": e.reason, "document": e.document,
        "changes": {k: [old, new] for k, (old, new) in e.changes.items()},
    }, ensure_ascii=False)


def entry_from_row(row: dict[str, Any]) -> AuditEntry:
    doc = json.loads(row["doc"])
    recorded, effective = row["recorded_at"], row["effective_on"]
    return AuditEntry(
        position=int(row["position"]), version=doc["version"], event=row["event"],
        code=doc["code"], params=doc["params"],
        recorded_at=recorded if isinstance(recorded, datetime)
        else datetime.fromisoformat(recorded),
        effective_on=effective if isinstance(effective, date | None)
        else date.fromisoformat(effective),
        actor=row["actor"], on_behalf_of=doc["on_behalf_of"], reason=doc["reason"],
        document=doc["document"], changes={k: _change(v) for k, v in doc["changes"].items()},
        aggregate_id=row["aggregate_id"], subject=row["subject"],
        change_type=row["change_type"],
        agencies=tuple(k for k in (row["agencies"] or "").split("|") if k),
    )


def _change(value: Any) -> tuple[str, str]:
    """[old, new]; documents written before this format kept {"from": old, "to": new}."""
    if isinstance(value, dict):
        return value["from"], value["to"]
    return value[0], value[1]


def agency_list(keys: Iterable[str]) -> str:
    """'|key|key|': a LIKE '%|key|%' finds one agency without matching part of another."""
    return "|" + "|".join(keys) + "|" if keys else ""


def agency_pattern(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%|{escaped}|%"


def view_keys(state: PlanState) -> list[tuple[str, str]]:
    keys = [(PLAN, str(i)) for i in state.plans] + [(TASK, str(i)) for i in state.tasks]
    keys += [(INDICATOR, str(i)) for i in state.indicators]
    keys += [(AGENCY, str(i)) for i in state.agency_ids]
    return keys


def view_documents(state: PlanState) -> dict[tuple[str, str], Any]:
    """Every view of a state as the documents the store keeps (used by `check`)."""
    return {key: _doc(state, *key) for key in view_keys(state)}


def _view(state: PlanState, kind: str, id_: str) -> Any:
    uid = UUID(id_)
    if kind == TASK:
        return state.tasks[uid]
    if kind == INDICATOR:
        return state.indicators[uid]
    if kind == PLAN:
        return state.plans[uid]
    key = state.agency_ids[uid]
    return AgencyDoc(key, state.agencies[key], key in state.collectives, id_)


def _doc(state: PlanState, kind: str, id_: str) -> Any:
    return encode(_view(state, kind, id_))


def _put(state: PlanState, kind: str, doc: dict[str, Any]) -> None:
    if kind == TASK:
        task = decode(TaskView, doc)
        state.tasks[task.id] = task
    elif kind == INDICATOR:
        indicator = decode(IndicatorView, doc)
        state.indicators[indicator.id] = indicator
    elif kind == PLAN:
        plan = decode(PlanView, doc)
        state.plans[plan.id] = plan
    else:
        state.agencies[doc["key"]] = doc["name"]
        state.agency_ids[UUID(doc["id"])] = doc["key"]
        if doc["is_collective"]:
            state.collectives.add(doc["key"])
