"""Typing a plan in by hand, for plans with no table to import (a Party committee's plan
that assigns its tasks in numbered paragraphs): the plan's header first, then its groups,
tasks and indicators one form at a time, each read by the rules of an import. Agencies are
chosen from the register or typed as the plan writes them."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.catalogue import resolve_plan
from domain.indicator import Indicator
from domain.policy import Action
from domain.text import ascii_digits, sort_key
from projections.plan_state import PlanState, PlanView
from service.commands import (
    AddGroup,
    AddIndicator,
    AddTask,
    CommandResult,
    Context,
    CreatePlan,
)
from web.auth import require
from web.formatting import parse_day
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries
from web.views.common import plan_arg
from web.views.forms_flow import Check, day, required, run_form

routes = Routes()
PLAN_FIELDS = ("number", "title", "issued_on", "issuer", "place", "signer_title", "signer",
               "legal_basis")
GROUP_FIELDS = ("code", "title")
TASK_FIELDS = ("group", "number", "title", "leads", "coordinators", "expected_output",
               "deadline")
INDICATOR_FIELDS = ("code", "name", "unit", "target", "responsible", "horizon_year")
# An agency list is chosen from the register (`<name>`) and typed (`<name>_typed`).
AGENCY_LISTS = ("leads", "coordinators", "responsible")


@routes.route("/t/<slug>/plans/new", Action.PLAN_IMPORT, ("GET", "POST"))
def new_plan(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    number = ""

    def record() -> str:
        nonlocal number
        form = request.form
        result = dispatch(slug, CreatePlan(
            number=form.get("number", ""), title=form.get("title", ""),
            issued_on=parse_day(form.get("issued_on", ""), "issued_on", required=False),
            issuer=form.get("issuer", ""), place=form.get("place", ""),
            signer=form.get("signer", ""), signer_title=form.get("signer_title", ""),
            legal_basis=tuple(line for line in form.get("legal_basis", "").splitlines()),
        ), Context(viewer.name))
        assert isinstance(result, CommandResult)
        number = result.detail["number"]
        flash(f"Đã tạo kế hoạch {number}. Hãy thêm các nhóm, nhiệm vụ và chỉ tiêu.", "success")
        return url_for("web.plan_editor", slug=slug, plan=number)

    checks: dict[str, Check] = {"number": required("Hãy nhập số hiệu kế hoạch."),
                                "issued_on": day()}
    plans = sorted(queries(slug).state().plans.values(), key=lambda p: sort_key(p.number))
    return run_form(slug, "web/plan_new.html", PLAN_FIELDS, record, checks=checks,
                    plans=plans)


def _plan(slug: str) -> tuple[PlanState, PlanView]:
    state = queries(slug).state()
    plan_id = resolve_plan({p.number: p.id for p in state.plans.values()}, plan_arg())
    return state, state.plans[plan_id]


def _outline(state: PlanState, plan: PlanView) -> dict[str, Any]:
    """What the plan holds so far, as the editor lists it."""
    tasks = sorted((t for t in state.tasks.values() if t.plan_id == plan.id),
                   key=lambda t: (list(plan.groups).index(t.group_code)
                                  if t.group_code in plan.groups else len(plan.groups),
                                  sort_key(t.number)))
    indicators = sorted((i for i in state.indicators.values()
                         if Indicator.create_id(plan.id, i.code) == i.id),
                        key=lambda i: sort_key(i.code))
    return {"plan": plan, "tasks": tasks, "indicators": indicators,
            "names": lambda keys: [state.agency_name(key) for key in keys]}


@routes.route("/t/<slug>/plans/edit", Action.PLAN_IMPORT)
def plan_editor(slug: str) -> str:
    require(Action.PLAN_IMPORT, slug)
    state, plan = _plan(slug)
    return render_template("web/plan_editor.html", **_outline(state, plan))


def _agencies(name: str, register: dict[str, str]) -> str:
    """The agencies of a list as the plan would write them: the ones chosen from the
    register, then the ones typed, separated by ';' (which always starts another name)."""
    chosen = [register[key] for key in request.form.getlist(name) if key in register]
    typed = request.form.get(f"{name}_typed", "").strip()
    return "; ".join([*chosen, *([typed] if typed else [])])


def _entry_form(slug: str, kind: str, fields: tuple[str, ...], record: Any,
                checks: dict[str, Check]) -> Response | tuple[str, int]:
    state, plan = _plan(slug)
    register = sorted(state.agencies.items(), key=lambda item: sort_key(item[1]))
    return run_form(slug, "web/plan_entry_form.html", fields, record, checks=checks,
                    kind=kind, register=register, **_outline(state, plan))


def _next(slug: str, plan: str, kind: str) -> str:
    return url_for(f"web.add_{kind}_form", slug=slug, plan=plan) + "#them"


@routes.route("/t/<slug>/plans/edit/group", Action.PLAN_IMPORT, ("GET", "POST"))
def add_group_form(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    _, plan = _plan(slug)

    def record() -> str:
        form = request.form
        dispatch(slug, AddGroup(plan=plan.number, code=form.get("code", ""),
                                title=form.get("title", "")), Context(viewer.name))
        flash(f"Đã thêm nhóm {form.get('code', '').strip()}.", "success")
        return _next(slug, plan.number, "group")

    return _entry_form(slug, "group", GROUP_FIELDS, record, {
        "code": required("Hãy nhập số thứ tự của nhóm (I, II, ...)."),
        "title": required("Hãy nhập tên nhóm.")})


@routes.route("/t/<slug>/plans/edit/task", Action.PLAN_IMPORT, ("GET", "POST"))
def add_task_form(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    state, plan = _plan(slug)

    def record() -> str:
        form = request.form
        result = dispatch(slug, AddTask(
            plan=plan.number, group=form.get("group", ""), number=form.get("number", ""),
            title=form.get("title", ""), leads=_agencies("leads", state.agencies),
            coordinators=_agencies("coordinators", state.agencies),
            expected_output=form.get("expected_output", ""), deadline=form.get("deadline", ""),
        ), Context(viewer.name))
        assert isinstance(result, CommandResult)
        _flash_task(result.detail)
        return _next(slug, plan.number, "task")

    return _entry_form(slug, "task", TASK_FIELDS, record, {
        "number": required("Hãy nhập số thứ tự của nhiệm vụ."),
        "title": required("Hãy nhập tên nhiệm vụ."),
        "leads": _some_agency("leads", "Hãy chọn hoặc nhập ít nhất một cơ quan chủ trì.")})


def _some_agency(name: str, message: str) -> Check:
    def check(_: str) -> None:
        if not request.form.getlist(name) and not request.form.get(f"{name}_typed", "").strip():
            raise WebError(message)
    return check


def _flash_task(detail: dict[str, Any]) -> None:
    deadline = detail["deadline"]
    flash(f"Đã thêm nhiệm vụ {detail['number']} (nhóm {detail['group']}).", "success")
    if deadline["kind"] == "unparsed" and deadline["text"]:
        flash(f"Chưa hiểu thời hạn '{deadline['text']}': đã giữ nguyên văn (như khi nhập "
              "từ tệp); hãy kiểm tra lại nếu đây là một ngày, tháng, quý hoặc năm.", "info")
    if detail["new_agencies"]:
        flash("Đã thêm vào danh mục cơ quan: " + "; ".join(detail["new_agencies"]) + ".",
              "info")


@routes.route("/t/<slug>/plans/edit/indicator", Action.PLAN_IMPORT, ("GET", "POST"))
def add_indicator_form(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    state, plan = _plan(slug)

    def record() -> str:
        form = request.form
        result = dispatch(slug, AddIndicator(
            plan=plan.number, code=form.get("code", ""), name=form.get("name", ""),
            unit=form.get("unit", ""), target=form.get("target", ""),
            responsible=_agencies("responsible", state.agencies),
            horizon_year=_year(form.get("horizon_year", "")),
        ), Context(viewer.name))
        assert isinstance(result, CommandResult)
        flash(f"Đã thêm chỉ tiêu {result.detail['code']}"
              f"{' (nhóm chỉ tiêu)' if result.detail['heading'] else ''}.", "success")
        return _next(slug, plan.number, "indicator")

    return _entry_form(slug, "indicator", INDICATOR_FIELDS, record, {
        "code": required("Hãy nhập số thứ tự của chỉ tiêu."),
        "name": required("Hãy nhập tên chỉ tiêu."), "horizon_year": _year})


def _year(text: str) -> int | None:
    text = ascii_digits(text).strip()
    if not text:
        return None
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise WebError("Năm mục tiêu là một năm từ 2000 đến 2100, ví dụ 2030.",
                       field="horizon_year")
    return int(text)
