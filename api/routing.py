"""Blueprints whose views declare who may call them, their inputs and their outputs.

The `operation` decorator admits the request (api/guard.py: the action every operation must
declare), parses the query, JSON or multipart body with the declared marshmallow schemas
(unknown fields refused), calls the view with the parsed values, formats its result with
the response schema and records everything the OpenAPI document needs.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, json, request
from marshmallow import Schema, fields

from api import guard, i18n
from api.canonical import canonical
from api.commands import run_command
from api.errors import MalformedBody, UnsupportedMediaType
from api.operation import Access, Concerns, Operation, render
from api.services import services

View = Callable[..., Any]
API_PREFIX = "/api/v1"
TENANT_PREFIX = API_PREFIX + "/tenants/<tenant>"


class ApiBlueprint(Blueprint):
    def operation(
        self, rule: str, method: str = "GET", *, action: Access, status: int = 200,
        also: tuple[int, ...] = (), query: Schema | None = None, body: Schema | None = None,
        form: Schema | None = None, response: Schema | None = None,
        etag: Callable[[Any], int] | None = None, if_match: bool = False,
        command: bool = False, self_service: bool = False, concerns: Concerns | None = None,
    ) -> Callable[[View], View]:
        access = guard.declared(action, concerns)

        def decorator(view: View) -> View:
            doc = inspect.getdoc(view) or view.__name__
            summary, _, description = doc.partition("\n")
            op = Operation(summary.strip(), description.strip(), self.name, access, status,
                           also, query, body, form, response, etag, if_match, command,
                           self_service, concerns)

            @functools.wraps(view)
            def endpoint(**path: Any) -> Response:
                guard.admit(op, path)  # before any input is read or any tenant data loaded
                kwargs = dict(path, **parse_inputs(op))
                guard.admit_item(op, kwargs)
                if op.command:
                    return run_command(op, functools.partial(view, **kwargs), kwargs)
                return render(op, view(**kwargs))

            endpoint.r57_operation = op  # type: ignore[attr-defined]
            endpoint.r57_access = op.access  # type: ignore[attr-defined]
            self.add_url_rule(rule, view_func=endpoint, methods=[method])
            return endpoint

        return decorator


def parse_inputs(op: Operation) -> dict[str, Any]:
    settings = services().api_settings
    parsed: dict[str, Any] = {}
    if op.query is not None:
        parsed["query"] = op.query.load(canonical(_query_args(op.query)))
    if op.body is not None:
        request.max_content_length = settings.max_json_bytes
        parsed["body"] = op.body.load(canonical(_json_body()))
    if op.form is not None:
        request.max_content_length = settings.max_upload_bytes
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(
                i18n.text("api.send_body_as", expected="multipart/form-data"))
        parsed["form"] = op.form.load({**canonical(request.form.to_dict()),
                                       **request.files.to_dict()})
    return parsed


def _query_args(schema: Schema) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for name in request.args:
        values = request.args.getlist(name)
        is_list = isinstance(schema.fields.get(name), fields.List)
        args[name] = values if is_list else values[0]
    return args


def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaType(
            i18n.text("api.send_body_as", expected="application/json"))
    data = request.get_data(cache=True)  # refuses past max_content_length with 413
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise MalformedBody(i18n.text("api.body_not_json")) from None


def operations(app_view_functions: Mapping[str, Any]) -> dict[str, Operation]:
    """Endpoint name -> its declared operation, for every view built by `operation`."""
    return {
        name: view.r57_operation
        for name, view in app_view_functions.items()
        if hasattr(view, "r57_operation")
    }
