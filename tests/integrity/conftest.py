"""Fixtures for tamper evidence: a province with a real plan, its integrity service, and
someone with full database access who rewrites the events table behind the service."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest

from importers import read_plan_document
from integrity.canonical import EMPTY_HEAD, link_entries
from service.commands import Context, ImportPlan, ReportProgress
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from service.tenancy import Tenancy

SLUG = "quang-nam"
DOST = Context(actor="dost")


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def ledger(tenancy: Tenancy, seed_path: Path) -> TenantLedger:
    """141 events: the seed plan of Quảng Nam, imported in one transaction."""
    tenancy.create_tenant(SLUG, "Quảng Nam", "49")
    ledger = tenancy.ledger(SLUG, for_writing=True)
    sha256 = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    ledger.handle(ImportPlan(document=read_plan_document(seed_path), sha256=sha256), DOST)
    return ledger


@pytest.fixture
def integrity(tenancy: Tenancy, ledger: TenantLedger, key_dir: Path) -> TenantIntegrity:
    return TenantIntegrity(tenancy.application(SLUG), key_dir)


def report_progress(ledger: TenantLedger, count: int) -> None:
    for n in range(count):
        ledger.handle(ReportProgress(
            task=str(n % 60 + 1), period="2025-Q1", percent=n % 100,
            narrative=f"Báo cáo {n}"), DOST)


class Intruder:
    """Full access to the tenant's events table (SQLite: the tenant file's `stored_events`,
    keyed by rowid; PostgreSQL: `t_<slug>_events`, keyed by notification_id)."""

    def __init__(self, tenancy: Tenancy, slug: str = SLUG) -> None:
        self.db = tenancy.storage.tenant_database(slug)
        self.table = tenancy.storage.events_table(slug)
        self.id = "rowid" if self.db.dialect == "sqlite" else "notification_id"
        self.slug = slug

    def _run(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self.db.transaction() as cursor:
            cursor.execute(sql.format(t=self.table, id=self.id), params or {})
            return cursor.fetchall() if sql.lstrip().upper().startswith("SELECT") else []

    def state(self, position: int) -> bytes:
        rows = self._run("SELECT state FROM {t} WHERE {id} = :p", {"p": position})
        return bytes(rows[0]["state"])

    def set_state(self, position: int, state: bytes) -> None:
        self._run("UPDATE {t} SET state = :s WHERE {id} = :p", {"s": state, "p": position})

    def flip_one_byte(self, position: int) -> None:
        state = bytearray(self.state(position))
        state[len(state) // 2] ^= 0x01
        self.set_state(position, bytes(state))

    def delete(self, position: int) -> None:
        self._run("DELETE FROM {t} WHERE {id} = :p", {"p": position})

    def truncate_after(self, position: int) -> None:
        self._run("DELETE FROM {t} WHERE {id} > :p", {"p": position})

    def _move(self, old: int, new: int) -> None:
        self._run("UPDATE {t} SET {id} = :new WHERE {id} = :old", {"new": new, "old": old})

    def swap(self, a: int, b: int) -> None:
        self._move(a, 10_000_000)
        self._move(b, a)
        self._move(10_000_000, b)

    def insert_forged(self, position: int) -> None:
        """Make room at `position` by shifting the later events up one, then put a forged
        event there, shaped like the one it displaces."""
        self._run("UPDATE {t} SET {id} = {id} + 10000000 WHERE {id} >= :p", {"p": position})
        self._run("UPDATE {t} SET {id} = {id} - 9999999 WHERE {id} >= 10000000")
        topic = self._run("SELECT topic FROM {t} WHERE {id} = :p", {"p": position + 1})[0]
        originator: object = uuid.uuid4()
        if self.db.dialect == "sqlite":
            originator = uuid.UUID(str(originator)).hex
        self._run("INSERT INTO {t} (" + ("rowid, " if self.id == "rowid" else "notification_id, ")
                  + "originator_id, originator_version, topic, state) "
                  "VALUES (:p, :o, 1, :topic, :s)",
                  {"p": position, "o": originator, "topic": topic["topic"],
                   "s": b'{"forged":"yes"}'})

    def rewrite_from(self, position: int) -> None:
        """Change every event from `position` on: a different history."""
        rows = self._run("SELECT {id} AS p FROM {t} WHERE {id} >= :p ORDER BY {id}",
                         {"p": position})
        for row in rows:
            p = int(row["p"])
            state = self.state(p)
            self.set_state(p, state[:-1] + b" " + state[-1:])  # still valid JSON

    def wipe(self, *tables: str) -> None:
        """Delete the tenant's rows of integrity tables: cover the tracks."""
        with self.db.transaction() as cursor:
            for table in tables:
                assert table.startswith("integrity_")
                cursor.execute(f"DELETE FROM {table} WHERE tenant = :t", {"t": self.slug})

    def wipe_chain(self) -> None:
        self.wipe("integrity_chain", "integrity_tracking")

    def wipe_everything(self) -> None:
        self.wipe("integrity_chain", "integrity_tracking", "integrity_checkpoints")


@pytest.fixture
def intruder(tenancy: Tenancy, ledger: TenantLedger) -> Intruder:
    return Intruder(tenancy)


def truncate_chain_after(intruder: Intruder, position: int) -> None:
    """Also cut the chain back, as if the removed events had never been chained."""
    with intruder.db.transaction() as cursor:
        params = {"t": intruder.slug, "p": position}
        cursor.execute("SELECT leaf_index, chain_hash FROM integrity_chain "
                       "WHERE tenant = :t AND position = :p", params)
        row = cursor.fetchone()
        assert row is not None
        cursor.execute("DELETE FROM integrity_chain WHERE tenant = :t AND position > :p", params)
        cursor.execute("UPDATE integrity_tracking SET position = :p, tree_size = :n, "
                       "chain_hash = :c WHERE tenant = :t",
                       params | {"n": int(row["leaf_index"]) + 1, "c": row["chain_hash"]})


def unbind_after(integrity: TenantIntegrity, position: int) -> None:
    """Unbind the entries after `position`, as a log recorded before appends bound their
    entries in their own transaction."""
    links = integrity.store.links_after(0, position)
    head = link_entries(EMPTY_HEAD, list(integrity.entries_after(0))[:position])[1]
    assert links[-1].chain_hash == head.chain_hash
    with integrity.store.db.transaction() as cursor:
        cursor.execute("DELETE FROM integrity_chain WHERE tenant = :t AND position > :p",
                       {"t": SLUG, "p": position})
        integrity.store.advance(cursor, [], head)
