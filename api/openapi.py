"""The OpenAPI 3 document, generated from the declared operations, and its local docs page."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    send_from_directory,
    url_for,
)
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from api.commands import IDEMPOTENCY_KEY_PATTERN, IF_MATCH_PATTERN
from api.errors import PROBLEM_JSON
from api.guard import public
from api.observability import REQUEST_ID_PATTERN
from api.operation import PUBLIC, Operation
from api.routing import operations
from api.schemas.common import ProblemSchema, Upload
from api.services import services

bp = Blueprint("docs", __name__, url_prefix="/api/v1")
_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")
_PROBLEM = {"$ref": "#/components/responses/Problem"}


def _header(name: str, description: str, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if pattern:
        schema["pattern"] = pattern
    return {"in": "header", "name": name, "description": description, "schema": schema}


_COMMON_HEADERS = [
    _header("Accept-Language", "vi for Vietnamese messages; English otherwise."),
    _header("X-Request-Id", "Echoed back and logged; one is made when absent.",
            REQUEST_ID_PATTERN),
]
_IDEMPOTENCY = _header("Idempotency-Key", "Retrying with the same key returns the first "
                       "answer and records nothing new.", IDEMPOTENCY_KEY_PATTERN)
_IF_MATCH = _header("If-Match", 'The version the change applies to, e.g. "3" (from ETag); '
                    "412 when it has moved on.", IF_MATCH_PATTERN)


def build_spec(app: Flask) -> dict[str, Any]:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="R57 Plan Ledger API", version="1", openapi_version="3.0.3", plugins=[plugin],
        info={"description": "Provinces' implementation plans for Resolution 57-NQ/TW: plans, "
                             "tasks, indicators, agencies, status and the event feed."},
    )
    plugin.map_to_openapi_type(Upload, "string", "binary")  # type: ignore[no-untyped-call]
    spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "A token from POST /api/v1/principals/{name}/tokens (or r57 token "
                       "create). Events record its principal as the actor."})
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.response("Problem", {
        "description": "Problem details (RFC 9457).",
        "content": {PROBLEM_JSON: {"schema": "Problem"}},
    })
    declared = operations(app.view_functions)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = declared.get(rule.endpoint)
        if op is None:
            continue
        method = next(m for m in rule.methods or () if m not in ("HEAD", "OPTIONS")).lower()
        spec.path(path=_ARG.sub(r"{\2}", rule.rule),
                  operations={method: _operation(op, rule.rule, rule.endpoint)})
    return spec.to_dict()


def _operation(op: Operation, rule: str, endpoint: str) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"in": "path", "name": name, "required": True,
         "schema": {"type": "integer"} if kind == "int" else {"type": "string"}}
        for kind, name in _ARG.findall(rule)
    ]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    parameters += _COMMON_HEADERS
    if op.command:
        parameters.append(_IDEMPOTENCY)
    if op.if_match:
        parameters.append(_IF_MATCH)
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": op.response}}
    if op.etag is not None:
        success["headers"] = {"ETag": {"description": "The item's version, quoted.",
                                       "schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(s): success for s in (op.status, *op.also)}
    for status in _error_statuses(op, rule):
        responses[str(status)] = _PROBLEM
    responses["default"] = _PROBLEM
    operation: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_"), "tags": [op.tag], "summary": op.summary,
        "parameters": parameters, "responses": responses,
        "security": [] if op.access is PUBLIC else [{"bearer": []}],
    }
    if op.access is not PUBLIC:
        operation["x-r57-action"] = op.access.value
    if op.description:
        operation["description"] = op.description
    if op.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": op.body}}}
    if op.form is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"multipart/form-data": {"schema": op.form}}}
    return operation


def _error_statuses(op: Operation, rule: str) -> list[int]:
    statuses = [400, 422] if rule.startswith("/api/") else [503]
    if op.access is not PUBLIC:
        statuses += [401, 403, 429]
    if "<" in rule:
        statuses.append(404)
    if op.body is not None or op.form is not None:
        statuses += [413, 415]
    if op.command:
        statuses.append(409)
    if op.if_match:
        statuses.append(412)
    return sorted(set(statuses))


@bp.get("/openapi.json")
@public
def openapi_document() -> Response:
    cache = services().cache
    if "openapi" not in cache:
        cache["openapi"] = build_spec(current_app)
    return jsonify(cache["openapi"])


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>R57 Plan Ledger API</title>
<link rel="stylesheet" href="{css}"></head>
<body><div id="swagger-ui" data-spec="{spec}"></div>
<script src="{js}"></script>
<script src="{init}"></script>
</body></html>
"""
_INIT = """window.ui = SwaggerUIBundle({
  url: document.getElementById("swagger-ui").dataset.spec,
  dom_id: "#swagger-ui", deepLinking: true
});
"""
# The page's own files, and nothing else of the bundle (its stock index.html points elsewhere).
DOCS_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
# Swagger UI sets inline styles on its elements; scripts and everything else are ours only.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def _with_policy(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/docs")
@public
def docs_page() -> Response:
    """The interactive page; its assets are served from here, never from a CDN."""
    html = _PAGE.format(css=url_for("docs.docs_asset", filename="swagger-ui.css"),
                        js=url_for("docs.docs_asset", filename="swagger-ui-bundle.js"),
                        init=url_for("docs.docs_init"),
                        spec=url_for("docs.openapi_document"))
    return _with_policy(Response(html, mimetype="text/html"))


@bp.get("/docs/init.js")
@public
def docs_init() -> Response:
    return _with_policy(Response(_INIT, mimetype="text/javascript"))


@bp.get("/docs/<path:filename>")
@public
def docs_asset(filename: str) -> Response:
    if filename not in DOCS_ASSETS:
        abort(404)
    return _with_policy(send_from_directory(str(swagger_ui_path), filename, max_age=86400))
