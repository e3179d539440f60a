"""The standing body's decisions on a task's course: the condition a conditional deadline
waits for has happened, and cancelling, suspending or resuming the task. Each carries its
reason and deciding document, and the date it takes effect."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, request
from werkzeug.wrappers import Response

from domain.policy import Action
from service.commands import CancelTask, DecideTask, RecordTrigger, ResumeTask, SuspendTask
from web.auth import require
from web.formatting import parse_day
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries
from web.views.common import plan_ref, requested_task, task_url
from web.views.forms_flow import context, day, required, run_form

routes = Routes()
TRIGGER_FIELDS = ("triggered_on", "note")
DECIDE_FIELDS = ("reason", "decision_ref", "effective_on")


@dataclass(frozen=True)
class Decision:
    """What the form of one decision says, and the ledger command it records."""

    title: str
    button: str
    done: str  # the message once recorded; {n} is the task's number
    command: type[DecideTask]
    danger: bool = False


DECISIONS = {
    "cancel": Decision("Hủy nhiệm vụ", "Ghi nhận hủy nhiệm vụ", "Đã hủy nhiệm vụ {n}.",
                       CancelTask, danger=True),
    "suspend": Decision("Tạm dừng nhiệm vụ", "Ghi nhận tạm dừng",
                        "Đã tạm dừng nhiệm vụ {n}.", SuspendTask),
    "resume": Decision("Tiếp tục thực hiện nhiệm vụ", "Ghi nhận tiếp tục thực hiện",
                       "Đã cho tiếp tục thực hiện nhiệm vụ {n}.", ResumeTask),
}


@routes.route("/t/<slug>/tasks/<number>/trigger", Action.TASK_MANAGE, ("GET", "POST"))
def trigger(slug: str, number: str) -> Response | tuple[str, int]:
    """The condition is met: a conditional deadline ("right after the centre issues ...")
    becomes a due date."""
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)

    def record() -> str:
        triggered_on = parse_day(request.form.get("triggered_on", ""), "triggered_on")
        assert triggered_on is not None
        ctx = context(viewer, effective_field="triggered_on")
        dispatch(slug, RecordTrigger(task=task.number, plan=plan_number,
                                   triggered_on=triggered_on, note=request.form.get("note", "")),
               ctx)
        flash(f"Đã ghi nhận điều kiện thời hạn của nhiệm vụ {task.number} đã xảy ra.",
              "success")
        return task_url(slug, plan, task, "dien-bien")

    return run_form(slug, "web/trigger_form.html", TRIGGER_FIELDS, record, task=task,
                    plan_ref=plan_ref(plan, plan_number))


def _decide(slug: str, number: str, kind: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)
    decision = DECISIONS[kind]

    def record() -> str:
        form = request.form
        reason = form.get("reason", "")
        if not reason.strip():
            raise WebError("Hãy nêu lý do của quyết định.", field="reason")
        dispatch(slug, decision.command(task=task.number, plan=plan_number, reason=reason,
                                      decision_ref=form.get("decision_ref", "")),
               context(viewer, effective_field="effective_on"))
        flash(decision.done.format(n=task.number), "success")
        return task_url(slug, plan, task, "dien-bien")

    checks = {"reason": required("Hãy nêu lý do của quyết định."), "effective_on": day()}
    if decision.danger:
        checks["confirm"] = required("Hãy đánh dấu xác nhận trước khi ghi nhận.")
    return run_form(slug, "web/decide_form.html", DECIDE_FIELDS, record, checks=checks,
                    task=task,
                    decision=decision, plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/cancel", Action.TASK_MANAGE, ("GET", "POST"))
def cancel(slug: str, number: str) -> Response | tuple[str, int]:
    return _decide(slug, number, "cancel")


@routes.route("/t/<slug>/tasks/<number>/suspend", Action.TASK_MANAGE, ("GET", "POST"))
def suspend(slug: str, number: str) -> Response | tuple[str, int]:
    return _decide(slug, number, "suspend")


@routes.route("/t/<slug>/tasks/<number>/resume", Action.TASK_MANAGE, ("GET", "POST"))
def resume(slug: str, number: str) -> Response | tuple[str, int]:
    return _decide(slug, number, "resume")
