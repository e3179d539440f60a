"""Which tenants are replicas of a tenant of another deployment, and how far each has come.

A replica's own log is written only by replication (service/replication.py): its events,
chain rows and chain head in one transaction, so the chain head is where a sync resumes.
The row here says where the source is, the keys pinned when the replica was added, what
was last verified against the source's signed checkpoints, the lag, and why replication
stopped if it did. Nobody records commands into a replica (`ReplicaReadOnly`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain.errors import AlreadyExists, NotFound
from integrity.checkpoints import Checkpoint, MalformedCheckpoint
from integrity.keys import PublicKey
from tenants.database import UNIQUE_VIOLATIONS, Database, Row
from tenants.slugs import validate_slug

_COLUMNS = ("slug, source_url, source_tenant, token, public_keys, position, tree_size, "
            "recorded_at, verified_size, verified_position, verified_checkpoint, "
            "source_position, source_recorded_at, synced_at, refused_at, refusal, created_at")


@dataclass(frozen=True)
class Replica:
    slug: str
    source_url: str
    source_tenant: str
    token: str
    public_keys: dict[str, PublicKey]
    created_at: str
    position: int = 0  # the last source position copied (and chained here)
    tree_size: int = 0
    recorded_at: str | None = None  # when the source recorded the last event copied
    verified_size: int = 0  # entries covered by the last source checkpoint verified
    verified_position: int = 0
    verified_checkpoint: Checkpoint | None = None
    source_position: int = 0  # the source's head when last asked
    source_recorded_at: str | None = None  # when the source recorded its latest event
    synced_at: str | None = None
    refused_at: str | None = None  # replication stopped: the source's history was rewritten
    refusal: str | None = None

    @property
    def lag_positions(self) -> int:
        """Log positions the source has that this replica has not copied yet."""
        return max(0, self.source_position - self.position)

    @property
    def lag_seconds(self) -> float:
        """How much later the source's latest event was recorded than the latest copied."""
        if self.lag_positions == 0 or self.source_recorded_at is None:
            return 0.0
        if self.recorded_at is None:
            return 0.0
        seconds = (datetime.fromisoformat(self.source_recorded_at)
                   - datetime.fromisoformat(self.recorded_at)).total_seconds()
        return max(0.0, seconds)

    def to_dict(self) -> dict[str, Any]:
        """What an operator or the monitoring team may see: never the token."""
        return {
            "tenant": self.slug, "source_url": self.source_url,
            "source_tenant": self.source_tenant, "position": self.position,
            "tree_size": self.tree_size, "recorded_at": self.recorded_at,
            "verified_size": self.verified_size, "verified_position": self.verified_position,
            "source_position": self.source_position,
            "source_recorded_at": self.source_recorded_at,
            "lag_positions": self.lag_positions, "lag_seconds": self.lag_seconds,
            "synced_at": self.synced_at, "refused_at": self.refused_at,
            "refusal": self.refusal, "keys": sorted(self.public_keys),
        }


class ReplicaStore:
    """The `r57_replicas` table of the registry's database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def add(self, replica: Replica) -> Replica:
        try:
            with self.db.transaction() as cursor:
                cursor.execute(
                    f"INSERT INTO r57_replicas ({_COLUMNS}) VALUES (:slug, :source_url, "  # noqa: S608
                    ":source_tenant, :token, :public_keys, :position, :tree_size, "
                    ":recorded_at, :verified_size, :verified_position, :verified_checkpoint, "
                    ":source_position, :source_recorded_at, :synced_at, :refused_at, "
                    ":refusal, :created_at)", _params(replica))
        except UNIQUE_VIOLATIONS:
            raise AlreadyExists("tenant.exists", field="slug", tenant=replica.slug) from None
        return replica

    def find(self, slug: str) -> Replica | None:
        with self.db.transaction(write=False) as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM r57_replicas WHERE slug = :slug",  # noqa: S608
                           {"slug": validate_slug(slug)})
            row = cursor.fetchone()
        return None if row is None else _replica(row)

    def get(self, slug: str) -> Replica:
        found = self.find(slug)
        if found is None:
            raise NotFound("replica.not_found", field="tenant", tenant=slug)
        return found

    def list(self) -> list[Replica]:
        with self.db.transaction(write=False) as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM r57_replicas ORDER BY slug")  # noqa: S608
            rows = cursor.fetchall()
        return [_replica(row) for row in rows]

    def slugs(self) -> set[str]:
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT slug FROM r57_replicas")
            return {str(row["slug"]) for row in cursor.fetchall()}

    def remove(self, slug: str) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_replicas WHERE slug = :slug", {"slug": slug})

    def pin_keys(self, replica: Replica) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("UPDATE r57_replicas SET public_keys = :public_keys "
                           "WHERE slug = :slug", _params(replica))

    def save(self, replica: Replica) -> Replica:
        params = _params(replica)
        with self.db.transaction() as cursor:
            cursor.execute(
                "UPDATE r57_replicas SET position = :position, tree_size = :tree_size, "
                "recorded_at = :recorded_at, verified_size = :verified_size, "
                "verified_position = :verified_position, "
                "verified_checkpoint = :verified_checkpoint, "
                "source_position = :source_position, source_recorded_at = :source_recorded_at, "
                "synced_at = :synced_at, refused_at = :refused_at, refusal = :refusal "
                "WHERE slug = :slug", params)
        return replica


def _params(replica: Replica) -> dict[str, Any]:
    checkpoint = replica.verified_checkpoint
    return {
        "slug": replica.slug, "source_url": replica.source_url,
        "source_tenant": replica.source_tenant, "token": replica.token,
        "public_keys": json.dumps([k.to_dict() for k in replica.public_keys.values()]),
        "position": replica.position, "tree_size": replica.tree_size,
        "recorded_at": replica.recorded_at, "verified_size": replica.verified_size,
        "verified_position": replica.verified_position,
        "verified_checkpoint": json.dumps(checkpoint.to_dict()) if checkpoint else None,
        "source_position": replica.source_position,
        "source_recorded_at": replica.source_recorded_at, "synced_at": replica.synced_at,
        "refused_at": replica.refused_at, "refusal": replica.refusal,
        "created_at": replica.created_at,
    }


def _replica(row: Row) -> Replica:
    keys = {k.key_id: k for k in (PublicKey.from_dict(d) for d in json.loads(row["public_keys"]))}
    checkpoint = None
    if row["verified_checkpoint"]:
        try:
            checkpoint = Checkpoint.from_dict(json.loads(row["verified_checkpoint"]))
        except MalformedCheckpoint:
            checkpoint = None  # verified again from the source's next checkpoint
    found = Replica(
        slug=str(row["slug"]), source_url=str(row["source_url"]),
        source_tenant=str(row["source_tenant"]), token=str(row["token"]), public_keys=keys,
        created_at=str(row["created_at"]))
    return replace(
        found, position=int(row["position"]), tree_size=int(row["tree_size"]),
        recorded_at=row["recorded_at"], verified_size=int(row["verified_size"]),
        verified_position=int(row["verified_position"]), verified_checkpoint=checkpoint,
        source_position=int(row["source_position"]),
        source_recorded_at=row["source_recorded_at"], synced_at=row["synced_at"],
        refused_at=row["refused_at"], refusal=row["refusal"])
