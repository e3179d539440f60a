"""Every error as RFC 9457 problem details (application/problem+json), from one place."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from eventsourcing.persistence import ProgrammingError
from flask import Flask, Response, g, json, request
from marshmallow import ValidationError
from psycopg.errors import InsufficientPrivilege
from werkzeug.exceptions import HTTPException

from api import i18n
from domain.errors import AlreadyExists, Conflict, DomainError, NotFound
from i18n import render
from importers import ImportFormatError
from service.application import HistoryUnreadable
from service.handlers import ImportRefused
from service.tenancy import ReplicaReadOnly, TenantArchived
from tenants.availability import RETRY_AFTER_SECONDS, unavailable_reason

PROBLEM_JSON = "application/problem+json"
STORE_ERRORS = (StoreOperationalError, StoreInterfaceError, psycopg.OperationalError,
                psycopg.InterfaceError, sqlite3.OperationalError)
log = logging.getLogger("r57.api")


class ApiError(Exception):
    """A refusal decided by the HTTP layer itself (headers, bodies, preconditions)."""

    status = 400
    kind = "bad-request"

    def __init__(self, detail: str, *, errors: Mapping[str, list[str]] | None = None,
                 headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})
        self.extra = extra


class Unauthenticated(ApiError):
    status, kind = 401, "unauthenticated"


class Forbidden(ApiError):
    """Inside a tenant the principal may see, an action its roles do not allow."""

    status, kind = 403, "forbidden"


class TooManyFailures(ApiError):
    status, kind = 429, "too-many-failures"


class BadHeader(ApiError):
    kind = "bad-header"


class MalformedBody(ApiError):
    kind = "malformed-body"


class UnsupportedMediaType(ApiError):
    status, kind = 415, "unsupported-media-type"


class PreconditionFailed(ApiError):
    status, kind = 412, "precondition-failed"


class IdempotencyKeyReused(ApiError):
    status, kind = 422, "idempotency-key-reused"


class IdempotencyInProgress(ApiError):
    status, kind = 409, "idempotency-in-progress"


class NotReady(ApiError):
    status, kind = 503, "not-ready"


def problem(status: int, kind: str, detail: str, *, errors: Mapping[str, list[str]] | None = None,
            headers: Mapping[str, str] | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank" if kind == "http" else f"urn:r57:problem:{kind}",
        "title": i18n.title(status),
        "status": status,
        "detail": detail,
    }
    request_id = g.get("request_id") if g else None
    if request_id:
        body["instance"] = f"urn:r57:request:{request_id}"
    if errors:
        body["errors"] = {field: list(ms) for field, ms in errors.items()}
    body.update({k: v for k, v in extra.items() if v is not None})
    # A value echoed back may hold what UTF-8 cannot (an unpaired surrogate): replaced.
    data = json.dumps(body, ensure_ascii=False).encode("utf-8", "replace")
    response = Response(data, status, mimetype=PROBLEM_JSON)
    response.headers.update(dict(headers or {}))
    return response


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"field.sub": [messages]}, each in the request's
    language."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            for field, found in flatten(value, name).items():
                flat.setdefault(field, []).extend(found)
        return flat
    if isinstance(messages, list | tuple):
        return {prefix or "_schema": [i18n.localise(m) for m in messages]}
    return {prefix or "_schema": [i18n.localise(messages)]}


def _domain_errors(exc: DomainError) -> dict[str, list[str]]:
    return {exc.field: [refusal_text(exc)]} if exc.field else {}


def refusal_text(exc: DomainError) -> str:
    """A refusal in the request's language: rendered from its code, or its own sentence."""
    coded = exc.as_message()
    return render(coded, i18n.language()) if coded is not None else exc.message


def _coded(exc: DomainError) -> dict[str, Any]:
    """The refusal's code and values, for clients that render their own words."""
    coded = exc.as_message()
    return coded.to_json() if coded is not None else {}


def _on_validation(exc: ValidationError) -> Response:
    return problem(422, "validation", i18n.text("api.invalid_fields"),
                   errors=flatten(exc.messages))


def _on_api_error(exc: ApiError) -> Response:
    return problem(exc.status, exc.kind, exc.detail, errors=exc.errors, headers=exc.headers,
                   **exc.extra)


def _on_database_error(exc: Exception) -> Response:
    # Web workers run as a restricted database role (api/README.md); provisioning a
    # tenant needs the owner's, so it is refused cleanly rather than as a server error.
    # The event store's library wraps the driver's error; its cause tells.
    denied = exc if isinstance(exc, InsufficientPrivilege) else exc.__cause__
    if not isinstance(denied, InsufficientPrivilege):
        return _on_unexpected(exc)
    log.warning("database privilege refused: %s", denied)
    return problem(403, "database-privilege", i18n.text(
        "api.database_privilege"))


def _on_import_refused(exc: ImportRefused) -> Response:
    rows = [{"row": p.row, "content": p.content, "reason": render(p.reason, i18n.language())}
            for p in exc.problems]
    return problem(422, "import-refused", refusal_text(exc), errors=_domain_errors(exc),
                   problems=rows)


def _on_import_format(exc: ImportFormatError) -> Response:
    detail = render(exc.as_message(), i18n.language())
    return problem(422, "import-format", detail, errors={"file": [detail]},
                   code=exc.code, params=exc.params_json())


def _domain(status: int, kind: str) -> Any:
    def handler(exc: DomainError) -> Response:
        return problem(status, kind, refusal_text(exc), errors=_domain_errors(exc),
                       **_coded(exc))

    return handler


def http_problem(exc: HTTPException) -> Response:
    """An HTTP error (no route, method not allowed, body too large) as problem details."""
    status = exc.code or 500
    headers = {}
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(allowed)
    detail = exc.description or i18n.title(status)
    if status == 404:
        detail = i18n.text("api.no_such_resource")
    elif status == 413:
        detail = i18n.text("api.body_too_large",
                           limit=request.max_content_length)
    return problem(status, "http", detail, headers=headers)


def store_unavailable(reason: str) -> Response:
    """503 with Retry-After: the store is down, busy or out of space; the client retries and
    the service recovers by itself (api/README.md, "Failing fast")."""
    return problem(503, "store-unavailable", i18n.text(
        "api.database_unavailable", reason=reason),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, reason=reason)


def _on_store_error(exc: Exception) -> Response:
    reason = unavailable_reason(exc)
    if reason is None:
        return _on_unexpected(exc)
    log.warning("store unavailable (%s): %s", reason, exc,
                extra={"request_id": g.get("request_id")})
    return store_unavailable(reason)


def _on_unexpected(exc: Exception) -> Response:
    if unavailable_reason(exc) is not None:
        return _on_store_error(exc)
    log.exception("unhandled error", extra={"request_id": g.get("request_id")})
    return problem(500, "http", i18n.text("api.unexpected"))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ValidationError, _on_validation)
    app.register_error_handler(ApiError, _on_api_error)
    app.register_error_handler(InsufficientPrivilege, _on_database_error)
    app.register_error_handler(ProgrammingError, _on_database_error)
    for store_error in STORE_ERRORS:
        app.register_error_handler(store_error, _on_store_error)
    app.register_error_handler(ImportRefused, _on_import_refused)
    app.register_error_handler(ImportFormatError, _on_import_format)
    app.register_error_handler(ReplicaReadOnly, _domain(409, "replica-read-only"))
    app.register_error_handler(TenantArchived, _domain(409, "tenant-archived"))
    app.register_error_handler(NotFound, _domain(404, "not-found"))
    app.register_error_handler(HistoryUnreadable, _domain(409, "history-unreadable"))
    app.register_error_handler(Conflict, _domain(409, "conflict"))
    app.register_error_handler(AlreadyExists, _domain(409, "already-exists"))
    app.register_error_handler(DomainError, _domain(422, "domain-rule"))
    app.register_error_handler(HTTPException, http_problem)
    app.register_error_handler(Exception, _on_unexpected)
