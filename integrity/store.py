"""Where a tenant's chain, its tracking head and its checkpoints are stored (SQL port).

The tracking row is the per-tenant lock: whoever extends the chain or signs a checkpoint
locks it first, so chain rows, head and checkpoints change together, exactly once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from integrity.canonical import EMPTY_HEAD, ChainHead, Link
from integrity.checkpoints import Checkpoint

if TYPE_CHECKING:
    from tenants.database import Cursor, Database

_HEAD = "SELECT position, tree_size, chain_hash FROM integrity_tracking WHERE tenant = :t"
_LINKS = ("SELECT position, leaf_index, leaf_hash, chain_hash FROM integrity_chain "
          "WHERE tenant = :t AND position > :after AND position <= :upto "
          "ORDER BY position LIMIT :limit")
# PostgreSQL binds, in the server, every entry of the log after the chain's head: the
# tracking row is locked, each entry's canonical bytes are built as integrity/canonical.py
# defines them (uint32/uint64 big-endian: int4send/int8send; the UUID's 16 bytes:
# uuid_send; the topic as UTF-8), hashed into its leaf and chained in position order, and
# the links and the new head written, in one statement. No answer is needed from before
# it: it can follow the insert of the entries in the same round trip.
_BIND_IN_SERVER = """
WITH RECURSIVE locked AS (
  SELECT position, tree_size, chain_hash FROM integrity_tracking WHERE tenant = :t FOR UPDATE
), head AS (
  SELECT * FROM locked
  UNION ALL SELECT 0, 0, :genesis WHERE NOT EXISTS (SELECT 1 FROM locked)
), entries AS (
  SELECT e.notification_id AS position,
    h.tree_size + row_number() OVER (ORDER BY e.notification_id) - 1 AS leaf_index,
    sha256('\\x00'::bytea || int4send(8) || int8send(e.notification_id) || int4send(16)
      || uuid_send(e.originator_id::uuid) || int4send(8) || int8send(e.originator_version)
      || int4send(octet_length(convert_to(e.topic, 'UTF8'))) || convert_to(e.topic, 'UTF8')
      || int4send(octet_length(e.state)) || e.state) AS leaf
  FROM {events} e, head h WHERE e.notification_id > h.position
), links AS (
  SELECT en.position, en.leaf_index, en.leaf,
    sha256('\\x02'::bytea || h.chain_hash || en.leaf) AS chain
  FROM entries en, head h WHERE en.leaf_index = h.tree_size
  UNION ALL
  SELECT en.position, en.leaf_index, en.leaf, sha256('\\x02'::bytea || l.chain || en.leaf)
  FROM links l JOIN entries en ON en.leaf_index = l.leaf_index + 1
), bound AS (
  INSERT INTO integrity_chain (tenant, position, leaf_index, leaf_hash, chain_hash)
  SELECT :t, position, leaf_index, leaf, chain FROM links
  RETURNING position, leaf_index, chain_hash
)
INSERT INTO integrity_tracking (tenant, position, tree_size, chain_hash)
SELECT :t, position, leaf_index + 1, chain_hash FROM bound ORDER BY position DESC LIMIT 1
ON CONFLICT (tenant) DO UPDATE SET position = excluded.position,
  tree_size = excluded.tree_size, chain_hash = excluded.chain_hash
"""
_CHECKPOINTS = ("SELECT body, signature FROM integrity_checkpoints WHERE tenant = :t "
                "ORDER BY tree_size, issued_at, key_id")


def _bytes(value: Any) -> bytes:
    return bytes(value)  # psycopg may hand back a memoryview for bytea


def _link(row: dict[str, Any]) -> Link:
    return Link(int(row["position"]), int(row["leaf_index"]), _bytes(row["leaf_hash"]),
                _bytes(row["chain_hash"]))


SignedText = tuple[str, bytes]  # a checkpoint's body and signature, not yet trusted


class IntegrityStore:
    def __init__(self, database: Database, tenant: str) -> None:
        self.db = database
        self.tenant = tenant

    # -- the head ----------------------------------------------------------------------

    def head(self) -> ChainHead:
        with self.db.transaction() as cursor:
            cursor.execute(_HEAD, {"t": self.tenant})
            row = cursor.fetchone()
        return _head(row)

    def lock_head(self, cursor: Cursor) -> ChainHead:
        """Take the tenant's chain lock for this transaction; return the head."""
        cursor.execute(self._locked_head(), {"t": self.tenant})
        row = cursor.fetchone()
        if row is None:  # the tenant's first chaining: make the row, then lock it
            cursor.execute(
                "INSERT INTO integrity_tracking (tenant, position, tree_size, chain_hash) "
                "VALUES (:t, 0, 0, :g) ON CONFLICT (tenant) DO NOTHING",
                {"t": self.tenant, "g": EMPTY_HEAD.chain_hash},
            )
            cursor.execute(self._locked_head(), {"t": self.tenant})
            row = cursor.fetchone()
        return _head(row)

    def _locked_head(self) -> str:
        # SQLite's writers are already serialised; PostgreSQL locks the row.
        return _HEAD + (" FOR UPDATE" if self.db.dialect == "postgres" else "")

    def advance(self, cursor: Cursor, links: list[Link], head: ChainHead) -> None:
        cursor.executemany(
            "INSERT INTO integrity_chain (tenant, position, leaf_index, leaf_hash, chain_hash) "
            "VALUES (:t, :p, :i, :l, :c)",
            [{"t": self.tenant, "p": k.position, "i": k.leaf_index, "l": k.leaf_hash,
              "c": k.chain_hash} for k in links],
        )
        cursor.execute(
            "UPDATE integrity_tracking SET position = :p, tree_size = :n, chain_hash = :c "
            "WHERE tenant = :t",
            {"p": head.position, "n": head.tree_size, "c": head.chain_hash, "t": self.tenant},
        )

    def bind_in_server(self, cursor: Cursor, events_table: str) -> None:
        """PostgreSQL: bind every entry of `events_table` after the head, in the server
        (see _BIND_IN_SERVER); `events_table` is the storage's name for it, never input."""
        cursor.execute(_BIND_IN_SERVER.format(events=events_table),
                       {"t": self.tenant, "genesis": EMPTY_HEAD.chain_hash})

    # -- the chain ---------------------------------------------------------------------

    def links_after(self, after: int, upto: int, limit: int = 5000) -> list[Link]:
        with self.db.transaction() as cursor:
            cursor.execute(_LINKS, {"t": self.tenant, "after": after, "upto": upto,
                                    "limit": limit})
            return [_link(row) for row in cursor.fetchall()]

    def link_at(self, position: int) -> Link | None:
        links = self.links_after(position - 1, position, 1)
        return links[0] if links else None

    def leaf_hashes(self, cursor: Cursor) -> list[bytes]:
        """Every chained leaf hash, in leaf order: what checkpoints and proofs are built on."""
        cursor.execute("SELECT leaf_hash FROM integrity_chain WHERE tenant = :t "
                       "ORDER BY leaf_index", {"t": self.tenant})
        return [_bytes(row["leaf_hash"]) for row in cursor.fetchall()]

    # -- checkpoints -------------------------------------------------------------------

    def add_checkpoint(self, cursor: Cursor, checkpoint: Checkpoint) -> None:
        cursor.execute(
            "INSERT INTO integrity_checkpoints (tenant, tree_size, key_id, last_position, "
            "root_hash, issued_at, body, signature) VALUES (:t, :n, :k, :p, :r, :i, :b, :s)",
            {"t": self.tenant, "n": checkpoint.head.tree_size, "k": checkpoint.key_id,
             "p": checkpoint.head.last_position, "r": checkpoint.head.root_hash,
             "i": checkpoint.issued_at, "b": checkpoint.body, "s": checkpoint.signature},
        )

    def checkpoints(self, cursor: Cursor | None = None) -> list[SignedText]:
        """Every stored checkpoint, smallest tree first, as stored: anyone with database
        access could have written these rows, so callers parse and check each one."""
        if cursor is None:
            with self.db.transaction() as own:
                return self.checkpoints(own)
        cursor.execute(_CHECKPOINTS, {"t": self.tenant})
        return [(str(row["body"]), _bytes(row["signature"])) for row in cursor.fetchall()]


def _head(row: dict[str, Any] | None) -> ChainHead:
    if row is None:
        return EMPTY_HEAD
    return ChainHead(int(row["position"]), int(row["tree_size"]), _bytes(row["chain_hash"]))
