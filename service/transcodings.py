"""How the domain's value types are written into stored events (JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.deadlines import Deadline
from domain.evidence import EvidenceFile
from domain.provenance import Provenance
from domain.targets import Target


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DeadlineAsDict(Transcoding):
    type = Deadline
    name = "deadline"

    def encode(self, obj: Deadline) -> dict[str, Any]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Deadline:
        return Deadline.from_dict(data)


class TargetAsDict(Transcoding):
    type = Target
    name = "target"

    def encode(self, obj: Target) -> dict[str, Any]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Target:
        return Target.from_dict(data)


class ProvenanceAsDict(Transcoding):
    type = Provenance
    name = "provenance"

    def encode(self, obj: Provenance) -> dict[str, Any]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Provenance:
        return Provenance.from_dict(data)


class EvidenceFileAsDict(Transcoding):
    type = EvidenceFile
    name = "evidence_file"

    def encode(self, obj: EvidenceFile) -> dict[str, Any]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> EvidenceFile:
        return EvidenceFile.from_dict(data)


DOMAIN_TRANSCODINGS: tuple[Transcoding, ...] = (
    DateAsISO(), DeadlineAsDict(), TargetAsDict(), ProvenanceAsDict(), EvidenceFileAsDict(),
)
