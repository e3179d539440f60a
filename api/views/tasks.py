"""Tasks: show one (its ETag is its version), its history, and every command on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from api import scope
from api.commands import context, precondition
from api.i18n import language
from api.operation import Concerns
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.common import CommandResultSchema, PlanQuerySchema
from api.schemas.tasks import (
    CompleteSchema,
    DeadlineChangeSchema,
    Decided,
    HistorySchema,
    ProgressReportSchema,
    ReassignSchema,
    ReturnSchema,
    TaskDetailSchema,
    TriggerSchema,
    VerifySchema,
)
from api.services import clock
from domain.errors import NotFound
from domain.policy import Action
from projections.plan_status import task_status
from service.audit_texts import entry_json
from service.ledger import CommandResult, Context, TenantLedger

bp = ApiBlueprint("tasks", __name__, url_prefix=TENANT_PREFIX + "/tasks")
RESULT = CommandResultSchema()


def _version(result: Any) -> int:
    version: int = result.version if hasattr(result, "version") else result["version"]
    return version


@bp.operation("/<number>", action=Action.READ_STATUS, query=PlanQuerySchema(),
              response=TaskDetailSchema(), etag=_version)
def show_task(number: str, query: dict[str, Any]) -> dict[str, Any]:
    """Show a task: assignment, deadline, status today and its reports. ETag: its version."""
    plan_id = scope.ledger().catalogue().resolve(query.get("plan"))
    state = scope.queries().state()
    for task in state.sorted_tasks():
        if task.number == number.strip().rstrip(".") and task.plan_id == plan_id:
            today = clock().today()
            return {**task_status(state, task, today).to_dict(),
                    "leads_text": task.leads_text, "coordinators_text": task.coordinators_text,
                    "reports": [asdict(r) for r in task.reports]}
    raise NotFound(f"No task {number}.", field="task")


@bp.operation("/<number>/history", action=Action.READ_HISTORY, query=PlanQuerySchema(),
              response=HistorySchema())
def task_history(number: str, query: dict[str, Any]) -> dict[str, Any]:
    """A task's events in log order: who, when, why, on what document."""
    entries = scope.queries().history(number, query.get("plan"))
    return {"items": [entry_json(e, language()) for e in entries]}


Command = Callable[[TenantLedger, Context], CommandResult]


def _run(number: str, body: dict[str, Any], command: Command) -> CommandResult:
    ledger = scope.ledger()
    with precondition(lambda: ledger.task(number, body.get("plan")).version):
        return command(ledger, context(body))


def _involved(number: str, body: dict[str, Any], **_: Any) -> tuple[str, ...]:
    """The agencies leading or coordinating a task: the only ones whose reporters report it."""
    task = scope.ledger().task(number, body.get("plan"))
    return (*task.leads, *task.coordinators)


def _task_command(rule: str, schema: Any, action: Action, status: int = 200,
                  concerns: Concerns | None = None) -> Callable[[View], View]:
    return bp.operation(f"/<number>/{rule}", "POST", action=action, status=status, body=schema,
                        response=RESULT, etag=_version, if_match=True, command=True,
                        concerns=concerns)


MANAGE, REVIEW, REPORT = Action.TASK_MANAGE, Action.REPORT_REVIEW, Action.TASK_REPORT


@_task_command("reassign", ReassignSchema(), MANAGE)
def reassign(number: str, body: dict[str, Any]) -> CommandResult:
    """Change the lead and coordinating agencies."""
    return _run(number, body, lambda ledger, ctx: ledger.reassign_task(
        number, body["leads"], body["coordinators"], body["reason"], body["decision_ref"], ctx,
        body.get("plan")))


@_task_command("deadline", DeadlineChangeSchema(), MANAGE)
def change_deadline(number: str, body: dict[str, Any]) -> CommandResult:
    """Change the deadline, with its reason and deciding document."""
    return _run(number, body, lambda ledger, ctx: ledger.change_deadline(
        number, body["deadline"], body["reason"], body["decision_ref"], ctx, body.get("plan")))


@_task_command("trigger", TriggerSchema(), MANAGE)
def record_trigger(number: str, body: dict[str, Any]) -> CommandResult:
    """Record that a conditional deadline's condition was met."""
    return _run(number, body, lambda ledger, ctx: ledger.record_trigger(
        number, body["triggered_on"], body["note"], ctx, body.get("plan")))


@_task_command("reports", ProgressReportSchema(), REPORT, status=201, concerns=_involved)
def report_progress(number: str, body: dict[str, Any]) -> CommandResult:
    """Report progress for a period; the answer carries the new report's number."""
    return _run(number, body, lambda ledger, ctx: ledger.report_progress(
        number, body["period"], body["percent"], body["narrative"], ctx,
        difficulties=body["difficulties"], proposals=body["proposals"],
        evidence=body["evidence"], plan=body.get("plan")))


@_task_command("reports/<int:report>/verify", VerifySchema(), REVIEW)
def verify_report(number: str, report: int, body: dict[str, Any]) -> CommandResult:
    """Verify a progress report."""
    return _run(number, body, lambda ledger, ctx: ledger.verify_report(
        number, report, body["note"], ctx, body.get("plan")))


@_task_command("reports/<int:report>/return", ReturnSchema(), REVIEW)
def return_report(number: str, report: int, body: dict[str, Any]) -> CommandResult:
    """Return a progress report to its author, with the reason."""
    return _run(number, body, lambda ledger, ctx: ledger.return_report(
        number, report, body["reason"], ctx, body.get("plan")))


@_task_command("complete", CompleteSchema(), REPORT, concerns=_involved)
def complete(number: str, body: dict[str, Any]) -> CommandResult:
    """Record completion with the output document."""
    return _run(number, body, lambda ledger, ctx: ledger.complete_task(
        number, body["output_document"], body["completed_on"], ctx, body.get("plan")))


@_task_command("cancel", Decided(), MANAGE)
def cancel(number: str, body: dict[str, Any]) -> CommandResult:
    """Cancel the task."""
    return _run(number, body, lambda ledger, ctx: ledger.cancel_task(
        number, body["reason"], body["decision_ref"], ctx, body.get("plan")))


@_task_command("suspend", Decided(), MANAGE)
def suspend(number: str, body: dict[str, Any]) -> CommandResult:
    """Suspend the task."""
    return _run(number, body, lambda ledger, ctx: ledger.suspend_task(
        number, body["reason"], body["decision_ref"], ctx, body.get("plan")))


@_task_command("resume", Decided(), MANAGE)
def resume(number: str, body: dict[str, Any]) -> CommandResult:
    """Resume a suspended task."""
    return _run(number, body, lambda ledger, ctx: ledger.resume_task(
        number, body["reason"], body["decision_ref"], ctx, body.get("plan")))
