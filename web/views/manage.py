"""The standing body's side of a task: verify or return a report, change the deadline or the
wording, reassign the task. Each change carries its reason and deciding document."""

from __future__ import annotations

from flask import flash, request
from werkzeug.wrappers import Response

from domain.errors import NotFound
from domain.policy import Action
from domain.text import sort_key
from service.commands import (
    ChangeDeadline,
    ReassignTask,
    ReturnReport,
    RewordTask,
    VerifyReport,
)
from web.auth import require
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries
from web.views.common import plan_ref, requested_task, task_url
from web.views.forms_flow import chosen, context, day, required, run_form

routes = Routes()
REVIEW_FIELDS = ("decision", "note")
DEADLINE_FIELDS = ("deadline", "reason", "decision_ref", "effective_on")
REWORD_FIELDS = ("title", "expected_output", "reason", "decision_ref", "effective_on")
REASSIGN_FIELDS = ("leads", "coordinators", "reason", "decision_ref", "effective_on")


@routes.route("/t/<slug>/tasks/<number>/reports/<int:report>/review", Action.REPORT_REVIEW,
              ("GET", "POST"))
def review(slug: str, number: str, report: int) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    found = next((r for r in task.reports if r.number == report), None)
    if found is None:
        raise NotFound("task.no_report", field="report", number=task.number, report=report)
    viewer = require(Action.REPORT_REVIEW, slug)

    def record() -> str:
        decision, note = request.form.get("decision", ""), request.form.get("note", "")
        ctx = context(viewer)
        if decision == "verify":
            dispatch(slug, VerifyReport(task=task.number, plan=plan_number, report=report,
                                      note=note), ctx)
            flash(f"Đã xác nhận báo cáo số {report} của nhiệm vụ {task.number}.", "success")
        elif decision == "return":
            dispatch(slug, ReturnReport(task=task.number, plan=plan_number, report=report,
                                      reason=note), ctx)
            flash(f"Đã trả lại báo cáo số {report} của nhiệm vụ {task.number}.", "success")
        else:
            raise WebError("Hãy chọn xác nhận hoặc trả lại báo cáo.", field="decision")
        return task_url(slug, plan, task, "bao-cao")

    return run_form(slug, "web/review_form.html", REVIEW_FIELDS, record, {"reason": "note"},
                    task=task, report=found, plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/deadline", Action.TASK_MANAGE, ("GET", "POST"))
def deadline(slug: str, number: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)

    def record() -> str:
        form = request.form
        dispatch(slug, ChangeDeadline(
            task=task.number, plan=plan_number, deadline=form.get("deadline", ""),
            reason=form.get("reason", ""), decision_ref=form.get("decision_ref", ""),
        ), context(viewer, effective_field="effective_on"))
        flash(f"Đã điều chỉnh thời hạn của nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "dien-bien")

    checks = {"deadline": required("Hãy nhập thời hạn mới."),
              "reason": required("Điều chỉnh thời hạn cần ghi rõ lý do."),
              "effective_on": day()}
    return run_form(slug, "web/deadline_form.html", DEADLINE_FIELDS, record, checks=checks,
                    task=task,
                    plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/reword", Action.TASK_MANAGE, ("GET", "POST"))
def reword(slug: str, number: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)

    def record() -> str:
        form = request.form
        dispatch(slug, RewordTask(
            task=task.number, plan=plan_number, title=form.get("title", ""),
            expected_output=form.get("expected_output", ""), reason=form.get("reason", ""),
            decision_ref=form.get("decision_ref", ""),
        ), context(viewer, effective_field="effective_on"))
        flash(f"Đã sửa nội dung nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "dien-bien")

    checks = {"title": required("Hãy nhập nội dung nhiệm vụ."),
              "reason": required("Sửa nội dung nhiệm vụ cần ghi rõ lý do."),
              "effective_on": day()}
    return run_form(slug, "web/reword_form.html", REWORD_FIELDS, record, checks=checks,
                    task=task, plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/reassign", Action.TASK_MANAGE, ("GET", "POST"))
def reassign(slug: str, number: str) -> Response | tuple[str, int]:
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)
    agencies = sorted(plan.agencies.items(), key=lambda item: sort_key(item[1]))

    def record() -> str:
        names = dict(agencies)
        leads = [names[k] for k in request.form.getlist("leads") if k in names]
        coordinators = [names[k] for k in request.form.getlist("coordinators") if k in names]
        if not leads:
            raise WebError("Hãy chọn ít nhất một cơ quan chủ trì.", field="leads")
        form = request.form
        dispatch(slug, ReassignTask(
            task=task.number, plan=plan_number, leads=tuple(leads),
            coordinators=tuple(coordinators), reason=form.get("reason", ""),
            decision_ref=form.get("decision_ref", ""),
        ), context(viewer, effective_field="effective_on"))
        flash(f"Đã giao lại nhiệm vụ {task.number}.", "success")
        return task_url(slug, plan, task, "dien-bien")

    checks = {"leads": chosen("leads", "Hãy chọn ít nhất một cơ quan chủ trì."),
              "reason": required("Giao lại nhiệm vụ cần ghi rõ lý do."), "effective_on": day(),
              "confirm": required("Hãy đánh dấu xác nhận trước khi ghi nhận.")}
    return run_form(slug, "web/reassign_form.html", REASSIGN_FIELDS, record, checks=checks,
                    task=task,
                    agencies=agencies, plan_ref=plan_ref(plan, plan_number))
