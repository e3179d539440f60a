"""A page of a tenant's log as stored: the adapter the event feed needs.

`service.queries.read_events` decodes events into domain objects; a replica needs the
recorded fields exactly, so this reads the stored notifications and only undoes the
mapper's cipher and compression (when configured) before parsing the JSON.

Each entry is checked against what the hash chain recorded for its position: `verified`,
`pending` (not chained yet) or `failed`. A failed entry was changed or slipped in behind
the service: its recorded fields are withheld, never served as if they were history.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from integrity.canonical import Entry, Link, leaf_hash
from integrity.store import IntegrityStore
from service.application import LedgerApplication

VERIFIED, PENDING, FAILED = "verified", "pending", "failed"


@dataclass(frozen=True)
class LoggedEvent:
    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    type: str
    recorded_at: datetime | None
    state: dict[str, Any]
    chain: str
    stored: str | None  # the stored bytes, base64: what a replica copies and hashes


def read_page(app: LedgerApplication, after: int, limit: int) -> tuple[list[LoggedEvent], bool]:
    """Up to `limit` events after a position, and whether more follow."""
    found = app.recorder.select_notifications(start=after, limit=limit + 1,
                                              inclusive_of_start=False)
    page = found[:limit]
    store = IntegrityStore(app.storage.tenant_database(app.slug), app.slug)
    head = store.head().position
    links = _links(store, after, min(page[-1].id, head)) if page else {}
    return [_logged(app, n, _chain_state(n, links.get(n.id), head))
            for n in page], len(found) > limit


def _links(store: IntegrityStore, after: int, upto: int) -> dict[int, Link]:
    found: dict[int, Link] = {}
    while links := store.links_after(after, upto):
        found.update((k.position, k) for k in links)
        after = links[-1].position
    return found


def _chain_state(notification: Notification, link: Link | None, head: int) -> str:
    """How the entry stands against the chain, whose head is at position `head`."""
    if link is None:  # beyond the head: not bound yet; within it: slipped in since
        return PENDING if notification.id > head else FAILED
    entry = Entry(notification.id, UUID(str(notification.originator_id)),
                  notification.originator_version, notification.topic, notification.state)
    return VERIFIED if leaf_hash(entry) == link.leaf_hash else FAILED


def _logged(app: LedgerApplication, notification: Notification, chain: str) -> LoggedEvent:
    state = _state(app, notification) if chain != FAILED else None
    return LoggedEvent(
        position=notification.id,
        originator_id=UUID(str(notification.originator_id)),
        originator_version=notification.originator_version,
        topic=notification.topic,
        type=notification.topic.partition(":")[2],
        recorded_at=_timestamp(state.get("timestamp")) if state else None,
        state=state or {},
        chain=chain if state is not None else FAILED,
        stored=base64.b64encode(notification.state).decode("ascii") if state else None,
    )


def recorded_at(app: LedgerApplication, position: int) -> datetime | None:
    """When the event at `position` was recorded (None: no such event, or unreadable)."""
    found = app.recorder.select_notifications(start=position, limit=1)
    if not found or found[0].id != position:
        return None
    state = _state(app, found[0])
    return _timestamp(state.get("timestamp")) if state else None


def _state(app: LedgerApplication, notification: Notification) -> dict[str, Any] | None:
    """The recorded fields, or None when they do not even decode (a forged entry not yet
    chained)."""
    try:
        data = notification.state
        if app.mapper.cipher is not None:
            data = app.mapper.cipher.decrypt(data)
        if app.mapper.compressor is not None:
            data = app.mapper.compressor.decompress(data)
        state = json.loads(data)
        _timestamp(state.get("timestamp"))
    except (ValueError, TypeError, AttributeError):
        return None
    return state if isinstance(state, dict) else None


def _timestamp(value: Any) -> datetime:
    """The event's timestamp, as the transcoder wrote it ({"_type_", "_data_"})."""
    text = value.get("_data_") if isinstance(value, dict) else value
    return datetime.fromisoformat(str(text))
