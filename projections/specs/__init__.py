"""What each event means to the read models, stated once per event class.

`SPECS` maps every event class of the plan's aggregates to its specification: how it folds
into the plan state, the audit entry it makes (a message code and its parameters) and the
change type the change log files it under. Dispatch is by class: an event without a
specification is an error, never skipped (tests/unit/test_event_specs.py walks the aggregates).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from projections.plan_state import PlanState
from projections.specs.base import Audit, EventSpec, Subject, UnknownEvent
from projections.specs.other import SPECS as OTHER_SPECS
from projections.specs.review import SPECS as REVIEW_SPECS
from projections.specs.task import SPECS as TASK_SPECS

__all__ = ["SPECS", "Audit", "EventSpec", "Subject", "UnknownEvent", "apply", "change_types",
           "fold", "spec_for"]

SPECS: dict[type[Any], EventSpec] = {**TASK_SPECS, **REVIEW_SPECS, **OTHER_SPECS}


def spec_for(event: Any) -> EventSpec:
    """The specification of an event's class (or of the declared class it was built from)."""
    for cls in type(event).__mro__:
        spec = SPECS.get(cls)
        if spec is not None:
            return spec
    raise UnknownEvent(f"No specification for event {type(event).__qualname__}.")


def change_types() -> tuple[str, ...]:
    """Every change type the change log files entries under, in the order first declared."""
    return tuple(dict.fromkeys(s.change_type for s in SPECS.values() if s.change_type))


def apply(state: PlanState, position: int, event: Any) -> None:
    spec_for(event).fold(state, event)
    state.position = max(state.position, position)


def fold(
    events: Iterable[tuple[int, Any]],
    *,
    known_at: datetime | None = None,
    effective_on: date | None = None,
    state: PlanState | None = None,
) -> PlanState:
    """Fold (position, event) pairs (into `state`, when given). `known_at` keeps events
    recorded by then (transaction time); `effective_on` keeps events that had taken effect
    by then (valid time)."""
    state = PlanState() if state is None else state
    for position, event in events:
        if known_at is not None and event.timestamp > known_at:
            continue
        if effective_on is not None and _effective(event) > effective_on:
            continue
        apply(state, position, event)
    return state


def _effective(event: Any) -> date:
    provenance = getattr(event, "provenance", None)
    effective: date = provenance.effective_on if provenance else event.timestamp.date()
    return effective
