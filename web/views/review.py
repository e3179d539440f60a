"""The review workflow in the web: a lead agency asks for completion or a later deadline, the
standing body accepts, returns, approves, refuses, reopens or corrects; directions are
recorded and answered; evidence files are uploaded with each and downloaded by the task's
readers."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request
from werkzeug.wrappers import Response

from domain.errors import DomainError
from domain.policy import Action, agencies_acting
from projections.plan_state import PlanState, TaskView
from service.commands import (
    AcceptCompletion,
    AnswerDirection,
    ApproveExtension,
    CorrectCompletionDate,
    RecordDirection,
    RefuseExtension,
    ReopenTask,
    RequestExtension,
    ReturnCompletion,
)
from service.downloads import attachment_headers
from web.auth import Viewer, require
from web.formatting import parse_day
from web.forms import submit_once
from web.messages import WebError, error_vi
from web.routes import Routes
from web.state import dispatch, queries, tenancy
from web.uploads import uploaded_files
from web.views.commands import acting_choices, chosen_agency, stopped_page, stopped_reporting
from web.views.common import concerned, leading, plan_ref, requested_task, task_url
from web.views.forms_flow import context, run_form, within
from web.views.tasks import render_task

routes = Routes()
EXTENSION_FIELDS = ("deadline", "reason", "files", "agency")
DECISION_FIELDS = ("note", "reason", "decision_ref", "request")
DIRECTION_FIELDS = ("text", "due_on")
ANSWER_FIELDS = ("text", "files", "agency")
CORRECTION_FIELDS = ("completed_on", "reason", "decision_ref", "effective_on")


def _task(slug: str, number: str, action: Action) -> tuple[PlanState, TaskView, str, Viewer]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    bound = action in (Action.TASK_REPORT,)
    viewer = require(action, slug, concerned(plan, task) if bound else None)
    return plan, task, plan_number, viewer


@routes.route("/t/<slug>/files/<sha256>", Action.READ_STATUS)
def download(slug: str, sha256: str) -> Response:
    """An evidence file of the tenant, as a download (never shown inline)."""
    require(Action.READ_STATUS, slug)
    store = tenancy().ledger(slug).files
    described = store.describe(sha256.lower())
    content = store.content(sha256.lower()) if described else None
    if described is None or content is None:
        abort(404)
    return Response(content, headers=attachment_headers(described))


@routes.route("/t/<slug>/tasks/<number>/extension", Action.TASK_REPORT, ("GET", "POST"))
def extension(slug: str, number: str) -> Response | tuple[str, int]:
    """A lead agency asks for a later deadline, with its reason and documents."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_REPORT)
    stopped = stopped_reporting(plan, task, viewer, slug)
    if stopped:
        return stopped_page(task, plan, plan_number, stopped)
    choices = [(k, n) for k, n in acting_choices(plan, task, viewer, slug)
               if k in leading(plan, task)]
    bound = agencies_acting(viewer.grants, Action.TASK_REPORT, slug,
                            concerned(plan, task)) is not None
    if bound and not choices:
        raise WebError("Chỉ cơ quan chủ trì được đề nghị gia hạn.", field="agency")

    def record() -> str:
        ctx = context(viewer, agency=chosen_agency(choices, bound, plan))
        dispatch(slug, RequestExtension(
            task=task.number, plan=plan_number, deadline=request.form.get("deadline", ""),
            reason=request.form.get("reason", ""), files=uploaded_files(slug)), ctx)
        flash(f"Đã gửi đề nghị gia hạn nhiệm vụ {task.number}; chờ cơ quan thường trực "
              "xem xét.", "success")
        return task_url(slug, plan, task, "xu-ly")

    checks = {"deadline": within("deadline"), "reason": within("reason"),
              "agency": lambda _: chosen_agency(choices, bound, plan)}
    return run_form(slug, "web/extension_form.html", EXTENSION_FIELDS, record, checks=checks,
                    task=task, choices=choices, bound=bound,
                    plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/completions/<int:request_number>", Action.REPORT_REVIEW,
              ("POST",))
def decide_completion(slug: str, number: str, request_number: int) -> Response:
    """The standing body accepts a requested completion or returns it with the reason."""
    plan, task, plan_number, viewer = _task(slug, number, Action.REPORT_REVIEW)
    accept = request.form.get("decision") == "accept"

    def record() -> str:
        if accept:
            dispatch(slug, AcceptCompletion(task=task.number, plan=plan_number,
                                            request=request_number,
                                            note=request.form.get("note", "")),
                     context(viewer))
            flash(f"Đã xác nhận hoàn thành nhiệm vụ {task.number}.", "success")
        else:
            dispatch(slug, ReturnCompletion(task=task.number, plan=plan_number,
                                            request=request_number,
                                            reason=request.form.get("note", "")),
                     context(viewer))
            flash(f"Đã trả lại đề nghị hoàn thành nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "xu-ly")

    return _inline(slug, plan, task, record)


@routes.route("/t/<slug>/tasks/<number>/extensions/<int:request_number>", Action.TASK_MANAGE,
              ("POST",))
def decide_extension(slug: str, number: str, request_number: int) -> Response:
    """The standing body approves an extension (citing its decision) or refuses it."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_MANAGE)
    approve = request.form.get("decision") == "approve"

    def record() -> str:
        if approve:
            dispatch(slug, ApproveExtension(
                task=task.number, plan=plan_number, request=request_number,
                decision_ref=request.form.get("decision_ref", ""),
                note=request.form.get("note", "")), context(viewer))
            flash(f"Đã chấp thuận gia hạn nhiệm vụ {task.number}.", "success")
        else:
            dispatch(slug, RefuseExtension(
                task=task.number, plan=plan_number, request=request_number,
                reason=request.form.get("note", "")), context(viewer))
            flash(f"Đã không chấp thuận gia hạn nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "xu-ly")

    return _inline(slug, plan, task, record)


@routes.route("/t/<slug>/tasks/<number>/directions", Action.TASK_MANAGE, ("POST",))
def direct(slug: str, number: str) -> Response | tuple[str, int]:
    """The standing body records a direction on the task."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_MANAGE)
    too_long = _too_long(slug, number, "direction", "direction-text")
    if too_long:
        return too_long

    def record() -> str:
        due_on = parse_day(request.form.get("due_on", ""), "due_on", required=False)
        dispatch(slug, RecordDirection(task=task.number, plan=plan_number,
                                       text=request.form.get("text", ""), due_on=due_on),
                 context(viewer))
        flash(f"Đã ghi ý kiến chỉ đạo đối với nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "chi-dao")

    return _inline(slug, plan, task, record)


@routes.route("/t/<slug>/tasks/<number>/directions/<int:direction>", Action.TASK_REPORT,
              ("POST",))
def answer(slug: str, number: str, direction: int) -> Response | tuple[str, int]:
    """An agency of the task answers a direction, with documents if any."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_REPORT)
    too_long = _too_long(slug, number, "answer", f"answer-{direction}")
    if too_long:
        return too_long
    choices = acting_choices(plan, task, viewer, slug)
    bound = agencies_acting(viewer.grants, Action.TASK_REPORT, slug,
                            concerned(plan, task)) is not None

    def record() -> str:
        ctx = context(viewer, agency=chosen_agency(choices, bound, plan))
        dispatch(slug, AnswerDirection(task=task.number, plan=plan_number, direction=direction,
                                       text=request.form.get("text", ""),
                                       files=uploaded_files(slug)), ctx)
        flash(f"Đã gửi ý kiến trả lời chỉ đạo số {direction}.", "success")
        return task_url(slug, plan, task, "chi-dao")

    return _inline(slug, plan, task, record)


@routes.route("/t/<slug>/tasks/<number>/reopen", Action.TASK_MANAGE, ("POST",))
def reopen(slug: str, number: str) -> Response:
    """The standing body reopens a completed task, with the reason and deciding document."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_MANAGE)

    def record() -> str:
        dispatch(slug, ReopenTask(task=task.number, plan=plan_number,
                                  reason=request.form.get("reason", ""),
                                  decision_ref=request.form.get("decision_ref", "")),
                 context(viewer))
        flash(f"Đã mở lại nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "xu-ly")

    return _inline(slug, plan, task, record)


@routes.route("/t/<slug>/tasks/<number>/completion-date", Action.TASK_MANAGE, ("POST",))
def correct_date(slug: str, number: str) -> Response:
    """The standing body corrects the date a completed task was done."""
    plan, task, plan_number, viewer = _task(slug, number, Action.TASK_MANAGE)

    def record() -> str:
        completed_on = parse_day(request.form.get("completed_on", ""), "completed_on")
        assert completed_on is not None
        dispatch(slug, CorrectCompletionDate(
            task=task.number, plan=plan_number, completed_on=completed_on,
            reason=request.form.get("reason", ""),
            decision_ref=request.form.get("decision_ref", "")), context(viewer))
        flash(f"Đã sửa ngày hoàn thành nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "xu-ly")

    return _inline(slug, plan, task, record)


def _too_long(slug: str, number: str, limit: str, field_id: str) -> tuple[str, int] | None:
    """The task's page again, the text sent kept in its field and refused beside it, when
    it is longer than the field takes (web/schemas.LIMITS[limit]); nothing is recorded."""
    try:
        within(limit)(request.form.get("text", ""))
    except WebError as error:
        return render_task(slug, number, {field_id: error_vi(error)}), 422
    return None


def _inline(slug: str, plan: PlanState, task: TaskView, record: Callable[[], str]) -> Response:
    """Forms inside the task page: a refusal comes back to the page as a message."""
    try:
        return submit_once(slug, record)
    except DomainError as error:
        flash(error_vi(error), "error")
        return redirect(task_url(slug, plan, task, "xu-ly"), 303)
