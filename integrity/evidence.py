"""Evidence files in the log: which files an entry cites, and checking their bytes.

An event names each file by its SHA-256 (`domain/evidence.py`, stored as an
`evidence_file` value); the chain covers the digest, so the file's bytes are proved by
hashing them. This module knows only that stored shape, not the domain, so the offline
verifier can use it with no database and no project code beyond this package.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

MARKER = b'"evidence_file"'  # the transcoding's name; entries without it cite no file
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def cited_files(state: bytes) -> set[str]:
    """The digests of the files an entry's stored state cites (none for unreadable state:
    the chain check reports that entry already)."""
    if MARKER not in state:
        return set()
    try:
        doc = json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return set()
    return set(_walk(doc))


def _walk(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        data = node.get("_data_")
        if node.get("_type_") == "evidence_file" and isinstance(data, dict):
            digest = data.get("sha256")
            if isinstance(digest, str) and DIGEST.match(digest):
                yield digest
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def matches(digest: str, content: bytes) -> bool:
    return hashlib.sha256(content).hexdigest() == digest


def file_problems(cited: Mapping[str, int], content_of: Callable[[str], bytes | None],
                  where: str) -> Iterable[tuple[int, str]]:
    """(position, reason) for each cited file that is missing from `where` or whose bytes
    no longer hash to the digest the log recorded; `cited` maps digest to the first
    position citing it."""
    for digest, position in sorted(cited.items(), key=lambda item: item[1]):
        content = content_of(digest)
        if content is None:
            yield position, f"evidence file {digest[:16]}… cited here is missing from {where}"
        elif not matches(digest, content):
            yield position, (f"evidence file {digest[:16]}… cited here no longer matches its "
                             f"SHA-256 in {where}: its bytes were changed")
