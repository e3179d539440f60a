"""Audit entries: what changed from what to what, who, when, why, on what document.

An entry says what happened as a message code with its parameters (values, dates, texts as
recorded), never as a sentence: each reader's language renders it (service/audit_texts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from projections.specs.base import Audit


@dataclass(frozen=True)
class AuditEntry:
    position: int
    version: int
    event: str  # the event's name, e.g. "DeadlineChanged"
    code: str  # what happened, as a message code: "audit.deadline_changed"
    params: dict[str, Any]  # the values the code's text shows
    recorded_at: datetime  # transaction time
    effective_on: date | None  # valid time
    actor: str
    on_behalf_of: str | None
    reason: str = ""
    document: str = ""
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (old, new)
    aggregate_id: str = ""
    subject: str = ""  # "task 5", "indicator 7.1", "agency", "plan 1534/KH-UBND"
    change_type: str | None = None  # set for the entries of the change log
    agencies: tuple[str, ...] = ()  # keys of the agencies concerned, for filtering

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "version": self.version,
            "event": self.event,
            "code": self.code,
            "params": dict(self.params),
            "recorded_at": self.recorded_at.isoformat(),
            "effective_on": self.effective_on.isoformat() if self.effective_on else None,
            "actor": self.actor,
            "on_behalf_of": self.on_behalf_of,
            "reason": self.reason,
            "document": self.document,
            "changes": {k: {"from": a, "to": b} for k, (a, b) in self.changes.items()},
            "aggregate_id": self.aggregate_id,
            "subject": self.subject,
            "change_type": self.change_type,
            "agencies": list(self.agencies),
        }


def describe(position: int, event: Any, code: str, audit: Audit, agency_name: Any = str,
             **context: Any) -> AuditEntry:
    """One entry per event, with what its specification says of it; `agency_name` maps an
    agency key to its display name; `context` adds the subject, change type and agencies
    the change log files it under."""
    provenance = getattr(event, "provenance", None)
    return AuditEntry(
        position=position,
        version=event.originator_version,
        event=type(event).__name__,
        code=code,
        params=dict(audit.params),
        recorded_at=event.timestamp,
        effective_on=provenance.effective_on if provenance else None,
        actor=provenance.actor if provenance else "system",
        on_behalf_of=agency_name(provenance.on_behalf_of)
        if provenance and provenance.on_behalf_of else None,
        reason=reason_of(event),
        document=document_of(event),
        changes=audit.changes,
        aggregate_id=str(event.originator_id),
        **context,
    )


def reason_of(event: Any) -> str:
    """Why, as the event says it: its reason, else its note."""
    return getattr(event, "reason", "") or getattr(event, "note", "") or ""


def document_of(event: Any) -> str:
    """The document an event cites: its decision, else the output it records."""
    document: str = getattr(event, "decision_ref", "") or getattr(event, "output_document", "")
    return document
