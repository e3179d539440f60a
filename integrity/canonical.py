"""The exact bytes each event is hashed as, and the two hashes built from them.

canonical(entry) is five length-prefixed fields, in this order:

    field(uint64_be(position))
    field(originator_id as its 16 UUID bytes, RFC 4122 order)
    field(uint64_be(originator_version))
    field(topic as UTF-8)
    field(state, the stored bytes exactly as the events table holds them)

where field(b) = uint32_be(len(b)) || b. The length prefixes make the encoding injective:
no two different entries share canonical bytes, whatever their contents.

    leaf_hash  = SHA-256(0x00 || canonical)                    (RFC 9162 leaf)
    chain_hash = SHA-256(0x02 || previous chain_hash || leaf_hash)

The chain starts from 32 zero bytes. It commits to the canonical bytes through the leaf
hash, so the chain can be re-checked from stored leaf hashes alone, without the events.
The 0x02 prefix keeps chain links apart from Merkle leaves (0x00) and nodes (0x01).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from uuid import UUID

GENESIS = bytes(32)
# Stands in, in a Merkle frontier, for a chained leaf missing from the entries read, so
# the leaves after it keep their indices (the tree head then fails, as it should).
MISSING_LEAF = b"\xff" * 32
# The three fixed-size fields with their prefixes, then the topic's length prefix.
_FIXED = struct.Struct(">IQI16sIQI")
_U32 = struct.Struct(">I")


@dataclass(frozen=True)
class Entry:
    """One stored event as the log holds it: nothing is decoded."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def _parts(entry: Entry) -> tuple[bytes, bytes, bytes, bytes]:
    topic = entry.topic.encode("utf-8")
    fixed = _FIXED.pack(8, entry.position, 16, entry.originator_id.bytes, 8,
                        entry.originator_version, len(topic))
    return fixed, topic, _U32.pack(len(entry.state)), entry.state


def canonical(entry: Entry) -> bytes:
    return b"".join(_parts(entry))


def leaf_hash(entry: Entry) -> bytes:
    digest = hashlib.sha256(b"\x00")
    for part in _parts(entry):  # hashed piece by piece: the state is never copied
        digest.update(part)
    return digest.digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x02" + previous + leaf).digest()


@dataclass(frozen=True)
class Link:
    """What the chain recorded for one position when it bound the entry."""

    position: int
    leaf_index: int  # 0-based: the entry's leaf in the Merkle tree
    leaf_hash: bytes
    chain_hash: bytes


@dataclass(frozen=True)
class ChainHead:
    """How far the chain has bound the log: the follower's tracking position."""

    position: int
    tree_size: int
    chain_hash: bytes


EMPTY_HEAD = ChainHead(0, 0, GENESIS)


def link_entries(head: ChainHead, entries: list[Entry]) -> tuple[list[Link], ChainHead]:
    """Bind entries that follow `head`, in order; returns their links and the new head."""
    links, previous, size = [], head.chain_hash, head.tree_size
    for entry in entries:
        leaf = leaf_hash(entry)
        previous = chain_hash(previous, leaf)
        links.append(Link(entry.position, size, leaf, previous))
        size += 1
    if not links:
        return links, head
    return links, ChainHead(links[-1].position, size, previous)
