"""The task's events: how each folds into the plan state, its audit entry, its change type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from domain.deadlines import Deadline
from domain.task import Task
from projections import codec, plan_state
from projections.plan_state import (
    CompletionRequestView,
    DirectionView,
    ExtensionRequestView,
    PlanState,
    ReportView,
    TaskOrigin,
    TaskView,
)
from projections.specs.base import Audit, EventSpec, Subject, names


def _task_subject(state: PlanState, e: Any) -> tuple[str, tuple[str, ...]]:
    task = state.tasks.get(e.originator_id)
    number = task.number if task else getattr(e, "number", "?")
    return f"task {number}", _agencies(task.leads if task else (),
                                       task.coordinators if task else (),
                                       tuple(getattr(e, "leads", ())),
                                       tuple(getattr(e, "coordinators", ())))


@lru_cache(maxsize=4096)
def _agencies(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of the agencies in the groups, each once, in order (the same few
    assignments recur in every event of a task)."""
    return tuple(sorted({key for group in groups for key in group}))


TASK = Subject(plan_state.TASK, _task_subject)


def _task(state: PlanState, e: Any) -> TaskView | None:
    """The task an event is about, brought to the event's version."""
    task = state.tasks.get(e.originator_id)
    if task is not None:
        task.version = e.originator_version
    return task


def _joined(state: PlanState, keys: Any) -> str:
    return "; ".join(names(state, keys)) or "-"


# -- Added ---------------------------------------------------------------------------------

def _added(state: PlanState, e: Task.Added) -> None:
    state.tasks[e.originator_id] = TaskView(
        id=e.originator_id, plan_id=e.plan_id, group_code=e.group_code, number=e.number,
        title=e.title, leads=tuple(e.leads), coordinators=tuple(e.coordinators),
        leads_text=e.leads_text, coordinators_text=e.coordinators_text,
        expected_output=e.expected_output, deadline=e.deadline, original_deadline=e.deadline,
        extra=dict(e.extra), added_at=e.timestamp,
    )


def _added_audit(state: PlanState, e: Task.Added) -> Audit:
    return Audit({"number": e.number, "leads": names(state, e.leads),
                  "deadline": e.deadline.text})


# -- Carried (from a merged tenant) ---------------------------------------------------------

_CARRIED_VIEWS = {"reports": list[ReportView], "completions": list[CompletionRequestView],
                  "extensions": list[ExtensionRequestView],
                  "directions": list[DirectionView]}


def _carried(state: PlanState, e: Task.Carried) -> None:
    _added(state, e)
    task = state.tasks[e.originator_id]
    held = e.carried
    for name, hint in _CARRIED_VIEWS.items():
        setattr(task, name, codec.decode_value(hint, held.get(name, [])))
    task.state = str(held.get("state", "open"))
    task.original_deadline = Deadline.from_dict(held["original_deadline"])
    task.deadline_changes = int(held.get("deadline_changes", 0))
    task.slip_days = int(held.get("slip_days", 0))
    task.completed_on = codec.decode_value(date | None, held.get("completed_on"))
    task.output_document = str(held.get("output_document", ""))
    task.triggered_on = codec.decode_value(date | None, held.get("triggered_on"))
    task.origin = TaskOrigin(
        tenant=e.origin["tenant"], tenant_name=e.origin["tenant_name"],
        plan=e.origin["plan"], number=e.origin["number"],
        merged_on=e.provenance.effective_on)


def _carried_audit(state: PlanState, e: Task.Carried) -> Audit:
    return Audit({"number": e.number, "tenant": e.origin["tenant_name"],
                  "old_number": e.origin["number"]})


# -- Reassigned ----------------------------------------------------------------------------

def _reassigned(state: PlanState, e: Task.Reassigned) -> None:
    if task := _task(state, e):
        task.leads, task.coordinators = tuple(e.leads), tuple(e.coordinators)


def _reassigned_audit(state: PlanState, e: Task.Reassigned) -> Audit:
    return Audit({"leads": names(state, e.leads)}, {
        "leads": (_joined(state, e.old_leads), _joined(state, e.leads)),
        "coordinators": (_joined(state, e.old_coordinators), _joined(state, e.coordinators)),
    })


# -- Reworded ------------------------------------------------------------------------------

def _reworded(state: PlanState, e: Task.Reworded) -> None:
    if task := _task(state, e):
        task.title, task.expected_output = e.title, e.expected_output


def _reworded_audit(state: PlanState, e: Task.Reworded) -> Audit:
    changes = {"title": (e.old_title, e.title)} if e.old_title != e.title else {}
    if e.old_expected_output != e.expected_output:
        changes["expected_output"] = (e.old_expected_output, e.expected_output)
    return Audit({"title": e.title}, changes)


# -- GroupChanged --------------------------------------------------------------------------

def _group_changed(state: PlanState, e: Task.GroupChanged) -> None:
    if task := _task(state, e):
        task.group_code = e.group_code


def _group_changed_audit(state: PlanState, e: Task.GroupChanged) -> Audit:
    return Audit({"old": e.old_group_code, "group": e.group_code},
                 {"group": (e.old_group_code, e.group_code)})


# -- DeadlineChanged -----------------------------------------------------------------------

def _deadline_changed(state: PlanState, e: Task.DeadlineChanged) -> None:
    if task := _task(state, e):
        task.deadline = e.new
        task.deadline_changes += 1
        if e.old.due and e.new.due:
            task.slip_days += (e.new.due - e.old.due).days


def _deadline_changed_audit(state: PlanState, e: Task.DeadlineChanged) -> Audit:
    return Audit({"old": e.old.text, "new": e.new.text},
                 {"deadline": (e.old.text, e.new.text)})


# -- TriggerRecorded -----------------------------------------------------------------------

def _trigger_recorded(state: PlanState, e: Task.TriggerRecorded) -> None:
    if task := _task(state, e):
        task.deadline, task.triggered_on = e.deadline, e.triggered_on


def _trigger_recorded_audit(state: PlanState, e: Task.TriggerRecorded) -> Audit:
    due = e.deadline.due
    on, due_on = e.triggered_on.isoformat(), due.isoformat() if due else ""
    return Audit({"triggered_on": on, "due": due_on},
                 {"deadline": ("", due_on)})


# -- ProgressReported ----------------------------------------------------------------------

def _progress_reported(state: PlanState, e: Task.ProgressReported) -> None:
    if task := _task(state, e):
        task.reports.append(ReportView(
            number=e.report, period=e.period, percent=e.percent, narrative=e.narrative,
            difficulties=e.difficulties, proposals=e.proposals, evidence=tuple(e.evidence),
            agency=e.provenance.on_behalf_of, recorded_at=e.timestamp,
            effective_on=e.provenance.effective_on, files=tuple(e.files),
        ))


def _progress_reported_audit(state: PlanState, e: Task.ProgressReported) -> Audit:
    return Audit({"report": e.report, "period": e.period, "percent": e.percent},
                 {"percent": ("", str(e.percent))})


def _reports_the_period_again(state: PlanState, e: Task.ProgressReported) -> bool:
    """A second report for the same period is a correction."""
    task = state.tasks.get(e.originator_id)
    if task is not None:
        period = e.period
        for report in reversed(task.reports):  # the latest first: a period mostly recurs soon
            if report.period == period:
                return True
    return False


# -- ReportVerified, ReportReturned --------------------------------------------------------

def _decided_report(task: TaskView, number: int) -> ReportView | None:
    """The report a decision is about. A task numbers its reports 1, 2, ... in the order it
    receives them, and the one decided is mostly among the latest: looked for from the end,
    a history of many reports is not scanned whole at each decision."""
    for report in reversed(task.reports):
        if report.number == number:
            return report
    return None


def _set_report_state(state: PlanState, e: Any, value: str) -> ReportView | None:
    if (task := _task(state, e)) and (report := _decided_report(task, e.report)):
        report.state = value
        return report
    return None


def _report_verified(state: PlanState, e: Task.ReportVerified) -> None:
    _set_report_state(state, e, "verified")


def _report_verified_audit(state: PlanState, e: Task.ReportVerified) -> Audit:
    return Audit({"report": e.report},
                 {"report": ("submitted", "verified")})


def _report_returned(state: PlanState, e: Task.ReportReturned) -> None:
    if report := _set_report_state(state, e, "returned"):
        report.decision_reason = e.reason


def _report_returned_audit(state: PlanState, e: Task.ReportReturned) -> Audit:
    return Audit({"report": e.report},
                 {"report": ("submitted", "returned")})


# -- Completed, Cancelled, Suspended, Resumed ----------------------------------------------

def _completed(state: PlanState, e: Task.Completed) -> None:
    if task := _task(state, e):
        task.state, task.completed_on = "completed", e.completed_on
        task.output_document = e.output_document


def _completed_audit(state: PlanState, e: Task.Completed) -> Audit:
    return Audit({"completed_on": e.completed_on.isoformat(),
                  "output_document": e.output_document},
                 {"state": ("open", "completed")})


def _set_task_state(state: PlanState, e: Any, value: str) -> None:
    if task := _task(state, e):
        task.state = value


def _cancelled(state: PlanState, e: Task.Cancelled) -> None:
    _set_task_state(state, e, "cancelled")


def _suspended(state: PlanState, e: Task.Suspended) -> None:
    _set_task_state(state, e, "suspended")


def _resumed(state: PlanState, e: Task.Resumed) -> None:
    _set_task_state(state, e, "open")


def _state_changed_to(new: str) -> Callable[[PlanState, Any], Audit]:
    def audit(state: PlanState, e: Any) -> Audit:
        return Audit({}, {"state": ("", new)})

    return audit


SPECS: dict[type[Any], EventSpec] = {
    Task.Added: EventSpec(TASK, _added, "audit.task_added", _added_audit),
    # A task an amending document adds is a change inspectors follow, as a cancelled one is.
    Task.AddedByAmendment: EventSpec(TASK, _added, "audit.task_added", _added_audit,
                                     "task_added"),
    Task.Carried: EventSpec(TASK, _carried, "audit.task_carried", _carried_audit),
    Task.Reassigned: EventSpec(TASK, _reassigned, "audit.task_reassigned", _reassigned_audit,
                               "reassigned"),
    Task.Reworded: EventSpec(TASK, _reworded, "audit.task_reworded", _reworded_audit,
                             "reworded"),
    Task.GroupChanged: EventSpec(TASK, _group_changed, "audit.task_group_changed",
                                 _group_changed_audit, "group_changed"),
    Task.DeadlineChanged: EventSpec(TASK, _deadline_changed, "audit.deadline_changed",
                                    _deadline_changed_audit, "deadline_changed"),
    Task.TriggerRecorded: EventSpec(TASK, _trigger_recorded, "audit.trigger_recorded",
                                    _trigger_recorded_audit, "trigger_recorded"),
    Task.ProgressReported: EventSpec(TASK, _progress_reported, "audit.progress_reported",
                                     _progress_reported_audit, "report_corrected",
                                     _reports_the_period_again),
    Task.ReportVerified: EventSpec(TASK, _report_verified, "audit.report_verified",
                                   _report_verified_audit),
    Task.ReportReturned: EventSpec(TASK, _report_returned, "audit.report_returned",
                                   _report_returned_audit, "report_returned"),
    Task.Completed: EventSpec(TASK, _completed, "audit.task_completed", _completed_audit),
    Task.Cancelled: EventSpec(TASK, _cancelled, "audit.task_cancelled",
                              _state_changed_to("cancelled"), "cancelled"),
    Task.Suspended: EventSpec(TASK, _suspended, "audit.task_suspended",
                              _state_changed_to("suspended"), "suspended"),
    Task.Resumed: EventSpec(TASK, _resumed, "audit.task_resumed", _state_changed_to("open"),
                            "resumed"),
}
