"""A command's idempotency key travels with it into the transaction that records it.

The entry point (the API) looks the key up, then runs the command under `idempotent(...)`.
When the ledger saves, `answer_steps` adds one step to the append's transaction: it renders
the command's answer from its result and writes the key with that answer beside the events
and their chain links. On PostgreSQL the positions are not known yet (the whole transaction
is one round trip): the answer is rendered with a stand-in the server replaces. One
transaction, so a crash at any point leaves the key, the events and the answer all
recorded, or none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tenants.database import Cursor
from tenants.idempotency import IdempotencyStore, StoredResponse
from tenants.recorders import PendingPositions, Step


@dataclass
class IdempotentRequest:
    keys: IdempotencyStore  # over the tenant's own database
    tenant: str
    key: str
    fingerprint: str
    respond: Callable[[Any], StoredResponse]  # the command's result -> the answer kept
    answered: list[StoredResponse] = field(default_factory=list)
    # The positions the answer was rendered with stand-ins for (see `PendingPositions`).
    pending: PendingPositions | None = None

    def with_positions(self, text: str) -> str:
        """`text` of the answer rendered, with the last position's stand-in replaced by
        the position the server gave (unchanged when the answer was rendered with it)."""
        if self.pending is None or not self.pending.known:
            return text
        return text.replace(str(self.pending[-1]), str(self.pending.known[-1]))


_PENDING: ContextVar[IdempotentRequest | None] = ContextVar("r57_idempotent", default=None)


@contextmanager
def idempotent(request: IdempotentRequest) -> Iterator[IdempotentRequest]:
    token = _PENDING.set(request)
    try:
        yield request
    finally:
        _PENDING.reset(token)


def answer_steps(answer: Callable[[int | None], Any]) -> list[Step]:
    """The step that keeps the pending request's key and answer in the save's transaction
    (none when no request is pending, or its answer is already kept)."""
    request = _PENDING.get()
    if request is None or request.answered:
        return []

    def keep(cursor: Cursor, positions: Sequence[int]) -> None:
        response = request.respond(answer(positions[-1] if positions else None))
        pending = positions if isinstance(positions, PendingPositions) and positions else None
        # Not yet known: the answer holds the last position's stand-in, which the server
        # replaces in the answer kept (and the entry point in the answer it sends).
        stand_in = (str(pending[-1]), pending.last_in_server) if pending else None
        request.keys.record(cursor, request.tenant, request.key, request.fingerprint,
                            response, stand_in)
        request.answered[:] = [response]
        request.pending = pending

    return [keep]
