"""Files each event under its subject and, for the change log, under a change type."""

from __future__ import annotations

from typing import Any

from projections.audit import AuditEntry, describe
from projections.plan_state import PlanState
from projections.specs import EventSpec, change_types, spec_for

# The changes inspectors follow (a second report for the same period is a correction).
CHANGE_TYPE_NAMES = change_types()


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
