"""Files each event under its subject and, for the change log, under a change type: as an
`AuditEntry` (entry_for), or straight as the row the store keeps (EntryRows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from projections.audit import AuditEntry, describe, document_of, reason_of
from projections.codec import json_encoder
from projections.plan_state import PlanState
from projections.specs import EventSpec, change_types, spec_for

# The changes inspectors follow (a second report for the same period is a correction).
CHANGE_TYPE_NAMES = change_types()

# The columns of a stored entry, in the order EntryRows makes them.
ENTRY_COLUMNS = ("tenant", "position", "aggregate_id", "subject", "event", "change_type",
                 "actor", "recorded_at", "effective_on", "doc", "agencies")
EntryRow = tuple[Any, ...]


def entry_for(position: int, event: Any, state: PlanState,
              spec: EventSpec | None = None) -> AuditEntry:
    """Describe an event against the state as it stood just before it (`spec`: the event's
    specification, when the caller has looked it up already)."""
    spec = spec_for(event) if spec is None else spec
    subject, agencies = spec.subject.describe(state, event)
    change_type = spec.change_type_of(state, event)
    # Agencies file a change under them for the change log; other entries need none.
    return describe(
        position, event, spec.code, spec.audit(state, event), state.agency_name,
        subject=subject,
        change_type=change_type, agencies=agencies if change_type else (),
    )


# An entry's document holds JSON values alone (a code's parameters as recorded).
entry_json = json_encoder()


class EntryRows:
    """An event's entry as the row the store keeps (ENTRY_COLUMNS): the values of
    `entry_for`'s entry, written without it. `when` and `day` give a time and a day as the
    store's dialect keeps them."""

    def __init__(self, tenant: str, when: Callable[[datetime], Any],
                 day: Callable[[date | None], Any]) -> None:
        self.tenant, self.when, self.day = tenant, when, day

    def __call__(self, position: int, event: Any, state: PlanState,
                 spec: EventSpec) -> EntryRow:
        subject, agencies = spec.subject.describe(state, event)
        change_type = spec.change_type_of(state, event)
        audit = spec.audit(state, event)
        provenance = getattr(event, "provenance", None)
        if provenance is None:
            effective_on, actor, on_behalf_of = None, "system", None
        else:
            effective_on, actor = provenance.effective_on, provenance.actor
            behalf = provenance.on_behalf_of
            on_behalf_of = state.agency_name(behalf) if behalf else None
        # A change's (old, new) is written as [old, new], as the entry's `changes` reads it.
        doc = entry_json({
            "version": event.originator_version, "code": spec.code, "params": audit.params,
            "on_behalf_of": on_behalf_of, "reason": reason_of(event),
            "document": document_of(event), "changes": audit.changes,
        })
        return (self.tenant, position, str(event.originator_id), subject,
                type(event).__name__, change_type, actor, self.when(event.timestamp),
                self.day(effective_on), doc,
                agency_list(agencies) if change_type else "")


def agency_list(keys: Any) -> str:
    """'|key|key|': a LIKE '%|key|%' finds one agency without matching part of another."""
    return "|" + "|".join(keys) + "|" if keys else ""
