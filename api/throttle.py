"""Failed authentications counted per key (a client address, a token id) in a time window.

The counts live in this process's memory: each gunicorn worker keeps its own, so a client
may make up to `limit` failed attempts per worker in a window. Memory stays bounded: each
key keeps at most `limit` timestamps, and past `max_keys` keys the least recently failing
key is forgotten.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class FailureThrottle:
    def __init__(self, limit: int = 10, window_seconds: float = 300.0,
                 max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until every key may try again; None when none of them is refused."""
        now = self._clock()
        waits = []
        with self._lock:
            for key in keys:
                failures = self._failures.get(key)
                if failures is not None and len(failures) >= self.limit:
                    wait = failures[0] + self.window - now  # the oldest failure ages out
                    if wait > 0:
                        waits.append(wait)
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                failures = self._failures.pop(key, None) or deque(maxlen=self.limit)
                while failures and failures[0] <= now - self.window:
                    failures.popleft()
                failures.append(now)
                self._failures[key] = failures  # the most recent failures at the end
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._failures)
