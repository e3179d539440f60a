"""Writers to one SQLite file wait their turn in line, not in SQLite's busy handler.

SQLite lets one writer into a file at a time and makes the others retry after sleeps that
grow to 100 ms, so under contention from several processes a writer may sleep long after
the file came free while a newer arrival takes it. Here a writer first takes the file's
turn: a lock per file within the process, then an OS lock (`flock`) on a file beside it
across processes; both are blocking waits that end as soon as the holder lets go, so the
file's writers follow one another without idle gaps. The turn only orders writers: SQLite's
own locking still decides what is safe, so a writer that cannot open the lock file (a full
or read-only disk) writes without it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The waiting limit of a writer, as SQLite's busy timeout (the same error when it runs out).
DEFAULT_TIMEOUT = 10.0


class WriteTurn:
    """The turn of the writers of one SQLite file, in this process."""

    def __init__(self, database: Path) -> None:
        self.lock_path = database.with_name(database.name + ".lock")
        # A plain lock, released by whichever thread ends the turn (see _lock_file); `_owner`
        # lets a writer's nested write keep the turn it holds.
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._fd: int | None = None

    @contextmanager
    def held(self, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
        """Wait for the file's turn (at most `timeout` seconds), hold it for the block."""
        me = threading.get_ident()
        if self._owner == me:
            yield
            return
        deadline = time.monotonic() + timeout
        if not self._mutex.acquire(timeout=timeout):
            raise _busy()
        try:
            locked = self._lock_file(deadline)
        except BaseException:
            self._mutex.release()
            raise
        if locked is None:  # given up: the waiting thread ends the turn once it has come
            raise _busy()
        self._owner = me
        try:
            yield
        finally:
            self._owner = None
            if locked:
                assert self._fd is not None
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._mutex.release()

    def _lock_file(self, deadline: float) -> bool | None:
        """Take the lock file: True, False when there is no lock file to take, None when
        the deadline passed first. Called holding the mutex."""
        fd = self._open()
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        except OSError:  # a file system without locks: SQLite's own locking alone
            return False
        # Contended: the blocking wait runs in a thread of its own so that the writer can
        # stop waiting at its deadline. A wait given up keeps the mutex until the lock it
        # was still to get has come and been let go, so no other writer of this process
        # takes the turn meanwhile.
        decided = threading.Lock()
        state: dict[str, bool | None] = {"taken": None, "given_up": False}
        came = threading.Event()

        def wait() -> None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                taken = True
            except OSError:
                taken = False
            with decided:
                state["taken"] = taken
                abandoned = state["given_up"]
            came.set()
            if abandoned:
                if taken:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                self._mutex.release()

        threading.Thread(target=wait, name="r57-write-turn", daemon=True).start()
        came.wait(max(0.0, deadline - time.monotonic()))
        with decided:
            state["given_up"] = state["taken"] is None
            return state["taken"]

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
