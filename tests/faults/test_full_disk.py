"""The disk fills up under the embedded store while clients write: writes (and reads that
must first bring the read models up to date) are answered 503 with Retry-After, never 500,
while it is full, and once space is freed the writes are acknowledged, each recorded once,
with read models and chain intact. Needs a small tmpfs: where mounting is not permitted the
case says so and is skipped."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from tests.faults.harness import (
    TENANT,
    Server,
    Writers,
    free_port,
    open_tasks,
    recorded_keys,
    request,
)

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    mount = tmp_path_factory.mktemp("small-disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here, so the full-disk case is not "
                    f"run: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_answers_503_and_loses_nothing_once_space_is_freed(
    disk: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "R57_DATA_DIR": str(disk / "data"), "R57_RUN_DIR": str(tmp_path),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "m")}
    env.pop("R57_DATABASE_URL", None)
    server = Server(env, free_port())
    try:
        server.start()
        tasks = open_tasks(server.port, 2)
        filler = fill(disk)
        writers = Writers(server.port, tasks)
        with writers.running():
            time.sleep(3)
            while_full = dict(writers.outcome.statuses)
            # A read first brings the read models up to date, which writes: 503 too, or 200.
            read = request(server.port, "GET", f"/api/v1/tenants/{TENANT}/summary")[0]
            assert read in (200, 503)
            filler.unlink()
            time.sleep(4)
    finally:
        server.stop()
    outcome = writers.outcome
    assert while_full.get(503, 0) > 0 and 201 not in while_full, while_full
    assert outcome.server_errors == [] and outcome.unavailable_without_retry_after == 0
    assert len(outcome.acknowledged) > 0, outcome.statuses
    tenancy = build_tenancy(Settings(database_url=f"sqlite:///{disk / 'data'}"))
    try:
        app = tenancy.application(TENANT)
        recorded = recorded_keys([n.state for n in
                                  app.recorder.select_notifications(start=1, limit=10**6)])
        assert [k for k in outcome.acknowledged if recorded[k] != 1] == []
        assert tenancy.queries(TENANT).check() == []
        assert TenantIntegrity(app).verify_live().ok
    finally:
        tenancy.close()
