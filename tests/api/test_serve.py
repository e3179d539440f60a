"""`r57 serve`: the demo tenant, the gunicorn command line, and a real gunicorn run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from domain.access import Role
from domain.policy import Grant
from server import gunicorn_conf
from server.serve import (
    DEMO_PRINCIPALS,
    demo_token,
    ensure_demo,
    ensure_demo_principals,
    gunicorn_argv,
)
from service.tenancy import Tenancy

DOST_TOKEN = demo_token("demodost", "demo-only-tenant-admin")


def test_the_demo_tenant_is_made_once_with_the_seed_plan_and_its_history(
    tenancy: Tenancy,
) -> None:
    assert ensure_demo(tenancy).built
    assert not ensure_demo(tenancy).built
    (demo,) = tenancy.registry.list()
    assert demo.slug == "demo" and demo.simulated
    # the seed's 60 tasks, the one the simulated history adds in group VIII and the one its
    # amending decision (468/QĐ-UBND) adds
    tasks = tenancy.queries("demo").status(tenancy.clock.today())
    assert len(tasks) == 62


def test_the_demo_principals_are_made_once_one_per_role_with_their_documented_tokens(
    tenancy: Tenancy,
) -> None:
    ensure_demo(tenancy)
    first = ensure_demo_principals(tenancy)
    position = tenancy.access.app.recorder.max_notification_id()
    assert ensure_demo_principals(tenancy) == first
    assert tenancy.access.app.recorder.max_notification_id() == position
    assert {role for _, role, _ in first} == set(Role)
    for name, role, token in first:
        view = tenancy.access.authenticate(token)
        assert view is not None and view.name == name
        assert {g.role for g in view.grants} == {role}
    reporter = tenancy.access.principal("demo.reporter")
    assert reporter.grants == {Grant(Role.AGENCY_REPORTER, "demo", "so khoa hoc va cong nghe")}
    readme = (Path(__file__).resolve().parents[2] / "api" / "README.md").read_text("utf-8")
    for name, _, _, token_id, secret in DEMO_PRINCIPALS:
        assert name in readme and demo_token(token_id, secret) in readme


def test_gunicorn_runs_the_factory_with_our_configuration_and_no_preload() -> None:
    argv = gunicorn_argv("127.0.0.1", 8057, 3)
    assert argv[-1] == "server.wsgi:create_app()"
    assert argv[argv.index("--config") + 1] == "python:server.gunicorn_conf"
    assert argv[argv.index("--workers") + 1] == "3"
    assert gunicorn_conf.preload_app is False
    assert gunicorn_conf.worker_class == "gthread" and gunicorn_conf.timeout > 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


def test_r57_serve_migrates_loads_the_demo_and_serves_it_through_gunicorn(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {**os.environ, "R57_DATA_DIR": str(tmp_path / "data"),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    env.pop("R57_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
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
        _, body = _get(f"http://127.0.0.1:{port}/api/v1/tenants/demo/status", DOST_TOKEN)
        assert len(json.loads(body)["tasks"]) == 62  # 60, and two the story adds
        with pytest.raises(urllib.error.HTTPError) as anonymous:
            _get(f"http://127.0.0.1:{port}/api/v1/tenants/demo/status")
        assert anonymous.value.code == 401
        anonymous.value.close()
        _, metrics = _get(f"http://127.0.0.1:{port}/metrics")
        assert b'route="/api/v1/tenants/<tenant>/status",status="200"' in metrics
    finally:
        server.terminate()
        printed, errors = server.communicate(timeout=30)
    assert DOST_TOKEN in printed.decode()
    first = json.loads(errors.decode().splitlines()[0])
    assert first["logger"] == "gunicorn.error"
