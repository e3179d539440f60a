"""Writers to one SQLite file wait their turn in line, not in SQLite's busy handler.

SQLite lets one writer into a file at a time and makes the others retry after sleeps that
grow to 100 ms, so under contention from several processes a writer may sleep long after
the file came free while a newer arrival takes it. Here a writer first takes the file's
turn: a lock per file within the process, then an OS lock (`flock`) on a file beside it
across processes; both are blocking waits that end as soon as the holder lets go, so the
file's writers follow one another without idle gaps. The turn only orders writers: SQLite's
own locking still decides what is safe, so a writer that cannot open or lock the lock file
(a full or read-only disk, a file system without locks) writes without it.

The wait within the process is bounded by the writer's timeout; the wait across processes
is not, so that it ends in the kernel the moment the lock is let go, without a thread of
its own or a wake-up through Python: the holder lets go when its transaction ends (its
statements are bounded by SQLite's busy timeout) or when its process ends, killed or not.
Only a holder process that is stopped (SIGSTOP, a debugger) keeps the others waiting.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How long a writer waits behind another of its process: as SQLite's busy timeout, with its error.
DEFAULT_TIMEOUT = 10.0


class WriteTurn:
    """The turn of the writers of one SQLite file, in this process."""

    def __init__(self, database: Path) -> None:
        self.lock_path = database.with_name(database.name + ".lock")
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._fd: int | None = None

    @contextmanager
    def held(self, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
        """Wait for the file's turn, hold it for the block. Another writer of this process
        holding it longer than `timeout` seconds: SQLite's busy error."""
        me = threading.get_ident()
        if self._owner == me:  # a writer's nested write keeps the turn it holds
            yield
            return
        if not self._mutex.acquire(timeout=timeout):
            raise _busy()
        try:
            locked = self._lock_file()
        except BaseException:
            self._mutex.release()
            raise
        self._owner = me
        try:
            yield
        finally:
            self._owner = None
            if locked:
                assert self._fd is not None
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._mutex.release()

    def _lock_file(self) -> bool:
        """Take the lock file (False: there is none to take). Called holding the mutex."""
        fd = self._open()
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: SQLite's own locking alone
            return False
        return True

    def _open(self) -> int | None:
        if self._fd is None:
            try:
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                return None
        return self._fd

    def forget(self) -> None:
        """In a forked child: the parent's descriptor shares the parent's lock."""
        if self._fd is not None:
            os.close(self._fd)
        self._fd = None


def _busy() -> sqlite3.OperationalError:
    """SQLite's own error when its busy timeout runs out (SQLITE_BUSY, 503 database-busy)."""
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY
    error.sqlite_errorname = "SQLITE_BUSY"
    return error


_turns: dict[str, WriteTurn] = {}
_turns_lock = threading.Lock()


def write_turn(database: Path | str) -> WriteTurn:
    """The one turn of `database`'s writers in this process."""
    key = os.path.abspath(database)
    with _turns_lock:
        turn = _turns.get(key)
        if turn is None:
            turn = _turns[key] = WriteTurn(Path(key))
        return turn


def _after_fork() -> None:
    global _turns_lock  # noqa: PLW0603 - the parent's may have been held at the fork
    _turns_lock = threading.Lock()
    for turn in _turns.values():
        turn.forget()
    _turns.clear()


os.register_at_fork(after_in_child=_after_fork)
