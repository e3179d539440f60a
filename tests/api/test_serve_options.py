"""`r57 serve --no-demo` and `--checkpoint-every`: what reaches gunicorn, and a real run
in which the master's checkpointer signs checkpoints."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn

import pytest

from cli.main import main
from domain.errors import NotFound
from server import gunicorn_conf
from server.serve import CHECKPOINT_EVERY, CHECKPOINT_KEY_DIR, start_checkpointer
from service.commands import Context, RegisterAgency
from service.config import Settings
from service.container import build_tenancy
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.api.test_serve import _free_port, _get


class Execed(Exception):
    pass


@pytest.fixture
def execv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[str]]:
    """Stops `serve` where it would become gunicorn; its environment is restored after."""
    calls: list[list[str]] = []

    def fake(path: str, argv: list[str]) -> NoReturn:
        calls.append(argv)
        raise Execed

    monkeypatch.setattr(os, "execv", fake)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.setenv(CHECKPOINT_EVERY, "")
    monkeypatch.setenv(CHECKPOINT_KEY_DIR, "")
    return calls


def test_no_demo_makes_neither_the_demo_tenant_nor_its_principals(
    execv: list[list[str]], settings: Settings, tenancy: Tenancy
) -> None:
    with pytest.raises(Execed):
        main(["serve", "--no-demo", "--port", "8099"], settings)
    assert execv[0][execv[0].index("--bind") + 1] == "127.0.0.1:8099"
    assert tenancy.registry.list(include_archived=True) == []
    with pytest.raises(NotFound):
        tenancy.access.principal("demo.dost")
    assert not os.environ[CHECKPOINT_EVERY]


def test_by_default_serve_still_loads_the_demo(
    execv: list[list[str]], settings: Settings, tenancy: Tenancy,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(Execed):
        main(["serve"], settings)
    assert [t.slug for t in tenancy.registry.list()] == ["demo"]
    assert "r57_demodost_demo-only-tenant-admin" in capsys.readouterr().out


def test_checkpoint_every_is_handed_to_the_master_with_its_key_directory(
    execv: list[list[str]], settings: Settings, tmp_path: Path,
) -> None:
    with pytest.raises(Execed):
        main(["serve", "--no-demo", "--checkpoint-every", "90",
              "--key-dir", str(tmp_path / "keys")], settings)
    assert float(os.environ[CHECKPOINT_EVERY]) == 90
    assert os.environ[CHECKPOINT_KEY_DIR] == str((tmp_path / "keys").resolve())
    with pytest.raises(SystemExit):
        main(["serve", "--checkpoint-every", "0"], settings)


def test_on_postgres_checkpoint_every_needs_a_key_directory(
    execv: list[list[str]], postgres_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings(database_url=postgres_url)
    assert main(["serve", "--no-demo", "--checkpoint-every", "60"], settings) == 1
    assert "--key-dir" in capsys.readouterr().err
    assert execv == [] and not os.environ[CHECKPOINT_EVERY]


def test_without_checkpoint_every_the_master_starts_no_checkpointer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(CHECKPOINT_EVERY, raising=False)
    assert start_checkpointer() is None
    assert callable(gunicorn_conf.on_exit)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().rstrip("\0").split("\0")
    except OSError:
        return []


def test_the_gunicorn_master_runs_one_checkpointer_that_signs_periodically(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    tenancy = build_tenancy(Settings(database_url=f"sqlite:///{data}"))
    try:
        tenancy.create_tenant("quang-nam", "Quảng Nam", "49")
        tenancy.ledger("quang-nam", for_writing=True).handle(RegisterAgency(
            name="Sở Y tế"), Context("t"))
    finally:
        tenancy.close()
    port = _free_port()
    env = {**os.environ, "R57_DATA_DIR": str(data),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    for name in ("R57_DATABASE_URL", CHECKPOINT_EVERY, CHECKPOINT_KEY_DIR):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--no-demo", "--port", str(port),
         "--workers", "2", "--checkpoint-every", "0.5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    checkpointers: list[int] = []
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
        signed: list[tuple[str, str]] = []
        deadline = time.monotonic() + 30  # from readiness: a slow start takes none of it
        while not signed and time.monotonic() < deadline:
            time.sleep(0.3)
            reader = build_tenancy(Settings(database_url=f"sqlite:///{data}"), migrate=False)
            try:
                signed = TenantIntegrity(reader.application("quang-nam")).store.checkpoints()
            finally:
                reader.close()
        assert signed, "no checkpoint was signed"
        if Path("/proc").is_dir():
            checkpointers = [pid for pid in _children(server.pid)
                             if _cmdline(pid)[-2:] == ["server.serve", "checkpoints"]]
            assert len(checkpointers) == 1  # the master's one, none in the workers
    finally:
        server.terminate()
        printed, errors = server.communicate(timeout=30)
    assert "demo" not in printed.decode()
    assert "Traceback" not in errors.decode()
    for pid in checkpointers:
        assert not Path(f"/proc/{pid}").exists(), "the checkpointer outlived the master"
