"""Faults injected into a running service while clients write: a worker and then the master
killed with -9, the database stopped and started. Afterwards every acknowledged report is in
the log exactly once, the read models equal a rebuild and the chain verifies. Loopback only,
a throwaway PostgreSQL cluster of the suite's own; bounded in time (`./dev faults`)."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from tests.faults.harness import (
    TENANT,
    Cluster,
    Outcome,
    Server,
    Writers,
    free_port,
    open_tasks,
    postgres_bin,
    recorded_keys,
    request,
)

pytestmark = pytest.mark.faults
PAUSE = 3.0  # seconds of writing between faults
FAST = 3.0  # a 503 comes within this (the pool waits one second; two cores, shared)


@dataclass
class Run:
    outcome: Outcome
    recorded: Counter[str]
    differences: list[object]
    chain_ok: bool
    chain_failures: list[str]
    notes: dict[str, object] = field(default_factory=dict)


def _down_answer(server: Server) -> dict[str, object]:
    """What the service says while the database is down."""
    started = time.monotonic()
    status, headers, body = request(server.port, "GET", "/readyz")
    return {"status": status, "retry_after": headers.get("Retry-After"),
            "reason": json.loads(body).get("reason") if body else None,
            "seconds": round(time.monotonic() - started, 2)}


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that no longer exists to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _down_write(server: Server) -> dict[str, object]:
    started = time.monotonic()
    try:
        status, headers, _ = request(
            server.port, "POST", f"/api/v1/tenants/{TENANT}/tasks/9/reports",
            {"period": "2025-Q1", "percent": 1, "narrative": "down"},
            {"Idempotency-Key": "written-while-down"}, timeout=30)
    except TimeoutError:
        return {"status": None, "retry_after": None, "seconds": "over 30"}
    return {"status": status, "retry_after": headers.get("Retry-After"),
            "seconds": round(time.monotonic() - started, 2)}


def _inject_faults(cluster: Cluster, server: Server, notes: dict[str, object]) -> None:
    time.sleep(PAUSE)
    worker = server.worker_pids()[0]
    os.kill(worker, signal.SIGKILL)
    notes["killed_worker"] = worker
    time.sleep(PAUSE)
    cluster.stop("immediate")
    time.sleep(1)
    notes["while_down"] = _down_answer(server)
    notes["write_while_down"] = _down_write(server)
    time.sleep(PAUSE)
    cluster.start()
    deadline, recovered = time.monotonic() + 60, False
    while time.monotonic() < deadline and not recovered:
        recovered = server.status("/readyz") == 200
        time.sleep(0.5)
    notes["recovered_by_itself"] = recovered
    time.sleep(PAUSE)
    orphans = server.worker_pids()
    server.kill_master()
    started = time.monotonic()
    server.start()  # the same port, while the killed master's workers may still hold it
    notes["restarted_after_killed_master"] = True
    notes["restart_seconds"] = round(time.monotonic() - started, 1)
    notes["orphans_left"] = [p for p in orphans if _running(p)]
    time.sleep(PAUSE)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    bindir = postgres_bin()
    if bindir is None:
        pytest.fail("the fault suite needs the PostgreSQL binaries (apt-get install "
                    "postgresql) for a throwaway cluster of its own")
    cluster = Cluster(bindir)
    base = tmp_path_factory.mktemp("faults")
    env = {**os.environ, "R57_DATABASE_URL": cluster.url, "R57_RUN_DIR": str(base),
           "R57_DATA_DIR": str(base / "data"), "PROMETHEUS_MULTIPROC_DIR": str(base / "m")}
    server = Server(env, free_port())
    try:
        server.start()
        notes: dict[str, object] = {}
        with Writers(server.port, open_tasks(server.port, 4)).running() as writers:
            _inject_faults(cluster, server, notes)
        server.stop()
        yield _verify(cluster, writers.outcome, notes, base)
    finally:
        server.stop()
        cluster.destroy()


def _verify(cluster: Cluster, outcome: Outcome, notes: dict[str, object],
            base: Path) -> Run:
    tenancy = build_tenancy(Settings(database_url=cluster.url))
    try:
        app = tenancy.application(TENANT)
        states = [n.state for n in app.recorder.select_notifications(start=1, limit=10**6)]
        integrity = TenantIntegrity(app, base / "data" / "keys")
        report = integrity.verify_live()
        run = Run(outcome, recorded_keys(states), list(tenancy.queries(TENANT).check()),
                  report.ok, [f"{f.position}: {f.reason}" for f in report.failures], notes)
    finally:
        tenancy.close()
    _keep(run)
    return run


def _keep(run: Run) -> None:
    """What happened, for the record: test-artifacts/faults/crashes.json."""
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "crashes.json").write_text(json.dumps({
        "sent": len(run.outcome.sent), "acknowledged": len(run.outcome.acknowledged),
        "statuses": dict(run.outcome.statuses),
        "slowest_503_seconds": round(run.outcome.slowest_unavailable, 2),
        "slowest_answer_seconds": round(run.outcome.slowest, 2),
        "timed_out": run.outcome.timed_out,
        "lost": sum(1 for k in run.outcome.acknowledged if run.recorded[k] == 0),
        "recorded_twice": sum(1 for n in run.recorded.values() if n > 1),
        "server_errors": run.outcome.server_errors[:10], "read_model_differences":
        len(run.differences), "chain_ok": run.chain_ok, **run.notes}, indent=1, default=str))


def test_writes_went_on_through_every_fault(run: Run) -> None:
    assert len(run.outcome.acknowledged) >= 10, run.outcome.statuses
    assert run.notes["recovered_by_itself"], run.notes
    assert run.notes["restarted_after_killed_master"] and run.notes["orphans_left"] == []


def test_no_acknowledged_report_is_lost(run: Run) -> None:
    lost = [k for k in run.outcome.acknowledged if run.recorded[k] == 0]
    assert lost == [], f"{len(lost)} of {len(run.outcome.acknowledged)} acknowledged lost"


def test_no_report_is_recorded_twice(run: Run) -> None:
    twice = {k: n for k, n in run.recorded.items() if n > 1}
    assert twice == {}, f"{len(twice)} keys recorded more than once"


def test_the_read_models_equal_a_rebuild(run: Run) -> None:
    assert run.differences == []


def test_the_chain_verifies(run: Run) -> None:
    assert run.chain_ok, run.chain_failures[:5]


def test_the_unavailable_database_was_answered_503_with_retry_after_never_500(
    run: Run,
) -> None:
    down = run.notes["while_down"]
    assert isinstance(down, dict) and down["status"] == 503 and down["retry_after"], down
    assert run.outcome.unavailable_without_retry_after == 0
    assert run.outcome.server_errors == []


def test_a_write_while_the_database_is_down_is_answered_503_within_about_a_second(
    run: Run,
) -> None:
    """One wait for a pooled connection (a second), never a wait multiplied by retries:
    every 503 the writers met came that fast too."""
    down = run.notes["write_while_down"]
    assert isinstance(down, dict) and down["status"] == 503 and down["retry_after"], down
    assert isinstance(down["seconds"], float) and down["seconds"] < FAST, down
    assert run.outcome.slowest_unavailable < FAST, run.outcome.slowest_unavailable
