"""`r57 serve`: migrate, make sure the demo tenant holds the seed plan and the demo
principals exist (unless `--no-demo`), then exec gunicorn.

With `--checkpoint-every`, gunicorn's master starts one checkpointer process (`python -m
server.serve checkpoints`) that runs `PeriodicCheckpoints`. Not a thread in the master: the
master forks workers for as long as it runs, and a fork taken while that thread holds a lock
(SQLite's, the logging module's) would leave the new worker waiting on it forever. With
`--replicate-every`, a replicator process (`python -m server.serve replicas`) likewise syncs
every replica of another deployment's tenant (service/replication.py).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, NoReturn

import service
from domain.access import Role
from domain.errors import NotFound
from domain.policy import Grant
from server.orphans import end_orphans, pids_file, run_dir, wait_for_port
from service.config import Settings
from service.container import build_tenancy
from service.demo import DemoResult, build_demo
from service.integrity import IntegrityRefused, PeriodicCheckpoints, default_key_dir
from service.replication import PeriodicReplication, Replicator
from service.tenancy import Tenancy

# How `r57 serve` tells gunicorn's master to start the checkpointer; gunicorn run directly
# honours them too.
CHECKPOINT_EVERY = "R57_CHECKPOINT_EVERY"
CHECKPOINT_KEY_DIR = "R57_CHECKPOINT_KEY_DIR"
REMINDERS_EVERY = "R57_REMINDERS_EVERY_SECONDS"
REPLICATE_EVERY = "R57_REPLICATE_EVERY"  # the replicator: sync every replica this often

GRACEFUL_TIMEOUT = 30  # gunicorn's: how long a worker may finish its requests at shutdown
# The seed plan ships as data of the service package (pyproject.toml, package-data).
SEED_PLAN = Path(service.__file__).parent / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
DEMO_SLUG = "demo"
DEMO_ACTOR = "system:serve"
DEMO_AGENCY = "Sở Khoa học và Công nghệ"
# One principal per role, each with a fixed token documented in api/README.md. They are
# published, so they only ever exist where `r57 serve` loads the demo.
DEMO_PRINCIPALS: tuple[tuple[str, str, Role, str, str], ...] = (
    # name, display name, role, token id, secret
    ("demo.admin", "Quản trị hệ thống (tài khoản mẫu)", Role.SYSTEM_ADMIN, "demoadmin",
     "demo-only-system-admin"),
    ("demo.dost", "Cán bộ Sở KH&CN, cơ quan thường trực (tài khoản mẫu)", Role.TENANT_ADMIN,
     "demodost", "demo-only-tenant-admin"),
    ("demo.reporter", "Cán bộ báo cáo của Sở KH&CN (tài khoản mẫu)", Role.AGENCY_REPORTER,
     "demoreporter", "demo-only-agency-reporter"),
    ("demo.auditor", "Kiểm toán viên (tài khoản mẫu)", Role.AUDITOR, "demoauditor",
     "demo-only-auditor"),
    ("demo.inspector", "Thanh tra viên (tài khoản mẫu)", Role.INSPECTOR, "demoinspector",
     "demo-only-inspector"),
    ("demo.national", "Giám sát cấp quốc gia (tài khoản mẫu)", Role.NATIONAL_MONITOR,
     "demonational", "demo-only-national-monitor"),
)


def demo_token(token_id: str, secret: str) -> str:
    return f"r57_{token_id}_{secret}"


def ensure_demo(tenancy: Tenancy) -> DemoResult:
    """Create tenant 'demo', flagged simulated, with the seed plan and its simulated history
    (service/seed/demo-history.json) recorded at its dates; a tenant already there is left
    as it is."""
    return build_demo(tenancy)


def print_demo(result: DemoResult) -> None:
    if result.built:
        print(f"Demo tenant '{result.slug}' built: plan 1534/KH-UBND with {result.recorded} "
              f"simulated commands recorded at their dates ({result.seconds:.1f} s). "
              "Dữ liệu mô phỏng để trình diễn.")


def ensure_demo_principals(tenancy: Tenancy) -> list[tuple[str, Role, str]]:
    """The demo principals with their grants and fixed tokens, made once; returns
    (name, role, token) for each whose token is still live."""
    access, live = tenancy.access, []
    for name, display_name, role, token_id, secret in DEMO_PRINCIPALS:
        try:
            view = access.principal(name)
        except NotFound:
            view = access.create_principal(name, display_name, by=DEMO_ACTOR)
        tenant = "" if role is Role.SYSTEM_ADMIN else DEMO_SLUG
        agency = DEMO_AGENCY if role is Role.AGENCY_REPORTER else ""
        key = tenancy.ledger(DEMO_SLUG).agency(agency).key if agency else ""
        if Grant(role, tenant, key) not in view.grants:
            view = access.grant(name, role.value, tenant, agency, by=DEMO_ACTOR)
        if token_id not in view.tokens:
            access.issue_token(name, DEMO_ACTOR, secret=secret, token_id=token_id)
            view = access.principal(name)
        if view.tokens[token_id][2]:
            live.append((name, role, demo_token(token_id, secret)))
    return live


def print_demo_principals(principals: list[tuple[str, Role, str]]) -> None:
    print("Demo principals (published tokens: for trying the API, never for real data):")
    for name, role, token in principals:
        print(f"  {name:<15} {role.value:<16} Authorization: Bearer {token}")
    sys.stdout.flush()  # before exec replaces this process


def gunicorn_argv(host: str, port: int, workers: int | None) -> list[str]:
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:server.gunicorn_conf",
            "--bind", f"{host}:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    return [*argv, "server.wsgi:create_app()"]


def serve(tenancy: Tenancy, host: str, port: int, workers: int | None, *, demo: bool = True,
          checkpoint_every: float | None = None, key_dir: Path | None = None,
          reminders_every: float | None = None,
          replicate_every: float | None = None, projector: bool = False) -> NoReturn:
    """`tenancy` was built with migrations applied; it is closed before gunicorn takes over."""
    if projector:  # the master starts it (server/projector.py); the workers' reads wait for it
        os.environ["R57_PROJECTOR"] = "1"
    if reminders_every is not None:  # gunicorn's master reads it (server/reminder_scheduler)
        os.environ[REMINDERS_EVERY] = str(reminders_every)
    if replicate_every is not None:
        os.environ[REPLICATE_EVERY] = str(replicate_every)
    if checkpoint_every is not None:
        if key_dir is None and default_key_dir(tenancy.storage) is None:
            raise IntegrityRefused("integrity.no_key_dir", field="key_dir")
        os.environ[CHECKPOINT_EVERY] = str(checkpoint_every)
        if key_dir is not None:
            os.environ[CHECKPOINT_KEY_DIR] = str(key_dir.resolve())
    if demo:
        print_demo(ensure_demo(tenancy))
        print_demo_principals(ensure_demo_principals(tenancy))
    tenancy.close()
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its metrics here; gunicorn's on_starting empties it.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="r57-metrics-")
    # A master killed with -9 leaves its workers holding the port: end ours, then wait.
    end_orphans(pids_file(run_dir(os.environ), f"{host}:{port}"))
    wait_for_port(host, port, GRACEFUL_TIMEOUT + 5)
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)  # noqa: S606 - our own interpreter, our own arguments


def start_checkpointer() -> subprocess.Popen[bytes] | None:
    """In gunicorn's master: the checkpointer process, if $R57_CHECKPOINT_EVERY asks for one."""
    if not os.environ.get(CHECKPOINT_EVERY):
        return None
    return subprocess.Popen([sys.executable, "-m", "server.serve", "checkpoints"])


def start_replicator() -> subprocess.Popen[bytes] | None:
    """In gunicorn's master: the replicator process, if $R57_REPLICATE_EVERY asks for one."""
    if not os.environ.get(REPLICATE_EVERY):
        return None
    return subprocess.Popen([sys.executable, "-m", "server.serve", "replicas"])


def stop_checkpointer(process: subprocess.Popen[bytes], timeout: float) -> None:
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_checkpoints(every: float, key_dir: Path | None) -> None:
    """The checkpointer: sign every `every` seconds until SIGTERM or SIGINT, or until the
    master that started it is gone (it would otherwise outlive a killed master)."""
    tenancy = build_tenancy(Settings.from_env(), migrate=False)
    _run_periodic(tenancy, PeriodicCheckpoints(tenancy, key_dir, every),
                  f"signing checkpoints every {every:g} seconds")


def run_replicas(every: float) -> None:
    """The replicator: sync every replica (service/replication.py) every `every` seconds,
    until SIGTERM or SIGINT or until the master that started it is gone."""
    tenancy = build_tenancy(Settings.from_env(), migrate=False)
    _run_periodic(tenancy, PeriodicReplication(Replicator(tenancy), every),
                  f"syncing replicas every {every:g} seconds")


def _run_periodic(tenancy: Tenancy, periodic: PeriodicCheckpoints | PeriodicReplication,
                  what: str) -> None:
    parent, stop = os.getppid(), threading.Event()

    def finish(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    periodic.start()
    logging.getLogger(__name__).info(what)
    try:
        while not stop.wait(1.0) and os.getppid() == parent:
            pass
    finally:
        periodic.stop()
        tenancy.close()


def _checkpointer_main() -> None:
    handler = logging.StreamHandler(sys.stderr)
    # Imported here: the web layer's formatter, only needed by this process's own logs.
    from api.logs import JsonFormatter  # noqa: PLC0415

    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=os.environ.get("R57_LOG_LEVEL", "INFO"), handlers=[handler])
    if sys.argv[1:] == ["replicas"]:
        run_replicas(float(os.environ[REPLICATE_EVERY]))
        return
    key_dir = os.environ.get(CHECKPOINT_KEY_DIR)
    run_checkpoints(float(os.environ[CHECKPOINT_EVERY]), Path(key_dir) if key_dir else None)


# `python -m server.serve checkpoints` (start_checkpointer) or `replicas` (start_replicator)
if __name__ == "__main__":
    _checkpointer_main()
