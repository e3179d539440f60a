"""The review workflow's events: completions the standing body accepts or returns, extension
requests it approves or refuses, and directions with the agencies' answers."""

from __future__ import annotations

from typing import Any

from domain.task import Task
from projections.plan_state import (
    AnswerView,
    CompletionRequestView,
    DirectionView,
    ExtensionRequestView,
    PlanState,
    TaskView,
)
from projections.specs.base import Audit, EventSpec
from projections.specs.task import TASK


def _task(state: PlanState, e: Any) -> TaskView | None:
    task = state.tasks.get(e.originator_id)
    if task is not None:
        task.version = e.originator_version
    return task


def _completion(task: TaskView, number: int) -> CompletionRequestView | None:
    return next((c for c in task.completions if c.number == number), None)


def _extension(task: TaskView, number: int) -> ExtensionRequestView | None:
    return next((x for x in task.extensions if x.number == number), None)


# -- completion ----------------------------------------------------------------------------

def _completion_requested(state: PlanState, e: Task.CompletionRequested) -> None:
    if task := _task(state, e):
        task.state = "completion_pending"
        task.completions.append(CompletionRequestView(
            number=e.request, completed_on=e.completed_on, output_document=e.output_document,
            note=e.note, agency=e.provenance.on_behalf_of, recorded_at=e.timestamp,
            files=tuple(e.files),
        ))


def _completion_requested_audit(state: PlanState, e: Task.CompletionRequested) -> Audit:
    return Audit({"request": e.request, "completed_on": e.completed_on.isoformat(),
                  "output_document": e.output_document},
                 {"state": ("open", "completion_pending")})


def _completion_accepted(state: PlanState, e: Task.CompletionAccepted) -> None:
    if (task := _task(state, e)) and (request := _completion(task, e.request)):
        request.state, request.decided_at = "accepted", e.timestamp
        request.decision_reason = e.note
        task.state, task.completed_on = "completed", request.completed_on
        task.output_document = request.output_document


def _completion_accepted_audit(state: PlanState, e: Task.CompletionAccepted) -> Audit:
    task = state.tasks.get(e.originator_id)
    request = _completion(task, e.request) if task else None
    on = request.completed_on.isoformat() if request else ""
    return Audit({"request": e.request, "completed_on": on},
                 {"state": ("completion_pending", "completed")})


def _completion_returned(state: PlanState, e: Task.CompletionReturned) -> None:
    if (task := _task(state, e)) and (request := _completion(task, e.request)):
        request.state, request.decided_at = "returned", e.timestamp
        request.decision_reason = e.reason
        task.state = "open"


def _completion_returned_audit(state: PlanState, e: Task.CompletionReturned) -> Audit:
    return Audit({"request": e.request},
                 {"state": ("completion_pending", "open")})


def _reopened(state: PlanState, e: Task.Reopened) -> None:
    if task := _task(state, e):
        task.state, task.completed_on, task.output_document = "open", None, ""


def _reopened_audit(state: PlanState, e: Task.Reopened) -> Audit:
    return Audit({}, {"state": ("completed", "open")})


def _completion_date_corrected(state: PlanState, e: Task.CompletionDateCorrected) -> None:
    if task := _task(state, e):
        task.completed_on = e.new


def _completion_date_corrected_audit(state: PlanState, e: Task.CompletionDateCorrected) -> Audit:
    old, new = e.old.isoformat(), e.new.isoformat()
    return Audit({"old": old, "new": new},
                 {"completed_on": (old, new)})


# -- extensions ----------------------------------------------------------------------------

def _extension_requested(state: PlanState, e: Task.ExtensionRequested) -> None:
    if task := _task(state, e):
        task.extensions.append(ExtensionRequestView(
            number=e.request, proposed=e.proposed, reason=e.reason,
            agency=e.provenance.on_behalf_of, recorded_at=e.timestamp, files=tuple(e.files),
        ))


def _extension_requested_audit(state: PlanState, e: Task.ExtensionRequested) -> Audit:
    return Audit({"request": e.request, "new": e.proposed.text})


def _extension_approved(state: PlanState, e: Task.ExtensionApproved) -> None:
    if task := _task(state, e):
        if request := _extension(task, e.request):
            request.state, request.decided_at = "approved", e.timestamp
            request.decision_ref, request.decision_reason = e.decision_ref, e.note
        task.deadline = e.new
        task.deadline_changes += 1
        if e.old.due and e.new.due:
            task.slip_days += (e.new.due - e.old.due).days


def _extension_approved_audit(state: PlanState, e: Task.ExtensionApproved) -> Audit:
    return Audit({"request": e.request, "old": e.old.text, "new": e.new.text},
                 {"deadline": (e.old.text, e.new.text)})


def _extension_refused(state: PlanState, e: Task.ExtensionRefused) -> None:
    if (task := _task(state, e)) and (request := _extension(task, e.request)):
        request.state, request.decided_at = "refused", e.timestamp
        request.decision_reason = e.reason


def _extension_refused_audit(state: PlanState, e: Task.ExtensionRefused) -> Audit:
    return Audit({"request": e.request})


# -- directions ----------------------------------------------------------------------------

def _direction_recorded(state: PlanState, e: Task.DirectionRecorded) -> None:
    if task := _task(state, e):
        task.directions.append(DirectionView(
            number=e.direction, text=e.text, due_on=e.due_on, actor=e.provenance.actor,
            recorded_at=e.timestamp,
        ))


def _direction_recorded_audit(state: PlanState, e: Task.DirectionRecorded) -> Audit:
    due = e.due_on.isoformat() if e.due_on else ""
    return Audit({"direction": e.direction, "text": e.text,
                                              "due_on": due})


def _direction_answered(state: PlanState, e: Task.DirectionAnswered) -> None:
    if task := _task(state, e):
        for direction in task.directions:
            if direction.number == e.direction:
                direction.answers.append(AnswerView(
                    text=e.text, agency=e.provenance.on_behalf_of, actor=e.provenance.actor,
                    recorded_at=e.timestamp, files=tuple(e.files),
                ))


def _direction_answered_audit(state: PlanState, e: Task.DirectionAnswered) -> Audit:
    return Audit({"direction": e.direction, "text": e.text})


SPECS: dict[type[Any], EventSpec] = {
    Task.CompletionRequested: EventSpec(
        TASK, _completion_requested, "audit.completion_requested", _completion_requested_audit),
    Task.CompletionAccepted: EventSpec(
        TASK, _completion_accepted, "audit.completion_accepted", _completion_accepted_audit,
        "completion_accepted"),
    Task.CompletionReturned: EventSpec(
        TASK, _completion_returned, "audit.completion_returned", _completion_returned_audit,
        "completion_returned"),
    Task.Reopened: EventSpec(TASK, _reopened, "audit.task_reopened", _reopened_audit, "reopened"),
    Task.CompletionDateCorrected: EventSpec(
        TASK, _completion_date_corrected, "audit.completion_date_corrected",
        _completion_date_corrected_audit, "completion_date_corrected"),
    Task.ExtensionRequested: EventSpec(
        TASK, _extension_requested, "audit.extension_requested", _extension_requested_audit,
        "extension_requested"),
    # An approved extension is a deadline change: inspectors find it under that type.
    Task.ExtensionApproved: EventSpec(
        TASK, _extension_approved, "audit.extension_approved", _extension_approved_audit,
        "deadline_changed"),
    Task.ExtensionRefused: EventSpec(
        TASK, _extension_refused, "audit.extension_refused", _extension_refused_audit,
        "extension_refused"),
    Task.DirectionRecorded: EventSpec(
        TASK, _direction_recorded, "audit.direction_recorded", _direction_recorded_audit,
        "direction_recorded"),
    Task.DirectionAnswered: EventSpec(
        TASK, _direction_answered, "audit.direction_answered", _direction_answered_audit,
        "direction_answered"),
}
