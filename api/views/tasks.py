"""Tasks: show one (its ETag is its version), its history, and every command on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api import scope
from api.commands import dispatch
from api.i18n import language
from api.operation import Concerns, Serialised, serialise
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.common import CommandResultSchema, PlanQuerySchema
from api.schemas.tasks import (
    REPORTS_SHOWN,
    AcceptCompletionSchema,
    AnswerBodySchema,
    ApproveExtensionSchema,
    CompleteSchema,
    CompletionDateSchema,
    DeadlineChangeSchema,
    Decided,
    DirectionBodySchema,
    ExpandCollectiveSchema,
    ExtensionRequestBodySchema,
    HistorySchema,
    ProgressReportSchema,
    ReassignSchema,
    ReopenSchema,
    ReportPageQuerySchema,
    ReportPageSchema,
    ResponsibilityQuerySchema,
    ResponsibilitySchema,
    ReturnSchema,
    RewordSchema,
    TaskDetailSchema,
    TriggerSchema,
    VerifySchema,
)
from api.services import clock, services
from domain.policy import Action
from projections.responsibility import Responsibility, involved
from service.audit_texts import entry_json
from service.commands import (
    AcceptCompletion,
    AnswerDirection,
    ApproveExtension,
    CancelTask,
    ChangeDeadline,
    CompleteTask,
    CorrectCompletionDate,
    ExpandCollective,
    ReassignTask,
    RecordDirection,
    RecordTrigger,
    RefuseExtension,
    ReopenTask,
    ReportProgress,
    RequestExtension,
    ResumeTask,
    ReturnCompletion,
    ReturnReport,
    RewordTask,
    SuspendTask,
    VerifyReport,
    build,
)
from service.handlers import Result

bp = ApiBlueprint("tasks", __name__, url_prefix=TENANT_PREFIX + "/tasks")
RESULT = CommandResultSchema()


def _version(result: Any) -> int:
    version: int = result.version if hasattr(result, "version") else result["version"]
    return version


TASK_ANSWER = TaskDetailSchema()


@bp.operation("/<number>", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=TASK_ANSWER, etag=_version)
def show_task(number: str, query: dict[str, Any]) -> Serialised:
    """Show a task: assignment, deadline, status today and its latest reports. ETag: its
    version."""
    reads, plan, today = scope.queries(), query.get("plan"), clock().today()
    # Kept by the read models' position (api/answers.py), with its ETag.
    key = ("task", reads.app.slug, reads.refresh(), number, plan, today)

    def answer() -> Serialised:
        detail = reads.task_detail(number, plan, today, latest=REPORTS_SHOWN)
        return Serialised(serialise(TASK_ANSWER, detail), (("ETag", f'"{detail.version}"'),))

    return services().answers.answer(key, answer)


@bp.operation("/<number>/reports", action=Action.READ_STATUS, query=ReportPageQuerySchema(),
              response=ReportPageSchema())
def task_reports(number: str, query: dict[str, Any]) -> dict[str, Any]:
    """A task's reports, a page at a time: the latest, or those numbered below `before`."""
    items, total = scope.queries().task_reports(number, query.get("plan"),
                                                query.get("before"), query["limit"])
    return {"items": items, "total": total}


@bp.operation("/<number>/responsible", action=Action.READ_STATUS,
              query=ResponsibilityQuerySchema(), response=ResponsibilitySchema())
def show_responsible(number: str, query: dict[str, Any]) -> Responsibility:
    """Who was responsible for the task on a date: each agency it names and who carried
    its part then, through the agencies' successions, mergers, dissolutions and aliases."""
    on = query.get("on") or clock().today()
    return scope.queries().responsibility(number, query.get("plan"), on,
                                          known_at=query.get("known_at"))


@bp.operation("/<number>/history", action=Action.READ_HISTORY, query=PlanQuerySchema(),
              response=HistorySchema())
def task_history(number: str, query: dict[str, Any]) -> dict[str, Any]:
    """A task's events in log order: who, when, why, on what document."""
    entries = scope.queries().history(number, query.get("plan"))
    return {"items": [entry_json(e, language()) for e in entries]}


def _involved(number: str, body: dict[str, Any], **_: Any) -> tuple[str, ...]:
    """The agencies leading or coordinating a task: the only ones whose reporters report it.
    Read from the read models (the plans, the agencies and this task's view), never by
    folding the task's history."""
    state, view = scope.queries().task_outline(number, body.get("plan"))
    if view is None:  # no such task: the ledger's refusal names it
        task = scope.ledger().task(number, body.get("plan"))
        return (*task.leads, *task.coordinators)
    # And, from the day an agency's duties passed on, its successors.
    return involved(state, view, clock().today())


def _task_command(rule: str, schema: Any, action: Action, status: int = 200,
                  concerns: Concerns | None = None) -> Callable[[View], View]:
    return bp.operation(f"/<number>/{rule}", "POST", action=action, status=status, body=schema,
                        response=RESULT, etag=_version, if_match=True, command=True,
                        concerns=concerns)


MANAGE, REVIEW, REPORT = Action.TASK_MANAGE, Action.REPORT_REVIEW, Action.TASK_REPORT


@_task_command("reassign", ReassignSchema(), MANAGE)
def reassign(number: str, body: dict[str, Any]) -> Result:
    """Change the lead and coordinating agencies."""
    return dispatch(build(ReassignTask, body, task=number), body)


@_task_command("expand", ExpandCollectiveSchema(), MANAGE)
def expand_collective(number: str, body: dict[str, Any]) -> Result:
    """Put a collective's member agencies in its place: each then leads (or coordinates)
    and reports on its own."""
    return dispatch(build(ExpandCollective, body, task=number), body)


@_task_command("deadline", DeadlineChangeSchema(), MANAGE)
def change_deadline(number: str, body: dict[str, Any]) -> Result:
    """Change the deadline, with its reason and deciding document."""
    return dispatch(build(ChangeDeadline, body, task=number), body)


@_task_command("reword", RewordSchema(), MANAGE)
def reword(number: str, body: dict[str, Any]) -> Result:
    """Word the task otherwise (its title, and its expected output), with the reason and the
    deciding document."""
    return dispatch(build(RewordTask, body, task=number), body)


@_task_command("trigger", TriggerSchema(), MANAGE)
def record_trigger(number: str, body: dict[str, Any]) -> Result:
    """Record that a conditional deadline's condition was met."""
    return dispatch(build(RecordTrigger, body, task=number), body)


@_task_command("reports", ProgressReportSchema(), REPORT, status=201, concerns=_involved)
def report_progress(number: str, body: dict[str, Any]) -> Result:
    """Report progress for a period; the answer carries the new report's number."""
    return dispatch(build(ReportProgress, body, task=number), body)


@_task_command("reports/<int:report>/verify", VerifySchema(), REVIEW)
def verify_report(number: str, report: int, body: dict[str, Any]) -> Result:
    """Verify a progress report."""
    return dispatch(build(VerifyReport, body, task=number, report=report), body)


@_task_command("reports/<int:report>/return", ReturnSchema(), REVIEW)
def return_report(number: str, report: int, body: dict[str, Any]) -> Result:
    """Return a progress report to its author, with the reason."""
    return dispatch(build(ReturnReport, body, task=number, report=report), body)


@_task_command("complete", CompleteSchema(), REPORT, concerns=_involved)
def complete(number: str, body: dict[str, Any]) -> Result:
    """Request completion (a lead agency), or record an accepted one (the standing body).

    A lead agency's request leaves the task pending ("chờ xác nhận") until the standing body
    accepts it; only then does it count. Only a lead agency may request completion."""
    return dispatch(build(CompleteTask, body, task=number), body)


@_task_command("completions/<int:request>/accept", AcceptCompletionSchema(), REVIEW)
def accept_completion(number: str, request: int, body: dict[str, Any]) -> Result:
    """Accept a requested completion: the task counts as done on the requested date."""
    return dispatch(build(AcceptCompletion, body, task=number, request=request), body)


@_task_command("completions/<int:request>/return", ReturnSchema(), REVIEW)
def return_completion(number: str, request: int, body: dict[str, Any]) -> Result:
    """Return a requested completion with the reason; the task is open again."""
    return dispatch(build(ReturnCompletion, body, task=number, request=request), body)


@_task_command("reopen", ReopenSchema(), MANAGE)
def reopen(number: str, body: dict[str, Any]) -> Result:
    """Reopen a completed task, with the reason and deciding document."""
    return dispatch(build(ReopenTask, body, task=number), body)


@_task_command("completion-date", CompletionDateSchema(), MANAGE)
def correct_completion_date(number: str, body: dict[str, Any]) -> Result:
    """Correct the date a completed task was done, with the reason."""
    return dispatch(build(CorrectCompletionDate, body, task=number), body)


@_task_command("extensions", ExtensionRequestBodySchema(), REPORT, status=201,
               concerns=_involved)
def request_extension(number: str, body: dict[str, Any]) -> Result:
    """A lead agency asks for a later deadline, with the reason."""
    return dispatch(build(RequestExtension, body, task=number), body)


@_task_command("extensions/<int:request>/approve", ApproveExtensionSchema(), MANAGE)
def approve_extension(number: str, request: int, body: dict[str, Any]) -> Result:
    """Approve an extension request: the deadline changes, citing the decision."""
    return dispatch(build(ApproveExtension, body, task=number, request=request), body)


@_task_command("extensions/<int:request>/refuse", ReturnSchema(), MANAGE)
def refuse_extension(number: str, request: int, body: dict[str, Any]) -> Result:
    """Refuse an extension request, with the reason."""
    return dispatch(build(RefuseExtension, body, task=number, request=request), body)


@_task_command("directions", DirectionBodySchema(), MANAGE, status=201)
def record_direction(number: str, body: dict[str, Any]) -> Result:
    """Record a direction ("ý kiến chỉ đạo") on the task, with an optional due date."""
    return dispatch(build(RecordDirection, body, task=number), body)


@_task_command("directions/<int:direction>/answers", AnswerBodySchema(), REPORT, status=201,
               concerns=_involved)
def answer_direction(number: str, direction: int, body: dict[str, Any]) -> Result:
    """An agency of the task answers a direction."""
    return dispatch(build(AnswerDirection, body, task=number, direction=direction), body)


@_task_command("cancel", Decided(), MANAGE)
def cancel(number: str, body: dict[str, Any]) -> Result:
    """Cancel the task."""
    return dispatch(build(CancelTask, body, task=number), body)


@_task_command("suspend", Decided(), MANAGE)
def suspend(number: str, body: dict[str, Any]) -> Result:
    """Suspend the task."""
    return dispatch(build(SuspendTask, body, task=number), body)


@_task_command("resume", Decided(), MANAGE)
def resume(number: str, body: dict[str, Any]) -> Result:
    """Resume a suspended task."""
    return dispatch(build(ResumeTask, body, task=number), body)
