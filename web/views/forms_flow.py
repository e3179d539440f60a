"""The flow every write form follows: show, check, record once, or show what was refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from flask import flash, render_template, request
from marshmallow import Schema
from marshmallow.fields import List as Choices
from werkzeug.wrappers import Response

from domain.errors import DomainError
from service.commands import Context
from web.auth import Viewer
from web.formatting import parse_day
from web.forms import field_errors, submit_once
from web.kept_forms import kept_form
from web.messages import WebError, error_vi, too_long_vi
from web.schemas import LIMITS

Check = Callable[[str], object]  # reads a field's text; raises DomainError to refuse it


def required(message: str) -> Check:
    def check(text: str) -> None:
        if not text.strip():
            raise WebError(message)
    return check


def within(name: str) -> Check:
    """Refuses text longer than the field `name` takes (its limit in web/schemas.LIMITS)."""
    def check(text: str) -> None:
        if len(text) > LIMITS[name]:
            raise WebError(too_long_vi(LIMITS[name], len(text)))
    return check


def day(*, needed: bool = False) -> Check:
    return lambda text: parse_day(text, "", required=needed)


def chosen(name: str, message: str) -> Check:
    """At least one box or option of a multiple choice is ticked."""
    def check(_: str) -> None:
        if not [v for v in request.form.getlist(name) if v.strip()]:
            raise WebError(message)
    return check


def posted(schema: Schema) -> dict[str, Any]:
    """The sent form's fields a schema reads: a multiple choice as its list of values, any
    other field as its text ("" when the form left it out)."""
    return {name: request.form.getlist(name) if isinstance(field, Choices)
            else request.form.get(name, "") for name, field in schema.fields.items()}


def _check_all(checks: Mapping[str, Check | Sequence[Check]] | Schema) -> dict[str, str]:
    """Every field's refusal at once, not the first one only, in the order of the form."""
    if isinstance(checks, Schema):
        refused = checks.validate(posted(checks))
        return {name: str(refused[name][0]) for name in checks.fields if name in refused}
    errors: dict[str, str] = {}
    for name, found in checks.items():
        for check in (found,) if callable(found) else found:
            try:
                check(request.form.get(name, ""))
            except DomainError as error:
                errors[name] = error_vi(error)
                break
    return errors


def run_form(slug: str, template: str, fields: tuple[str, ...], record: Callable[[], str],
             aliases: Mapping[str, str] | None = None,
             checks: Mapping[str, Check | Sequence[Check]] | Schema | None = None,
             **context: Any
             ) -> Response | tuple[str, int]:
    """GET shows the form; POST checks every field (by the checks given, or by the schema
    that reads the form) and shows all that are wrong at once, each beside its field, then
    records once (and redirects) or shows the form again with the ledger's refusal beside
    the field it names; the input is always kept."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        errors = _check_all(checks if checks is not None else {})
        if errors:
            status = 422
        else:
            try:
                return submit_once(slug, record)
            except DomainError as error:
                errors, status = field_errors(error, fields, aliases), 422
    kept = kept_form(slug) if request.method == "GET" else None
    form: Mapping[str, str] = request.form if request.method == "POST" else kept or {}
    if kept is not None:
        flash("Nội dung bạn đã nhập trước khi phiên làm việc hết hạn đã được giữ lại; "
              "hãy kiểm tra rồi gửi lại.", "info")
    return render_template(template, errors=errors, form=form, fields=fields,
                           **context), status


def version() -> int:
    """The version of the item the form was filled in against (optimistic concurrency)."""
    text = request.form.get("version", "")
    if not text.isdigit():
        raise WebError("Biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại.")
    return int(text)


def context(viewer: Viewer, *, agency: str | None = None, effective_field: str | None = None
            ) -> Context:
    effective: date | None = None
    if effective_field:
        effective = parse_day(request.form.get(effective_field, ""), effective_field,
                              required=False)
    return Context(viewer.name, effective_on=effective, agency=agency,
                   expected_version=version())


def lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()]
