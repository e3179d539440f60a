"""Evidence files as events name them: the content's SHA-256 and what the uploader called it.

The bytes live in the tenant's file store; the digest in the event is what the hash chain,
exports and verification cover, so a file cannot be swapped without the chain noticing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class EvidenceFile:
    sha256: str
    name: str  # as uploaded, NFC, no directories
    size: int
    content_type: str  # sniffed from the bytes, never taken from the client

    def __post_init__(self) -> None:
        if not _SHA256.match(self.sha256):
            raise DomainError("file.bad_digest", field="files")

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "name": self.name, "size": self.size,
                "content_type": self.content_type}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvidenceFile:
        return cls(str(data["sha256"]), str(data["name"]), int(data["size"]),
                   str(data["content_type"]))
