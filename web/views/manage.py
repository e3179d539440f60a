"""The standing body's forms on one task: verify or return a report, change the deadline or
the wording, reassign the task, record that a conditional deadline's condition happened,
cancel, suspend or resume it. Each is a row of one table, shown and recorded by one
handler; a change carries its reason, deciding document and the day it takes effect."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import flash
from marshmallow import Schema
from werkzeug.wrappers import Response

from domain.errors import NotFound
from domain.policy import Action
from domain.text import sort_key
from projections.plan_state import PlanState, TaskView
from service.commands import (
    CancelTask,
    ChangeDeadline,
    Command,
    ReassignTask,
    RecordTrigger,
    ResumeTask,
    ReturnReport,
    RewordTask,
    SuspendTask,
    VerifyReport,
)
from web.auth import require
from web.messages import WebError
from web.routes import Routes
from web.schemas import (
    Confirmed,
    DeadlineForm,
    Decided,
    ReassignForm,
    ReviewForm,
    RewordForm,
    TriggerForm,
)
from web.state import dispatch, queries
from web.views.common import plan_ref, requested_task, task_url
from web.views.forms_flow import context, posted, run_form

routes = Routes()
TASK = "/t/<slug>/tasks/<number>/"


@dataclass(frozen=True)
class Sent:
    """A form the schema accepted, about one task of one plan."""

    task: TaskView
    plan: str  # the number of the task's plan, as commands name it
    fields: dict[str, Any]  # as the schema read them
    state: PlanState  # the plans and the agencies
    report: int | None = None


@dataclass(frozen=True)
class TaskForm:
    """One form on a task: its address, who may send it, what it accepts, the command it
    records and what it then says."""

    rule: str  # under the task's address
    template: str
    schema: Schema
    command: Callable[[Sent], Command]
    done: Callable[[Sent], str]  # the message once recorded
    access: Action = Action.TASK_MANAGE
    effective: str | None = "effective_on"  # the field naming the day the change takes effect
    aliases: Mapping[str, str] = field(default_factory=dict)  # the domain's field: the form's
    anchor: str = "dien-bien"  # the part of the task's page to return to
    # What the form page shows besides the task: a decision's title and button.
    title: str = ""
    button: str = ""
    danger: bool = False
    shows: Callable[[PlanState], dict[str, Any]] | None = None  # more of the plan the form lists

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.schema.fields)


def _review(sent: Sent) -> Command:
    note, report = sent.fields["note"], sent.report or 0
    if sent.fields["decision"] == "verify":
        return VerifyReport(task=sent.task.number, plan=sent.plan, report=report, note=note)
    return ReturnReport(task=sent.task.number, plan=sent.plan, report=report, reason=note)


def _reviewed(sent: Sent) -> str:
    done = "xác nhận" if sent.fields["decision"] == "verify" else "trả lại"
    return f"Đã {done} báo cáo số {sent.report} của nhiệm vụ {sent.task.number}."


def _agencies(state: PlanState) -> dict[str, Any]:
    return {"agencies": sorted(state.agencies.items(), key=lambda item: sort_key(item[1]))}


def _reassign(sent: Sent) -> Command:
    names = sent.state.agencies
    leads = [names[k] for k in sent.fields["leads"] if k in names]
    if not leads:
        raise WebError("Hãy chọn ít nhất một cơ quan chủ trì.", field="leads")
    return ReassignTask(
        task=sent.task.number, plan=sent.plan, leads=tuple(leads),
        coordinators=tuple(names[k] for k in sent.fields["coordinators"] if k in names),
        reason=sent.fields["reason"], decision_ref=sent.fields["decision_ref"])


def _decision(command: type[CancelTask | SuspendTask | ResumeTask]) -> Callable[[Sent], Command]:
    def make(sent: Sent) -> Command:
        return command(task=sent.task.number, plan=sent.plan, reason=sent.fields["reason"],
                       decision_ref=sent.fields["decision_ref"])
    return make


def _said(message: str) -> Callable[[Sent], str]:
    """A message naming the task: {n} is its number."""
    return lambda sent: message.format(n=sent.task.number)


FORMS: dict[str, TaskForm] = {
    "review": TaskForm(
        "reports/<int:report>/review", "web/review_form.html", ReviewForm(), _review,
        _reviewed, access=Action.REPORT_REVIEW, effective=None, aliases={"reason": "note"},
        anchor="bao-cao"),
    "deadline": TaskForm(
        "deadline", "web/deadline_form.html", DeadlineForm(),
        lambda sent: ChangeDeadline(
            task=sent.task.number, plan=sent.plan, deadline=sent.fields["deadline"],
            reason=sent.fields["reason"], decision_ref=sent.fields["decision_ref"]),
        _said("Đã điều chỉnh thời hạn của nhiệm vụ {n}.")),
    "reword": TaskForm(
        "reword", "web/reword_form.html", RewordForm(),
        lambda sent: RewordTask(
            task=sent.task.number, plan=sent.plan, title=sent.fields["title"],
            expected_output=sent.fields["expected_output"], reason=sent.fields["reason"],
            decision_ref=sent.fields["decision_ref"]),
        _said("Đã sửa nội dung nhiệm vụ {n}.")),
    "reassign": TaskForm(
        "reassign", "web/reassign_form.html", ReassignForm(), _reassign,
        _said("Đã giao lại nhiệm vụ {n}."), shows=_agencies),
    # The condition is met: a conditional deadline ("right after the centre issues ...")
    # becomes a due date.
    "trigger": TaskForm(
        "trigger", "web/trigger_form.html", TriggerForm(),
        lambda sent: RecordTrigger(task=sent.task.number, plan=sent.plan,
                                   triggered_on=sent.fields["triggered_on"],
                                   note=sent.fields["note"]),
        _said("Đã ghi nhận điều kiện thời hạn của nhiệm vụ {n} đã xảy ra."),
        effective="triggered_on"),
    "cancel": TaskForm(
        "cancel", "web/decide_form.html", Confirmed(), _decision(CancelTask),
        _said("Đã hủy nhiệm vụ {n}."), title="Hủy nhiệm vụ", button="Ghi nhận hủy nhiệm vụ",
        danger=True),
    "suspend": TaskForm(
        "suspend", "web/decide_form.html", Decided(), _decision(SuspendTask),
        _said("Đã tạm dừng nhiệm vụ {n}."), title="Tạm dừng nhiệm vụ",
        button="Ghi nhận tạm dừng"),
    "resume": TaskForm(
        "resume", "web/decide_form.html", Decided(), _decision(ResumeTask),
        _said("Đã cho tiếp tục thực hiện nhiệm vụ {n}."),
        title="Tiếp tục thực hiện nhiệm vụ", button="Ghi nhận tiếp tục thực hiện"),
}


def show_and_record(form: TaskForm, slug: str, number: str, report: int | None = None
                    ) -> Response | tuple[str, int]:
    """GET shows the form; POST checks it with its schema (each refusal beside its field),
    then records its command through the ledger once and returns to the task's page with
    what was done."""
    state = queries(slug).task_views(number, report)
    task, plan_number = requested_task(state, number)
    shown = None
    if report is not None:
        shown = next((r for r in task.reports if r.number == report), None)
        if shown is None:
            raise NotFound("task.no_report", field="report", number=task.number, report=report)
    viewer = require(form.access, slug)

    def record() -> str:
        sent = Sent(task, plan_number, form.schema.load(posted(form.schema)), state, report)
        dispatch(slug, form.command(sent), context(viewer, effective_field=form.effective))
        flash(form.done(sent), "success")
        return task_url(slug, state, task, form.anchor)

    return run_form(slug, form.template, form.fields, record, form.aliases,
                    checks=form.schema, task=task, report=shown, decision=form,
                    plan_ref=plan_ref(state, plan_number),
                    **(form.shows(state) if form.shows else {}))


def _view(form: TaskForm) -> Callable[..., Response | tuple[str, int]]:
    def view(slug: str, number: str, report: int | None = None
             ) -> Response | tuple[str, int]:
        return show_and_record(form, slug, number, report)
    return view


for _name, _form in FORMS.items():
    routes.route(TASK + _form.rule, _form.access, ("GET", "POST"), endpoint=_name)(
        _view(_form))
