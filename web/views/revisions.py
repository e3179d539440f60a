"""Revising a plan by an amending document: choose the plan, upload the document, name the
amending decision and its date, see the differences, then confirm. The file is kept under
its SHA-256 between the two steps, as an import keeps it (`service.uploads`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import DomainError
from domain.policy import Action
from domain.revision import COUNTED
from i18n import render_code
from importers import SUPPORTED_SUFFIXES
from service.commands import CommandResult, Context, RevisePlan
from service.handlers import ImportRefused
from service.revision import preview_revision, revision_json
from web.auth import require
from web.formatting import parse_day
from web.forms import field_errors, submit_once
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries, tenancy
from web.views.imports import keep_upload, read_document, stored_upload

routes = Routes()
_FIELDS = ("plan", "file", "amending", "amending_on", "reason")
# The preview's and the confirmation's words for each kind of change.
KINDS_VI = {kind: render_code(f"revision_kind.{kind}", "vi") for kind in COUNTED}


def _form() -> dict[str, str]:
    form = {name: request.form.get(name, "").strip() for name in _FIELDS if name != "file"}
    return {**form, "listed_only": "yes" if request.form.get("listed_only") == "yes" else ""}


def _render(slug: str, **context: Any) -> str:
    plans = sorted(p.number for p in queries(slug).state().plans.values())
    context.setdefault("form", {"plan": plans[0]} if len(plans) == 1 else {})
    return render_template("web/plan_revise.html", plans=plans, kinds=KINDS_VI,
                           plan_options=[(n, f"Kế hoạch {n}") for n in plans],
                           suffixes=", ".join(SUPPORTED_SUFFIXES), **context)


def _checked(form: dict[str, str]) -> date | None:
    if not form["plan"]:
        raise WebError("Hãy chọn kế hoạch được sửa đổi.", field="plan")
    if not form["amending"]:
        raise WebError("Hãy ghi số văn bản sửa đổi, ví dụ Quyết định số 245/QĐ-UBND.",
                       field="amending")
    return parse_day(form["amending_on"], "amending_on", required=False)


def _differences(slug: str, data: bytes, filename: str, sha256: str,
                 form: dict[str, str], errors: dict[str, str] | None = None) -> str:
    ledger = tenancy().ledger(slug)
    document = read_document(data, filename, require_number=False)
    preview = preview_revision(ledger, ledger.plan(form["plan"]), document, sha256,
                               partial=form.get("listed_only") == "yes")
    shown = revision_json(preview, queries(slug).state().agencies)
    return _render(slug, errors=errors or {}, form=form, preview=shown, sha256=sha256,
                   filename=filename, problems=document.problems)


@routes.route("/t/<slug>/revise", Action.PLAN_IMPORT)
def revise_form(slug: str) -> str:
    return _render(slug, errors={}, preview=None)


@routes.route("/t/<slug>/revise/preview", Action.PLAN_IMPORT, ("POST",))
def revise_preview(slug: str) -> str | tuple[str, int]:
    form = _form()
    upload = request.files.get("file")
    try:
        _checked(form)
        if upload is None or not upload.filename:
            raise WebError("Hãy chọn tệp văn bản sửa đổi.", field="file")
        data, filename = upload.read(), upload.filename[-200:]
        sha256 = keep_upload(slug, data, filename)
        return _differences(slug, data, filename, sha256, form)
    except DomainError as error:
        return _render(slug, errors=field_errors(error, _FIELDS), form=form,
                       preview=None), 422


@routes.route("/t/<slug>/revise/confirm", Action.PLAN_IMPORT, ("POST",))
def revise_confirm(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    form = _form()

    def record() -> str:
        amending_on = _checked(form)
        data, filename, sha256 = stored_upload(slug)
        document = read_document(data, filename, require_number=False)
        result = dispatch(slug, RevisePlan(
            plan=form["plan"], document=document, sha256=sha256, amending=form["amending"],
            amending_on=amending_on, reason=form["reason"],
            accept_problems=request.form.get("accept_problems") == "yes",
            partial=form["listed_only"] == "yes"),
            Context(viewer.name, amending_on))
        assert isinstance(result, CommandResult)
        if result.detail["recorded"]:
            flash(f"Đã ghi nhận sửa đổi Kế hoạch {result.detail['plan']} theo "
                  f"{form['amending']}: {_counted(result.detail['counts'])}.", "success")
        else:
            flash(f"Văn bản này đã được ghi nhận là sửa đổi Kế hoạch {result.detail['plan']}; "
                  "không ghi nhận gì thêm.", "info")
        return url_for("web.dashboard", slug=slug)

    try:
        return submit_once(slug, record)
    except (ImportRefused, DomainError) as error:
        errors = field_errors(error, _FIELDS)
        try:  # the differences again, under what was wrong, while the file is kept
            data, filename, sha256 = stored_upload(slug)
            return _differences(slug, data, filename, sha256, form, errors), 422
        except DomainError:
            return _render(slug, errors=errors, form=form, preview=None), 422


def _counted(counts: dict[str, int]) -> str:
    said = [f"{KINDS_VI[kind].lower()} {n}" for kind, n in counts.items() if n]
    return ", ".join(said) or "không có thay đổi"
