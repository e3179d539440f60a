"""`r57 serve`: the demo tenant, the gunicorn command line, and a real gunicorn run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from service import gunicorn_conf
from service.serve import ensure_demo, gunicorn_argv
from service.tenancy import Tenancy


def test_the_demo_tenant_is_made_once_with_the_seed_plan(tenancy: Tenancy) -> None:
    ensure_demo(tenancy)
    ensure_demo(tenancy)
    (demo,) = tenancy.registry.list()
    assert demo.slug == "demo"
    assert len(tenancy.ledger("demo").plan().task_numbers) == 60


def test_gunicorn_runs_the_factory_with_our_configuration_and_no_preload() -> None:
    argv = gunicorn_argv("127.0.0.1", 8057, 3)
    assert argv[-1] == "service.wsgi:create_app()"
    assert argv[argv.index("--config") + 1] == "python:service.gunicorn_conf"
    assert argv[argv.index("--workers") + 1] == "3"
    assert gunicorn_conf.preload_app is False
    assert gunicorn_conf.worker_class == "gthread" and gunicorn_conf.timeout > 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_r57_serve_migrates_loads_the_demo_and_serves_it_through_gunicorn(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {**os.environ, "R57_DATA_DIR": str(tmp_path / "data"),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    env.pop("R57_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not become ready")
                time.sleep(0.2)
        assert status == 200
        _, body = _get(f"http://127.0.0.1:{port}/api/v1/tenants/demo/status")
        assert len(json.loads(body)["tasks"]) == 60
        _, metrics = _get(f"http://127.0.0.1:{port}/metrics")
        assert b'route="/api/v1/tenants/<tenant>/status",status="200"' in metrics
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    first = json.loads(errors.decode().splitlines()[0])
    assert first["logger"] == "gunicorn.error"
