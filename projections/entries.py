"""Files each event under its subject and, for the change log, under a change type."""

from __future__ import annotations

from typing import Any

from projections.audit import AuditEntry, describe
from projections.plan_state import PlanState

# The changes inspectors follow. A second report for the same period is a correction.
CHANGE_TYPES = {
    "Task.DeadlineChanged": "deadline_changed",
    "Task.Reassigned": "reassigned",
    "Task.ReportReturned": "report_returned",
    "Task.Cancelled": "cancelled",
    "Task.Suspended": "suspended",
    "Task.Resumed": "resumed",
    "Task.TriggerRecorded": "trigger_recorded",
    "Indicator.TargetChanged": "target_changed",
    "Agency.Renamed": "agency_renamed",
}
CHANGE_TYPE_NAMES = (*CHANGE_TYPES.values(), "report_corrected")


def entry_for(position: int, event: Any, state: PlanState) -> AuditEntry:
    """Describe an event against the state as it stood just before it."""
    kind = type(event).__qualname__
    subject, agencies = _subject(kind, event, state)
    change_type = _change_type(kind, event, state)
    # Agencies file a change under them for the change log; other entries need none.
    return describe(
        position, event, state.agency_name, subject=subject, change_type=change_type,
        agencies=agencies if change_type else (),
    )


def _subject(kind: str, event: Any, state: PlanState) -> tuple[str, tuple[str, ...]]:
    if kind.startswith("Task."):
        task = state.tasks.get(event.originator_id)
        number = task.number if task else getattr(event, "number", "?")
        keys = set(task.leads + task.coordinators) if task else set()
        keys.update(getattr(event, "leads", ()), getattr(event, "coordinators", ()))
        return f"task {number}", tuple(sorted(keys))
    if kind.startswith("Indicator."):
        indicator = state.indicators.get(event.originator_id)
        code = indicator.code if indicator else getattr(event, "code", "?")
        responsible = indicator.responsible if indicator else getattr(event, "responsible", ())
        return f"indicator {code}", tuple(sorted(responsible))
    if kind.startswith("Agency."):
        key = state.agency_ids.get(event.originator_id) or getattr(event, "key", "")
        return "agency", (key,) if key else ()
    if kind.startswith("Plan."):
        return f"plan {event.number}", ()
    return kind, ()


def _change_type(kind: str, event: Any, state: PlanState) -> str | None:
    if kind == "Task.ProgressReported":
        task = state.tasks.get(event.originator_id)
        if task and any(r.period == event.period for r in task.reports):
            return "report_corrected"
        return None
    return CHANGE_TYPES.get(kind)
