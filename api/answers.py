"""Answers kept by the read models' position: a read repeated at the same log position
(same tenant, same question) sends the body the response schema dumped the first time.

A key holds the tenant, the position the read models stood at and every input that shapes
the answer (the judging date, as known at, as effective on, the plan); a write moves the
position, so a kept answer is never served after it. The guard judges who may ask on every
request before a key is looked up: a tenant's answers are the same for everyone allowed
to read them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from api.operation import Serialised

KEPT = 128  # answers kept per process, the least recently used dropped first


class AnswerCache:
    def __init__(self, size: int = KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, Serialised] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, key: Hashable, make: Callable[[], Serialised]) -> Serialised:
        """The answer kept under `key`, or the one `make` serialises (then kept)."""
        with self._lock:
            body = self._kept.get(key)
            if body is not None:
                self._kept.move_to_end(key)
                return body
        body = make()  # outside the lock: another key's reader need not wait for it
        with self._lock:
            self._kept[key] = body
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return body
