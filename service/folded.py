"""Items a process has folded already, kept so that its next command about one of them
decodes and folds only the events recorded since.

An item is taken out to be used and given back only once a command has saved it (or used
it unchanged): two requests of one process never share a mutable item, and an item a
failed command may have half changed is never seen again. What is kept is a cache, never
the record: every load still reads the events after the kept version, so a write by
another process is seen at once, and conflicts are still refused by the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

# Items kept per tenant application, the least recently used dropped first (a province's
# plans hold some hundreds of tasks, indicators and agencies).
KEPT_ITEMS = 1000


@dataclass
class Folded:
    """An item at its version, with the stored state of its last event when known (a load
    checks that this event is still the one stored: a history restored behind the process
    is folded again from the start)."""

    aggregate: Any
    last_state: bytes | None

    @property
    def version(self) -> int:
        version: int = self.aggregate.version
        return version


class FoldedItems:
    """The folded items of one tenant application, least recently used dropped first."""

    def __init__(self, size: int = KEPT_ITEMS) -> None:
        self._size = size
        self._items: OrderedDict[UUID, Folded] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, item: UUID) -> Folded | None:
        """The kept item, now the caller's alone (None: not kept)."""
        with self._lock:
            return self._items.pop(item, None)

    def give(self, folded: Folded) -> None:
        """Keep an item saved or read by a command that succeeded, unless a later version of
        it was given meanwhile."""
        item: UUID = folded.aggregate.id
        with self._lock:
            kept = self._items.pop(item, None)
            self._items[item] = (kept if kept is not None and kept.version > folded.version
                                 else folded)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
