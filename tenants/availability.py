"""Which failures mean "the store is unavailable right now" (answer 503, retry shortly)
rather than a fault in the service: a pool with no free connection, a server that does not
answer, a statement or lock wait cut off by its timeout, SQLite busy, out of disk or unable
to read its file. Callers look through the library's wrapping to the driver's error.

A pool that times out says little by itself: its connections may all be busy, or it may be
unable to open any. The pool's connections report each attempt here (`ObservedConnection`),
so a timeout while the latest attempt failed is named for what it is: the database is
unreachable.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from psycopg.rows import DictRow

log = logging.getLogger(__name__)


class _Attempts:
    """Whether the latest attempt of this process to open a database connection failed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.failing: str | None = None  # the latest attempt's error, while failing

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            first, self.failing = self.failing is None, str(exc).strip() or type(exc).__name__
        if first:
            log.warning("cannot connect to the database: %s", self.failing)

    def succeeded(self) -> None:
        with self._lock:
            recovered, self.failing = self.failing is not None, None
        if recovered:
            log.info("connected to the database again")


ATTEMPTS = _Attempts()


class ObservedConnection(psycopg.Connection[DictRow]):
    """The pool's connection class: each attempt to connect is reported to ATTEMPTS."""

    @classmethod
    def connect(cls, *args: Any, **kwargs: Any) -> ObservedConnection:
        try:
            connection = super().connect(*args, **kwargs)
        except psycopg.OperationalError as exc:
            ATTEMPTS.failed(exc)
            raise
        ATTEMPTS.succeeded()
        return connection


# SQLite primary result codes (the low byte of the extended code).
# Seconds a client is told to wait (Retry-After) while the store is unavailable.
RETRY_AFTER_SECONDS = 2

_SQLITE_REASONS = {5: "database-busy", 6: "database-locked", 8: "database-read-only",
                   10: "disk-io-error", 13: "disk-full", 14: "cannot-open-database",
                   15: "database-busy"}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailable_reason(exc: BaseException) -> str | None:
    """A short reason when `exc` (or what it wraps) says the store is unavailable, else None."""
    wrapped = False
    for found in _chain(exc):
        reason = _reason(found)
        if reason is not None:
            return reason
        wrapped = wrapped or isinstance(found, StoreOperationalError | StoreInterfaceError)
    return "database-unavailable" if wrapped else None


def _reason(exc: BaseException) -> str | None:
    if isinstance(exc, psycopg_pool.PoolTimeout):
        return "database-unreachable" if ATTEMPTS.failing is not None else "pool-timeout"
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return "statement-timeout"
    if isinstance(exc, psycopg.errors.LockNotAvailable):
        return "lock-timeout"
    if isinstance(exc, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow):
        return "database-shutting-down"
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return "database-unreachable"
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return None if code is None else _SQLITE_REASONS.get(code & 0xFF)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk-full"
    return None
