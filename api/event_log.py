"""A page of a tenant's log as stored: the adapter the event feed needs.

`service.queries.read_events` decodes events into domain objects; a replica needs the
recorded fields exactly, so this reads the stored notifications and only undoes the
mapper's cipher and compression (when configured) before parsing the JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from service.application import LedgerApplication


@dataclass(frozen=True)
class LoggedEvent:
    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    type: str
    recorded_at: datetime
    state: dict[str, Any]


def read_page(app: LedgerApplication, after: int, limit: int) -> tuple[list[LoggedEvent], bool]:
    """Up to `limit` events after a position, and whether more follow."""
    found = app.recorder.select_notifications(start=after, limit=limit + 1,
                                              inclusive_of_start=False)
    return [_logged(app, n) for n in found[:limit]], len(found) > limit


def _logged(app: LedgerApplication, notification: Notification) -> LoggedEvent:
    data = notification.state
    if app.mapper.cipher is not None:
        data = app.mapper.cipher.decrypt(data)
    if app.mapper.compressor is not None:
        data = app.mapper.compressor.decompress(data)
    state: dict[str, Any] = json.loads(data)
    return LoggedEvent(
        position=notification.id,
        originator_id=UUID(str(notification.originator_id)),
        originator_version=notification.originator_version,
        topic=notification.topic,
        type=notification.topic.partition(":")[2],
        recorded_at=_timestamp(state.get("timestamp")),
        state=state,
    )


def _timestamp(value: Any) -> datetime:
    """The event's timestamp, as the transcoder wrote it ({"_type_", "_data_"})."""
    text = value.get("_data_") if isinstance(value, dict) else value
    return datetime.fromisoformat(str(text))
