"""What reads of a tenant need to know about its log's integrity: whether its latest live
verification failed. Fetched at most every few seconds per tenant and process, so a read
pays for it rarely; a verification (periodic, or `r57 verify --live`) updates it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from integrity.findings import Finding, FindingsStore
from tenants.storage import TenantStorage


class IntegrityWatch:
    def __init__(self, storage: TenantStorage, ttl: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.storage, self.ttl, self.clock = storage, ttl, clock
        self._seen: dict[str, tuple[float, Finding | None]] = {}
        self._lock = threading.Lock()

    def failed(self, slug: str) -> Finding | None:
        """The tenant's latest finding when it is a failure; None when it verified (or was
        never verified)."""
        now = self.clock()
        with self._lock:
            seen = self._seen.get(slug)
        if seen is None or now - seen[0] >= self.ttl:
            finding = FindingsStore(self.storage.tenant_database(slug), slug).latest()
            seen = (now, finding if finding is not None and not finding.ok else None)
            with self._lock:
                self._seen[slug] = seen
        return seen[1]

    def forget(self, slug: str) -> None:
        """Ask again at the next read: a new finding was just recorded."""
        with self._lock:
            self._seen.pop(slug, None)
