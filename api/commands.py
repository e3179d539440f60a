"""What every command shares: the context it runs in, If-Match, Idempotency-Key, metrics."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import Response, current_app, request
from werkzeug.datastructures import FileStorage

from api import i18n
from api.errors import BadHeader, IdempotencyInProgress, IdempotencyKeyReused, PreconditionFailed
from api.operation import Operation, events_recorded, render
from api.principal import acting_agency, current_actor
from api.scope import ledger, tenant_slug
from api.services import services
from domain.errors import Conflict
from service.commands import AgencyCommand, Command, Context, IndicatorCommand, TaskCommand
from service.handlers import Result
from service.recording import IdempotentRequest, idempotent
from tenants import faults
from tenants.idempotency import (
    IdempotencyStore,
    KeyInProgress,
    KeyReused,
    StoredResponse,
)

IF_MATCH_PATTERN = r'^"?[0-9]{1,9}"?$|^\*$'
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
_IF_MATCH = re.compile(IF_MATCH_PATTERN)
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
REPLAYED = "Idempotent-Replayed"
_KEPT_HEADERS = ("ETag", "Location")


log = logging.getLogger(__name__)

def expected_version() -> int | None:
    """The version an If-Match header demands ("3" or 3); None when absent or "*"."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    if not _IF_MATCH.fullmatch(header.strip()):
        message = i18n.text("api.bad_if_match")
        raise BadHeader(message, errors={"If-Match": [message]})
    return int(header.strip().strip('"'))


def context(body: Mapping[str, Any]) -> Context:
    return Context(
        actor=current_actor(),
        effective_on=body.get("effective_on"),
        agency=acting_agency(body.get("agency")),
        expected_version=expected_version(),
    )


def dispatch(command: Command, body: Mapping[str, Any]) -> Result:
    """Record a command for the request's tenant, as the request's principal; under
    If-Match, a command about an item that changed meanwhile fails its precondition."""
    tenant = ledger()
    if not isinstance(command, TaskCommand | IndicatorCommand | AgencyCommand):
        return tenant.handle(command, context(body))
    with precondition(lambda: tenant.current_version(command)):
        return tenant.handle(command, context(body))


@contextmanager
def precondition(current_version: Callable[[], int]) -> Iterator[None]:
    """Under If-Match, losing to another writer is a failed precondition (412)."""
    try:
        yield
    except Conflict:
        if expected_version() is None:
            raise
        current = current_version()
        raise PreconditionFailed(
            i18n.text("api.version_moved",
                      current=current),
            current_version=current,
        ) from None


def run_command(op: Operation, call: Callable[[], Any], inputs: Mapping[str, Any]) -> Response:
    key = _idempotency_key()
    if key is None:
        return _record(op, call)
    slug = tenant_slug()
    if not slug:
        return _run_reserved(op, call, key, _fingerprint(inputs))
    return _run_in_one_transaction(op, call, slug, key, _fingerprint(inputs))


def _run_in_one_transaction(op: Operation, call: Callable[[], Any], slug: str, key: str,
                            fingerprint: str) -> Response:
    """A tenant's command: its key and answer are written in the transaction that records
    its events (service/recording.py), so a retry after any crash replays or runs once.

    The key is not looked up first: writing it is what finds a key already recorded (the
    transaction then rolls back, recording nothing, and the kept answer is replayed). A
    retry whose command is now refused (its report is already there) is answered from
    the key too, and a key used with another request is refused either way."""
    tenancy = services().tenancy
    keys = services().idempotency.on(tenancy.storage.tenant_database(slug))
    keys.housekeep()
    faults.reached("before_events")
    rendered: list[Response] = []  # the answer as kept, sent as it is once committed

    def respond(result: Any) -> StoredResponse:
        rendered[:] = [render(op, result)]
        return _kept(rendered[0])

    request = IdempotentRequest(keys, slug, key, fingerprint, respond=respond)
    try:
        with idempotent(request):
            result = call()
    except Exception:  # KeyAlreadyRecorded, or a refusal: is there an answer to replay?
        stored = _stored(keys, slug, key, fingerprint)
        if stored is None:
            raise
        return _replay(stored)
    if not request.answered:  # the command recorded nothing: its answer is kept alone
        stored = _stored(keys, slug, key, fingerprint)
        if stored is not None:
            return _replay(stored)
        response = _respond(op, result)
        keys.remember(slug, key, fingerprint, _kept(response))
        return response
    return _respond(op, result, _with_positions(rendered[-1], request) if rendered else None)


def _with_positions(response: Response, command: IdempotentRequest) -> Response:
    """The answer rendered in the command's transaction, with the positions the server
    gave in place of their stand-ins (service/recording.py)."""
    if command.pending is None:
        return response
    response.set_data(command.with_positions(response.get_data(True)))
    for name in _KEPT_HEADERS:
        if name in response.headers:
            response.headers[name] = command.with_positions(response.headers[name])
    return response


def _stored(keys: IdempotencyStore, slug: str, key: str,
            fingerprint: str) -> StoredResponse | None:
    with _key_problems():
        return keys.recorded(slug, key, fingerprint)


@contextmanager
def _key_problems() -> Iterator[None]:
    try:
        yield
    except KeyReused:
        raise IdempotencyKeyReused(
            i18n.text("api.idempotency_key_reused")) from None
    except KeyInProgress:
        raise IdempotencyInProgress(i18n.text(
            "api.idempotency_in_progress"
        )) from None


def _run_reserved(op: Operation, call: Callable[[], Any], key: str,
                  fingerprint: str) -> Response:
    """A command outside any tenant's log (the registry, principals): the key is reserved
    first, answered after, and released when the command fails."""
    store = services().idempotency
    with _key_problems():
        stored = store.begin("", key, fingerprint)
    if stored is not None:
        return _replay(stored)
    try:
        result = call()
    except BaseException:
        store.release("", key)  # nothing was recorded: the key may be used again
        raise
    # Recorded: from here on the key keeps this answer, whatever fails later.
    response = _respond(op, result)
    store.finish("", key, _kept(response))
    return response


def _kept(response: Response) -> StoredResponse:
    kept = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
    return StoredResponse(response.status_code, response.get_data(True), kept)


def _record(op: Operation, call: Callable[[], Any]) -> Response:
    return _respond(op, call())


def _respond(op: Operation, result: Any, rendered: Response | None = None) -> Response:
    response = rendered if rendered is not None else render(op, result)
    try:
        services().metrics.events_appended(tenant_slug() or "", events_recorded(result))
    except Exception:  # metrics are best-effort; the command is already recorded
        log.exception("could not count the events appended")
    return response


def _replay(stored: StoredResponse) -> Response:
    response = current_app.response_class(stored.body, stored.status,
                                          mimetype="application/json")
    response.headers.update(stored.headers)
    response.headers[REPLAYED] = "true"
    return response


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        message = i18n.text("api.bad_idempotency_key")
        raise BadHeader(message, errors={"Idempotency-Key": [message]})
    return key


def _fingerprint(inputs: Mapping[str, Any]) -> str:
    """The request as parsed (so a new multipart boundary is the same request)."""
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "inputs": inputs,
         "if_match": request.headers.get("If-Match"), "actor": current_actor()},
        sort_keys=True, default=_canonical, ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, FileStorage):
        digest = hashlib.sha256(value.stream.read()).hexdigest()
        value.stream.seek(0)
        return {"filename": value.filename, "sha256": digest}
    return str(value)
