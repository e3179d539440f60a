"""The flow every write form follows: show, check, record once, or show what was refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask import render_template, request
from werkzeug.wrappers import Response

from domain.errors import DomainError
from service.ledger import Context
from web.auth import Viewer
from web.formatting import parse_day
from web.forms import field_errors, submit_once
from web.messages import WebError


def run_form(slug: str, template: str, fields: tuple[str, ...], record: Callable[[], str],
             aliases: Mapping[str, str] | None = None, **context: Any
             ) -> Response | tuple[str, int]:
    """GET shows the form; POST records once (then redirects) or shows the form again with
    each refusal beside the field it names, and the input kept."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            return submit_once(slug, record)
        except DomainError as error:
            errors, status = field_errors(error, fields, aliases), 422
    form = request.form if request.method == "POST" else {}
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
