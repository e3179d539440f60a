"""Blueprints whose views declare their inputs and outputs.

The `operation` decorator parses the query, JSON or multipart body with the declared
marshmallow schemas (unknown fields refused), calls the view with the parsed values, formats
its result with the response schema and records everything the OpenAPI document needs.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, json, request
from marshmallow import Schema, fields

from api import i18n
from api.errors import MalformedBody, UnsupportedMediaType

View = Callable[..., Any]


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str
    tag: str
    status: int = 200
    also: tuple[int, ...] = ()  # other success statuses answering with the same schema
    query: Schema | None = None
    body: Schema | None = None  # application/json
    form: Schema | None = None  # multipart/form-data
    response: Schema | None = None
    etag: Callable[[Any], int] | None = None  # the version an ETag carries
    if_match: bool = False
    command: bool = False  # records events: Idempotency-Key, actor, metrics


@dataclass
class Reply:
    """A view's result when it chooses the status or headers, or counts several events."""

    data: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    events: int = 1


class ApiBlueprint(Blueprint):
    def operation(
        self, rule: str, method: str = "GET", *, status: int = 200, also: tuple[int, ...] = (),
        query: Schema | None = None, body: Schema | None = None, form: Schema | None = None,
        response: Schema | None = None, etag: Callable[[Any], int] | None = None,
        if_match: bool = False, command: bool = False,
    ) -> Callable[[View], View]:
        def decorator(view: View) -> View:
            doc = inspect.getdoc(view) or view.__name__
            summary, _, description = doc.partition("\n")
            op = Operation(summary.strip(), description.strip(), self.name, status, also, query,
                           body, form, response, etag, if_match, command)

            @functools.wraps(view)
            def endpoint(**path: Any) -> Response:
                kwargs = dict(path, **parse_inputs(op))
                if op.command:
                    from api.commands import run_command  # imports this module

                    return run_command(op, functools.partial(view, **kwargs), kwargs)
                return render(op, view(**kwargs))

            endpoint.r57_operation = op  # type: ignore[attr-defined]
            self.add_url_rule(rule, view_func=endpoint, methods=[method])
            return endpoint

        return decorator


def parse_inputs(op: Operation) -> dict[str, Any]:
    settings = current_app.extensions["r57"].api_settings
    parsed: dict[str, Any] = {}
    if op.query is not None:
        parsed["query"] = op.query.load(_query_args(op.query))
    if op.body is not None:
        request.max_content_length = settings.max_json_bytes
        parsed["body"] = op.body.load(_json_body())
    if op.form is not None:
        request.max_content_length = settings.max_upload_bytes
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(
                i18n.text("Send the body as {expected}.", expected="multipart/form-data"))
        parsed["form"] = op.form.load({**request.form.to_dict(), **request.files.to_dict()})
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
            i18n.text("Send the body as {expected}.", expected="application/json"))
    data = request.get_data(cache=True)  # refuses past max_content_length with 413
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise MalformedBody(i18n.text("The body is not valid JSON.")) from None


def render(op: Operation, result: Any) -> Response:
    reply = result if isinstance(result, Reply) else Reply(result)
    payload = op.response.dump(reply.data) if op.response is not None else reply.data
    response = current_app.response_class(
        json.dumps(payload, ensure_ascii=False), reply.status or op.status,
        mimetype="application/json",
    )
    if op.etag is not None:
        response.headers["ETag"] = f'"{op.etag(reply.data)}"'
    response.headers.update(reply.headers)
    return response


def operations(app_view_functions: Mapping[str, Any]) -> dict[str, Operation]:
    """Endpoint name -> its declared operation, for every view built by `operation`."""
    return {
        name: view.r57_operation
        for name, view in app_view_functions.items()
        if hasattr(view, "r57_operation")
    }
