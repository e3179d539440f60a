"""What an endpoint declares (for parsing and for the OpenAPI document) and how it answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask import Response, current_app, json
from marshmallow import Schema

from domain.policy import Action


class Open(StrEnum):
    """Endpoints that no role guards, each declared as such."""

    PUBLIC = "public"  # no credentials: health, metrics, the API document
    AUTHENTICATED = "authenticated"  # any principal, about itself


PUBLIC, AUTHENTICATED = Open.PUBLIC, Open.AUTHENTICATED
Access = Action | Open
# The agency keys an item (a task, an indicator) concerns, from the view's parsed inputs.
Concerns = Callable[..., Iterable[str]]


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str
    tag: str
    access: Access
    status: int = 200
    also: tuple[int, ...] = ()  # other success statuses answering with the same schema
    query: Schema | None = None
    body: Schema | None = None  # application/json
    form: Schema | None = None  # multipart/form-data
    response: Schema | None = None
    etag: Callable[[Any], int] | None = None  # the version an ETag carries
    if_match: bool = False
    command: bool = False  # changes state: actor, Idempotency-Key, metrics
    self_service: bool = False  # also allowed to the principal named by the path's <name>
    concerns: Concerns | None = None  # for an agency reporter: whose item this is


@dataclass
class Reply:
    """A view's result when it chooses the status or headers, or records other than one event."""

    data: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    events: int = 1


@dataclass(frozen=True)
class Serialised:
    """A view's result already dumped by its response schema and serialised (an answer
    kept by position, api/answers.py): sent as it is."""

    body: str
    headers: tuple[tuple[str, str], ...] = ()


def serialise(schema: Schema | None, data: Any) -> str:
    """The JSON body of a result, dumped by the response schema (when there is one)."""
    payload = schema.dump(data) if schema is not None else data
    return json.dumps(payload, ensure_ascii=False)


def render(op: Operation, result: Any) -> Response:
    if isinstance(result, Response):  # a download answers its own bytes
        return result
    if isinstance(result, Serialised):
        return current_app.response_class(result.body, op.status, headers=list(result.headers),
                                          mimetype="application/json")
    reply = result if isinstance(result, Reply) else Reply(result)
    response = current_app.response_class(
        serialise(op.response, reply.data), reply.status or op.status, mimetype="application/json",
    )
    if op.etag is not None:
        response.headers["ETag"] = f'"{op.etag(reply.data)}"'
    response.headers.update(reply.headers)
    return response


def events_recorded(result: Any) -> int:
    """Events a command's result stands for: a Reply says; a command result is one event."""
    if isinstance(result, Reply):
        return result.events
    return 1 if hasattr(result, "position") and hasattr(result, "version") else 0
