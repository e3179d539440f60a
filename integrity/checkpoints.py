"""Signed tree heads: what a tenant's log looked like at one moment, signed with Ed25519.

The signed message is the checkpoint body exactly as stored: compact JSON with sorted keys,

    {"chain_hash": hex, "format": "r57-checkpoint/1", "issued_at": ISO 8601 UTC,
     "key_id": hex, "last_position": int, "root_hash": hex, "tenant": slug,
     "tree_size": int}

`tree_size` counts the entries (leaves), `last_position` is the log position of the last
one, `root_hash` is the RFC 9162 Merkle root over their leaf hashes and `chain_hash` the
hash chain at that entry. Verifiers parse the body they were given and never re-serialise
it, so no canonical-JSON subtleties can make a good signature fail or a bad one pass.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.messages import Message, message
from integrity.keys import PublicKey

FORMAT = "r57-checkpoint/1"


class MalformedCheckpoint(ValueError):
    pass


@dataclass(frozen=True)
class TreeHead:
    tenant: str
    tree_size: int
    last_position: int
    root_hash: bytes
    chain_hash: bytes


@dataclass(frozen=True)
class Checkpoint:
    head: TreeHead
    issued_at: str
    key_id: str
    body: str  # the signed text
    signature: bytes

    @property
    def tree_size(self) -> int:
        return self.head.tree_size

    def to_dict(self) -> dict[str, Any]:
        return {"body": self.body, "signature": base64.b64encode(self.signature).decode()}

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Checkpoint:
        try:
            signature = base64.b64decode(doc["signature"], validate=True)
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedCheckpoint(f"unreadable signature: {exc}") from None
        return parse(str(doc.get("body", "")), signature)

    def describe(self) -> str:
        return (f"checkpoint of {self.head.tree_size} entries (to position "
                f"{self.head.last_position}, issued {self.issued_at}, key {self.key_id[:16]})")

    def described(self) -> Message:
        """`describe()` as a catalogue message, for refusals read in either language."""
        return message("integrity.checkpoint", size=self.head.tree_size,
                       position=self.head.last_position, issued=self.issued_at,
                       key=self.key_id[:16])


def sign(head: TreeHead, issued_at: str, key_id: str, key: Ed25519PrivateKey) -> Checkpoint:
    body = json.dumps({
        "chain_hash": head.chain_hash.hex(), "format": FORMAT, "issued_at": issued_at,
        "key_id": key_id, "last_position": head.last_position,
        "root_hash": head.root_hash.hex(), "tenant": head.tenant, "tree_size": head.tree_size,
    }, sort_keys=True, separators=(",", ":"))
    return Checkpoint(head, issued_at, key_id, body, key.sign(body.encode("utf-8")))


def parse(body: str, signature: bytes) -> Checkpoint:
    try:
        doc = json.loads(body)
        if doc["format"] != FORMAT:
            raise MalformedCheckpoint(f"unknown checkpoint format {doc['format']!r}")
        head = TreeHead(str(doc["tenant"]), int(doc["tree_size"]), int(doc["last_position"]),
                        bytes.fromhex(doc["root_hash"]), bytes.fromhex(doc["chain_hash"]))
        return Checkpoint(head, str(doc["issued_at"]), str(doc["key_id"]), body, signature)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MalformedCheckpoint):
            raise
        raise MalformedCheckpoint(f"unreadable checkpoint body: {exc}") from None


def signature_problem(checkpoint: Checkpoint, keys: Mapping[str, PublicKey]) -> str | None:
    """Why the signature cannot be trusted, or None when a trusted key made it."""
    key = keys.get(checkpoint.key_id)
    if key is None:
        return f"signed by key {checkpoint.key_id[:16]}…, which is not a trusted key"
    if not key.verifies(checkpoint.signature, checkpoint.body.encode("utf-8")):
        return "the signature does not match the checkpoint"
    return None
