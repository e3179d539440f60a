"""After `kill -9` of gunicorn's master its workers live on, holding the listening socket
until they notice and finish their requests. `r57 serve` records the master's and the
workers' process ids per address (`pids_file`); before starting again it ends those of its
own processes that outlived their master (SIGTERM, then SIGKILL), then waits until the port
is free, instead of exiting with "Connection in use" and leaving nothing listening."""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from domain.errors import DomainError

log = logging.getLogger(__name__)
# What our gunicorn processes' command lines hold: at the end of the arguments, or within
# the title gunicorn gives them when setproctitle is installed ("gunicorn: worker [...]").
OURS = b"server.wsgi:create_app()"


class PortTaken(DomainError):
    """Another process (not an orphan of ours) listens on the address."""


def run_dir(env: Mapping[str, str]) -> Path:
    """$R57_RUN_DIR, else $XDG_RUNTIME_DIR/r57-plan-ledger, else a per-user temp folder."""
    if env.get("R57_RUN_DIR"):
        return Path(env["R57_RUN_DIR"])
    if env.get("XDG_RUNTIME_DIR"):
        return Path(env["XDG_RUNTIME_DIR"]) / "r57-plan-ledger"
    return Path(tempfile.gettempdir()) / f"r57-plan-ledger-{os.getuid()}"


def pids_file(directory: Path, bind: str) -> Path:
    safe = "".join(ch if ch.isalnum() else "-" for ch in bind)
    return directory / f"gunicorn-{safe}.pids"


def record(path: Path, pid: int, *, master: bool = False) -> None:
    """The master truncates the file with its own id; each worker appends its id."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("w" if master else "a", encoding="ascii") as out:
        out.write(f"{pid}\n")


def _ours(pid: int) -> bool:
    try:
        return OURS in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def end_orphans(path: Path, wait: float = 5.0,
                alive: Callable[[int], bool] = _ours) -> list[int]:
    """End the recorded workers that outlived their master; returns their ids. Refuses when
    the recorded master still runs: that server is not orphaned, it is serving."""
    try:
        pids = [int(line) for line in path.read_text("ascii").split()]
    except (OSError, ValueError):
        return []
    if not pids:
        return []
    master, workers = pids[0], pids[1:]
    if alive(master):
        raise PortTaken("serve.already_running", field="port", master=master)
    orphans = [pid for pid in workers if alive(pid)]
    for sig, grace in ((signal.SIGTERM, wait), (signal.SIGKILL, wait)):
        for pid in orphans:
            _signal(pid, sig)
        deadline = time.monotonic() + grace
        while (orphans := [p for p in orphans if alive(p)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not orphans:
            break
    if workers:
        log.warning("ended %d orphaned workers of a killed master: %s", len(workers), workers)
    path.unlink(missing_ok=True)
    return workers


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def wait_for_port(host: str, port: int, timeout: float) -> None:
    """Return once (host, port) can be bound; PortTaken if it stays taken for `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
                return
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE or time.monotonic() >= deadline:
                    raise PortTaken("serve.port_in_use", field="port", host=host,
                                    port=port) from None
        time.sleep(0.25)
