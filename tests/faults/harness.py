"""What the fault-injection suite drives: a throwaway PostgreSQL cluster of its own (never
the shared server), `r57 serve` as a real gunicorn on loopback, and clients that write
progress reports with idempotency keys, retrying as a careful client does."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from server.serve import demo_token

TOKEN = demo_token("demodost", "demo-only-tenant-admin")
TENANT = "demo"
# A writer gives up waiting after this and sends the key again, while the first request
# may still be running: the service must record the report once all the same.
CLIENT_TIMEOUT = 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on a port of its own: the suite stops
    and starts it at will."""

    def __init__(self, bindir: Path) -> None:
        self.bindir, self.port = bindir, free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="r57-faults-pg-"))
        self._as: list[str] = []
        if os.getuid() == 0:  # initdb refuses root: run the cluster as postgres
            shutil.chown(self.dir, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
                  "--no-sync")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as, str(self.bindir / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off -c max_connections=60", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """`r57 serve` on loopback; its gunicorn master is the process started here."""

    def __init__(self, env: dict[str, str], port: int, workers: int = 2) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(env["R57_RUN_DIR"]) / "serve.log"

    def start(self, ready_within: float = 120) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)], env=self.env, stdout=log, stderr=log)
        # Ready once its own workers answer: after a killed master, the orphans it left
        # may still answer /readyz until the new `r57 serve` has ended them.
        deadline = time.monotonic() + ready_within
        while not (self.worker_pids() and self.status("/readyz") == 200):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"r57 serve did not become ready; see {self.log}")
            time.sleep(0.3)

    def status(self, path: str) -> int | None:
        try:
            return request(self.port, "GET", path)[0]
        except OSError:
            return None

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill_master(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(port: int, method: str, path: str, body: dict[str, object] | None = None,
            headers: dict[str, str] | None = None,
            timeout: float = 15) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None,
                           {"Authorization": f"Bearer {TOKEN}",
                            "Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass
class Outcome:
    acknowledged: set[str] = field(default_factory=set)  # keys answered 201 or 200
    sent: set[str] = field(default_factory=set)  # every key sent at least once
    statuses: Counter[int] = field(default_factory=Counter)
    unavailable_without_retry_after: int = 0
    server_errors: list[str] = field(default_factory=list)
    slowest_unavailable: float = 0.0  # seconds the slowest 503 took to come
    slowest: float = 0.0  # seconds the slowest answer of any kind took
    timed_out: int = 0  # requests not answered within the client's timeout


def open_tasks(port: int, count: int) -> list[str]:
    """Tasks of the demo that take reports now (its story completes and cancels some)."""
    status, _, data = request(port, "GET", f"/api/v1/tenants/{TENANT}/status")
    assert status == 200, data[:200]
    found = [t["number"] for t in json.loads(data)["tasks"] if t["state"] == "open"]
    assert len(found) >= count, f"the demo has {len(found)} open tasks, {count} needed"
    return found[:count]


class Writers:
    """Threads each reporting on a task of its own, one idempotency key per report, retrying
    a key (same body) after a dropped connection, a 503 or a 409 until it is answered."""

    def __init__(self, port: int, tasks: list[str]) -> None:
        self.port, self.tasks = port, tasks
        self.outcome = Outcome()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write, args=(t,), daemon=True)
                         for t in tasks]

    def _write(self, task: str) -> None:
        while not self._stop.is_set():
            key = uuid.uuid4().hex
            body = {"period": "2025-Q1", "percent": 50, "narrative": f"fault-key {key}"}
            with self._lock:
                self.outcome.sent.add(key)
            give_up = None
            while give_up is None or time.monotonic() < give_up:
                if self._stop.is_set() and give_up is None:
                    give_up = time.monotonic() + 20  # finish the key in hand, briefly
                if self._send(task, key, body):
                    break
                time.sleep(0.2)

    def _send(self, task: str, key: str, body: dict[str, object]) -> bool:
        started = time.monotonic()
        try:
            status, headers, data = request(self.port, "POST",
                                            f"/api/v1/tenants/{TENANT}/tasks/{task}/reports",
                                            body, {"Idempotency-Key": key}, CLIENT_TIMEOUT)
        except TimeoutError:
            with self._lock:
                self.outcome.timed_out += 1
            return False
        except OSError:
            return False
        took = time.monotonic() - started
        with self._lock:
            self.outcome.statuses[status] += 1
            self.outcome.slowest = max(self.outcome.slowest, took)
            if status == 503:
                self.outcome.slowest_unavailable = max(self.outcome.slowest_unavailable, took)
                if "Retry-After" not in headers:
                    self.outcome.unavailable_without_retry_after += 1
            if status >= 500 and status != 503:
                self.outcome.server_errors.append(f"{status} {data[:200]!r}")
            if status in (200, 201):
                self.outcome.acknowledged.add(key)
        return status in (200, 201) or (400 <= status < 500 and status != 409)

    @contextmanager
    def running(self) -> Iterator[Writers]:
        for thread in self._threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in self._threads:
                thread.join(60)


def recorded_keys(states: list[bytes]) -> Counter[str]:
    """How often each key's report is in the log (each event's stored JSON)."""
    found: Counter[str] = Counter()
    for state in states:
        text = state.decode("utf-8", "replace")
        start = text.find("fault-key ")
        if start >= 0:
            found[text[start + 10:start + 42]] += 1
    return found
