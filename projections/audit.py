"""Readable audit entries: what changed from what to what, who, when, why, on what document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


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


def _names(keys: Any, agency_name: Any) -> str:
    return "; ".join(agency_name(k) for k in keys) or "-"


def describe(
    position: int, event: Any, agency_name: Any = str, **context: Any
) -> AuditEntry:
    """One entry per event; `agency_name` maps an agency key to its display name;
    `context` adds the subject, change type and agencies the change log files it under."""
    name = type(event).__name__
    provenance = getattr(event, "provenance", None)
    base: dict[str, Any] = {
        "position": position,
        "version": event.originator_version,
        "event": name,
        "recorded_at": event.timestamp,
        "effective_on": provenance.effective_on if provenance else None,
        "actor": provenance.actor if provenance else "system",
        "on_behalf_of": agency_name(provenance.on_behalf_of)
        if provenance and provenance.on_behalf_of else None,
        "reason": getattr(event, "reason", "") or getattr(event, "note", "") or "",
        "document": getattr(event, "decision_ref", "") or getattr(event, "output_document", ""),
    }
    summary, changes = _summarise(name, event, agency_name)
    return AuditEntry(summary=summary, changes=changes, aggregate_id=str(event.originator_id),
                      **base, **context)


def _summarise(name: str, e: Any, agency_name: Any) -> tuple[str, dict[str, tuple[str, str]]]:
    if name == "Added":
        return (f"Task {e.number} added: lead {_names(e.leads, agency_name)}, "
                f"due '{e.deadline.text}'", {})
    if name == "Reassigned":
        changes = {
            "leads": (_names(e.old_leads, agency_name), _names(e.leads, agency_name)),
            "coordinators": (_names(e.old_coordinators, agency_name),
                             _names(e.coordinators, agency_name)),
        }
        return f"Reassigned to {_names(e.leads, agency_name)}", changes
    if name == "DeadlineChanged":
        return (f"Deadline changed from '{e.old.text}' to '{e.new.text}'",
                {"deadline": (e.old.text, e.new.text)})
    if name == "TriggerRecorded":
        return (f"Condition met on {e.triggered_on:%d/%m/%Y}; due {e.deadline.due:%d/%m/%Y}",
                {"deadline": ("", e.deadline.due.isoformat())})
    if name == "ProgressReported":
        return (f"Report {e.report} for {e.period}: {e.percent} %",
                {"percent": ("", str(e.percent))})
    if name == "ReportVerified":
        return f"Report {e.report} verified", {"report": ("submitted", "verified")}
    if name == "ReportReturned":
        return f"Report {e.report} returned", {"report": ("submitted", "returned")}
    if name == "Completed":
        return (f"Completed on {e.completed_on:%d/%m/%Y} with {e.output_document}",
                {"state": ("open", "completed")})
    if name in ("Cancelled", "Suspended", "Resumed"):
        new = {"Cancelled": "cancelled", "Suspended": "suspended", "Resumed": "open"}[name]
        return f"Task {new}", {"state": ("", new)}
    if name == "Defined":
        return f"Indicator {e.code} defined: target '{e.target.text}'", {}
    if name == "ValueReported":
        return f"Value {e.value} reported for {e.period}", {"value": ("", str(e.value))}
    if name == "TargetChanged":
        return (f"Target changed from '{e.old.text}' to '{e.new.text}'",
                {"target": (e.old.text, e.new.text)})
    return name, {}
