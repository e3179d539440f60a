"""Proof documents: an event's inclusion under a signed checkpoint, and the consistency of
two checkpoints (the later log extends the earlier one). Each document carries the
checkpoints it relies on, so it can be checked alone with the signer's public keys."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from integrity.canonical import Entry, leaf_hash
from integrity.checkpoints import Checkpoint, MalformedCheckpoint, signature_problem
from integrity.keys import PublicKey
from integrity.merkle import (
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)


def inclusion_document(leaves: list[bytes], entry: Entry, leaf_index: int,
                       checkpoint: Checkpoint) -> dict[str, Any]:
    path = inclusion_proof(leaves[:checkpoint.tree_size], leaf_index)
    return {
        "kind": "inclusion", "tenant": checkpoint.head.tenant, "position": entry.position,
        "leaf_index": leaf_index, "tree_size": checkpoint.tree_size,
        "entry": {"originator_id": str(entry.originator_id),
                  "originator_version": entry.originator_version, "topic": entry.topic,
                  "state": base64.b64encode(entry.state).decode("ascii")},
        "leaf_hash": leaf_hash(entry).hex(), "path": [node.hex() for node in path],
        "checkpoint": checkpoint.to_dict(),
    }


def consistency_document(leaves: list[bytes], first: Checkpoint,
                         second: Checkpoint) -> dict[str, Any]:
    path = consistency_proof(leaves[:second.tree_size], first.tree_size)
    return {
        "kind": "consistency", "tenant": second.head.tenant, "first_size": first.tree_size,
        "second_size": second.tree_size, "path": [node.hex() for node in path],
        "first": first.to_dict(), "second": second.to_dict(),
    }


def check_document(doc: Mapping[str, Any], keys: Mapping[str, PublicKey]) -> list[str]:
    """What is wrong with a proof document; an empty list when it proves its claim."""
    try:
        if doc.get("kind") == "inclusion":
            return _check_inclusion(doc, keys)
        if doc.get("kind") == "consistency":
            return _check_consistency(doc, keys)
    except (KeyError, TypeError, ValueError) as exc:
        return [f"the proof document is unreadable: {exc}"]
    return [f"unknown proof kind {doc.get('kind')!r}"]


def _signed(doc: Mapping[str, Any], keys: Mapping[str, PublicKey],
            problems: list[str]) -> Checkpoint:
    try:
        checkpoint = Checkpoint.from_dict(doc)
    except MalformedCheckpoint as exc:
        raise ValueError(str(exc)) from None
    problem = signature_problem(checkpoint, keys)
    if problem:
        problems.append(f"{checkpoint.describe()}: {problem}")
    return checkpoint


def _check_inclusion(doc: Mapping[str, Any], keys: Mapping[str, PublicKey]) -> list[str]:
    problems: list[str] = []
    checkpoint = _signed(doc["checkpoint"], keys, problems)
    item = doc["entry"]
    entry = Entry(int(doc["position"]), UUID(item["originator_id"]),
                  int(item["originator_version"]), str(item["topic"]),
                  base64.b64decode(item["state"], validate=True))
    path = [bytes.fromhex(node) for node in doc["path"]]
    if not verify_inclusion(leaf_hash(entry), int(doc["leaf_index"]), checkpoint.tree_size,
                            path, checkpoint.head.root_hash):
        problems.append(f"the event at position {entry.position} is not in the "
                        f"{checkpoint.describe()}")
    return problems


def _check_consistency(doc: Mapping[str, Any], keys: Mapping[str, PublicKey]) -> list[str]:
    problems: list[str] = []
    first = _signed(doc["first"], keys, problems)
    second = _signed(doc["second"], keys, problems)
    path = [bytes.fromhex(node) for node in doc["path"]]
    if first.head.tenant != second.head.tenant:
        problems.append("the two checkpoints are for different tenants")
    if not verify_consistency(first.tree_size, second.tree_size, first.head.root_hash,
                              second.head.root_hash, path):
        problems.append(f"the {second.describe()} does not extend the {first.describe()}")
    return problems
