"""The shape of an event's specification."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from projections.plan_state import PlanState

# field -> (old, new), as the audit trail shows a change.
Changes = dict[str, tuple[str, str]]


class UnknownEvent(LookupError):
    """An event whose class has no specification: the read models cannot place it."""


@dataclass(frozen=True)
class Audit:
    """What an audit entry shows besides its code: the parameters of the code's text, and
    the fields the event changed.

    Parameters are JSON values (numbers, ISO dates, texts as recorded, agency names as they
    stood when the event was recorded); each language renders the code its own way."""

    params: dict[str, Any] = field(default_factory=dict)
    changes: Changes = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """What the events of one aggregate are about.

    `view` names the read-model view the events change ("" when none); `describe` gives
    the subject an entry is filed under ("task 5") and the keys of the agencies concerned."""

    view: str
    describe: Callable[[PlanState, Any], tuple[str, tuple[str, ...]]]


def always(state: PlanState, event: Any) -> bool:
    return True


@dataclass(frozen=True)
class EventSpec:
    subject: Subject
    fold: Callable[[PlanState, Any], None]
    code: str  # the audit entry's message code ("audit.deadline_changed")
    audit: Callable[[PlanState, Any], Audit]
    change_type: str | None = None  # the change log's type, if the event is a change
    # Whether this occurrence is a change; asked of the state just before the event.
    is_change: Callable[[PlanState, Any], bool] = always

    def change_type_of(self, state: PlanState, event: Any) -> str | None:
        if self.change_type and self.is_change(state, event):
            return self.change_type
        return None


def names(state: PlanState, keys: Any) -> list[str]:
    """Agencies' names as they stand in the state (when the event is recorded)."""
    return [state.agency_name(k) for k in keys]


def ignore(state: PlanState, event: Any) -> None:
    """For events that change no read-model view."""


def nothing(state: PlanState, event: Any) -> Audit:
    """For audit entries whose code says it all."""
    return Audit()
