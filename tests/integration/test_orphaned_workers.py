"""After `kill -9` of gunicorn's master its workers live on, holding the port. `r57 serve`,
started again, ends those of its own that it recorded (whatever title gunicorn gave them),
then finds the port free; it never ends a server whose master still runs. Real processes
holding a real listening socket on loopback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.orphans import PortTaken, end_orphans, pids_file, record, wait_for_port
from tests.faults.harness import free_port
from tests.messages import english

# A worker: listens on the port, says so, and sleeps; with `stubborn` it ignores SIGTERM
# (a worker busy finishing a request). Gunicorn's workers share the socket the master
# opened; SO_REUSEPORT lets two processes of the test hold the port the same way.
WORKER = """
import signal, socket, sys, time
if sys.argv[2] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen()
print("listening", flush=True)
time.sleep(120)
"""
TITLES = {
    "arguments": None,  # the command line as started: ... server.wsgi:create_app()
    "proc-title": "gunicorn: worker [server.wsgi:create_app()]",  # with setproctitle
}


def _start(port: int, title: str | None, mode: str = "plain") -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", WORKER, str(port), mode, "server.wsgi:create_app()"]
    if title is not None:  # bash's exec -a sets argv[0] as a process title does
        argv = ["bash", "-c", 'exec -a "$0" "$@"', title, sys.executable, "-c", WORKER,
                str(port), mode]
    worker = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None and worker.stdout.readline().strip() == "listening"
    return worker


def _dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.parametrize("title", TITLES)
def test_the_orphans_of_a_killed_master_are_ended_and_the_port_is_free_again(
    title: str, tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    pids = pids_file(tmp_path, f"127.0.0.1:{port}")
    record(pids, _dead_pid(), master=True)  # the master, killed with -9
    for mode in ("plain", "stubborn"):
        started.append(_start(port, TITLES[title], mode))
        record(pids, started[-1].pid)
    with pytest.raises(PortTaken):
        wait_for_port("127.0.0.1", port, 0.5)  # what made the restart fail

    ended = end_orphans(pids, wait=0.5)

    assert sorted(ended) == sorted(p.pid for p in started)
    assert [p.wait(5) for p in started] == [-signal.SIGTERM, -signal.SIGKILL]
    wait_for_port("127.0.0.1", port, 2)
    assert not pids.exists()


def test_a_server_whose_master_runs_is_left_alone(
    tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    port = free_port()
    pids = pids_file(tmp_path, f"127.0.0.1:{port}")
    started.append(_start(port, None))  # stands for the live master here
    record(pids, started[0].pid, master=True)

    with pytest.raises(PortTaken) as taken:
        end_orphans(pids, wait=0.5)
    assert english(taken.value) == (f"r57 serve already runs here (gunicorn master "
                                    f"{started[0].pid}); stop it first.")

    time.sleep(0.2)
    assert started[0].poll() is None
