"""The agency register: every agency with how it stands, and the standing body's forms for
its lifecycle (succession, merger, dissolution, another name of an agency) and for
collectives (mark one, or put its member agencies in its place on a task)."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import NotFound
from domain.policy import Action
from domain.text import sort_key
from projections.details import AgencyEntry
from projections.plan_state import PlanState
from service.commands import (
    Command,
    Context,
    DissolveAgency,
    ExpandCollective,
    MarkCollective,
    MergeAgencies,
    MergeAlias,
    SucceedAgency,
)
from web.auth import require
from web.formatting import parse_day
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries, state
from web.views.common import plan_ref, requested_task, task_url
from web.views.forms_flow import Check, chosen, day, lines, required, run_form

routes = Routes()
ENDED_VI = {"succession": "Được kế nhiệm bởi", "merger": "Hợp nhất vào",
            "dissolution": "Giải thể", "alias": "Là tên gọi khác của"}
LIFECYCLE_FIELDS = ("successors", "agencies", "into", "reason", "decision_ref", "effective_on")


def _entries(slug: str) -> list[AgencyEntry]:
    return sorted(queries(slug).agencies(), key=lambda a: sort_key(a.name))


def _entry(slug: str, key: str) -> AgencyEntry:
    found = next((a for a in queries(slug).agencies() if a.key == key), None)
    if found is None:
        raise NotFound("agency.not_found", field="agency", agency=key)
    return found


def _ctx(actor: str, effective_field: str | None = "effective_on") -> Context:
    """Who records the change and the date it takes effect (the form's, when it has one)."""
    effective = (parse_day(request.form.get(effective_field, ""), effective_field,
                           required=False) if effective_field else None)
    return Context(actor, effective_on=effective)


def _register_url(slug: str) -> str:
    return url_for("web.agency_register", slug=slug)


@routes.route("/t/<slug>/agencies", Action.READ_STATUS)
def agency_register(slug: str) -> str:
    return render_template("web/agencies.html", agencies=_entries(slug), ended_vi=ENDED_VI)


def _lifecycle_form(slug: str, key: str, kind: str) -> Response | tuple[str, int]:
    viewer = require(Action.AGENCY_MANAGE, slug)
    agency = _entry(slug, key)
    others = [(a.key, a.name) for a in _entries(slug) if a.key != key and not a.ended]

    def record() -> str:
        form = request.form
        command: Command
        if kind == "succession":
            command = SucceedAgency(agency=key, successors=tuple(lines("successors")),
                                    reason=form.get("reason", ""),
                                    decision_ref=form.get("decision_ref", ""))
            done = f"Đã ghi nhận việc kế nhiệm {agency.name}."
        elif kind == "merger":
            names = dict(others)
            merged = (key, *(k for k in form.getlist("agencies") if k in names))
            command = MergeAgencies(agencies=merged, into=form.get("into", ""),
                                    reason=form.get("reason", ""),
                                    decision_ref=form.get("decision_ref", ""))
            done = f"Đã ghi nhận việc hợp nhất {agency.name}."
        else:
            command = DissolveAgency(agency=key, reason=form.get("reason", ""),
                                     decision_ref=form.get("decision_ref", ""))
            done = f"Đã ghi nhận việc giải thể {agency.name}."
        dispatch(slug, command, _ctx(viewer.name))
        flash(done, "success")
        return _register_url(slug)

    checks: dict[str, Check] = {
        "reason": required("Hãy ghi rõ lý do."), "effective_on": day(needed=True),
        "confirm": required("Hãy đánh dấu xác nhận trước khi ghi nhận.")}
    if kind == "succession":
        checks["successors"] = required("Hãy nhập ít nhất một cơ quan kế nhiệm.")
    if kind == "merger":
        checks["agencies"] = chosen("agencies", "Hãy chọn ít nhất một cơ quan cùng hợp nhất.")
        checks["into"] = required("Hãy nhập tên cơ quan sau hợp nhất.")
    return run_form(slug, "web/agency_form.html", (*LIFECYCLE_FIELDS, "confirm"), record,
                    {"agency": "successors"}, checks=checks,
                    agency=agency, kind=kind, others=others, preview=None)


@routes.route("/t/<slug>/agencies/<key>/succeed", Action.AGENCY_MANAGE, ("GET", "POST"))
def agency_succeed(slug: str, key: str) -> Response | tuple[str, int]:
    return _lifecycle_form(slug, key, "succession")


@routes.route("/t/<slug>/agencies/<key>/merge", Action.AGENCY_MANAGE, ("GET", "POST"))
def agency_merge(slug: str, key: str) -> Response | tuple[str, int]:
    return _lifecycle_form(slug, key, "merger")


@routes.route("/t/<slug>/agencies/<key>/dissolve", Action.AGENCY_MANAGE, ("GET", "POST"))
def agency_dissolve(slug: str, key: str) -> Response | tuple[str, int]:
    return _lifecycle_form(slug, key, "dissolution")


@routes.route("/t/<slug>/agencies/<key>/alias", Action.AGENCY_MANAGE, ("GET", "POST"))
def agency_alias(slug: str, key: str) -> Response | tuple[str, int]:
    """Choose the agency this name is another name of and see what would move (a GET with
    `into`, which records nothing); then confirm."""
    viewer = require(Action.AGENCY_MANAGE, slug)
    agency = _entry(slug, key)
    others = [(a.key, a.name) for a in _entries(slug) if a.key != key and not a.ended]
    into = request.values.get("into", "")
    preview = None
    if into in dict(others):
        preview = queries(slug).alias_preview(key, into, state().today().year)

    def record() -> str:
        if preview is None:
            raise WebError("Hãy xem trước những gì thay đổi rồi xác nhận.", field="into")
        dispatch(slug, MergeAlias(agency=key, into=into, reason=request.form.get("reason", "")),
                 _ctx(viewer.name, None))
        flash(f"Đã gộp {agency.name} vào {preview.agency.name}.", "success")
        return _register_url(slug)

    checks = {"into": required("Hãy chọn cơ quan.")}
    return run_form(slug, "web/agency_form.html", ("into", "reason"), record,
                    checks=checks, agency=agency, kind="alias", others=others, preview=preview)


@routes.route("/t/<slug>/agencies/<key>/collective", Action.AGENCY_MANAGE, ("GET", "POST"))
def agency_collective(slug: str, key: str) -> Response | tuple[str, int]:
    viewer = require(Action.AGENCY_MANAGE, slug)
    agency = _entry(slug, key)

    def record() -> str:
        dispatch(slug, MarkCollective(agency=key, is_collective=not agency.is_collective,
                                      reason=request.form.get("reason", "")),
                 _ctx(viewer.name, None))
        flash(f"Đã {'bỏ đánh dấu' if agency.is_collective else 'đánh dấu'} {agency.name} "
              "là nhóm cơ quan.", "success")
        return _register_url(slug)

    return run_form(slug, "web/agency_form.html", ("reason",), record, agency=agency,
                    kind="collective", others=[], preview=None)


def _collectives_named(plan: PlanState, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, plan.agency_name(k)) for k in keys if k in plan.collectives]


@routes.route("/t/<slug>/tasks/<number>/expand", Action.TASK_MANAGE, ("GET", "POST"))
def expand(slug: str, number: str) -> Response | tuple[str, int]:
    """Put a collective's member agencies in its place on the task."""
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    viewer = require(Action.TASK_MANAGE, slug)
    collectives = _collectives_named(plan, task.leads + task.coordinators)
    members = sorted(((k, n) for k, n in plan.agencies.items()
                      if k not in plan.collectives and k not in plan.agency_changes),
                     key=lambda item: sort_key(item[1]))

    def record() -> str:
        names = dict(members)
        chosen_members = tuple(names[k] for k in request.form.getlist("members") if k in names)
        dispatch(slug, ExpandCollective(
            task=task.number, plan=plan_number, collective=request.form.get("collective", ""),
            members=chosen_members, reason=request.form.get("reason", ""),
            decision_ref=request.form.get("decision_ref", "")), _ctx(viewer.name))
        flash(f"Đã giao nhiệm vụ {task.number} cho từng cơ quan thành viên.", "success")
        return task_url(slug, plan, task, "dien-bien")

    checks = {"collective": required("Hãy chọn nhóm cơ quan."),
              "members": chosen("members", "Hãy chọn ít nhất một cơ quan thành viên."),
              "reason": required("Hãy ghi rõ lý do."), "effective_on": day()}
    return run_form(slug, "web/expand_form.html",
                    ("collective", "members", "reason", "decision_ref", "effective_on"),
                    record, checks=checks, task=task, collectives=collectives,
                    members=members, plan_ref=plan_ref(plan, plan_number))
