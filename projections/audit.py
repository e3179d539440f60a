"""Readable audit entries: what changed from what to what, who, when, why, on what document."""

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
    summary: str  # one readable line
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
            "summary": self.summary,
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


def describe(position: int, event: Any, audit: Audit, agency_name: Any = str,
             **context: Any) -> AuditEntry:
    """One entry per event, with what its specification says of it; `agency_name` maps an
    agency key to its display name; `context` adds the subject, change type and agencies
    the change log files it under."""
    provenance = getattr(event, "provenance", None)
    return AuditEntry(
        position=position,
        version=event.originator_version,
        event=type(event).__name__,
        summary=_english(audit),
        recorded_at=event.timestamp,
        effective_on=provenance.effective_on if provenance else None,
        actor=provenance.actor if provenance else "system",
        on_behalf_of=agency_name(provenance.on_behalf_of)
        if provenance and provenance.on_behalf_of else None,
        reason=getattr(event, "reason", "") or getattr(event, "note", "") or "",
        document=getattr(event, "decision_ref", "") or getattr(event, "output_document", ""),
        changes=audit.changes,
        aggregate_id=str(event.originator_id),
        **context,
    )


_ENGLISH = {
    "audit.task_added": "Task {number} added: lead {leads}, due '{deadline}'",
    "audit.task_reassigned": "Reassigned to {leads}",
    "audit.deadline_changed": "Deadline changed from '{old}' to '{new}'",
    "audit.trigger_recorded": "Condition met on {triggered_on}; due {due}",
    "audit.progress_reported": "Report {report} for {period}: {percent} %",
    "audit.report_verified": "Report {report} verified",
    "audit.report_returned": "Report {report} returned",
    "audit.task_completed": "Completed on {completed_on} with {output_document}",
    "audit.task_cancelled": "Task cancelled",
    "audit.task_suspended": "Task suspended",
    "audit.task_resumed": "Task open",
    "audit.indicator_defined": "Indicator {code} defined: target '{target}'",
    "audit.value_reported": "Value {value} reported for {period}",
    "audit.target_changed": "Target changed from '{old}' to '{new}'",
    "audit.plan_issued": "Issued",
    "audit.agency_registered": "Registered",
    "audit.agency_renamed": "Renamed",
    "audit.catalogue_opened": "Opened",
    "audit.plan_listed": "PlanAdded",
}


def _english(audit: Audit) -> str:
    return _ENGLISH[audit.code].format(**{k: _shown(k, v) for k, v in audit.params.items()})


def _shown(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(value) or "-"
    if name in ("triggered_on", "due", "completed_on") and value:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return value
