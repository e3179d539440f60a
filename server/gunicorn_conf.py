"""gunicorn settings: `gunicorn -c python:server.gunicorn_conf 'server.wsgi:create_app()'`.

No preload: each worker builds its own application and pool after the fork. The schema is
migrated once, in the master, before any worker starts; workers never run DDL. Metrics from
all workers meet in PROMETHEUS_MULTIPROC_DIR, prepared here before the first fork. With
$R57_CHECKPOINT_EVERY the master also starts the one checkpointer process (server/serve.py),
and unless $R57_REMINDERS_EVERY_SECONDS is 0 the reminder scheduler
(server/reminder_scheduler.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from server.orphans import pids_file, record, run_dir
from server.projector import start_projector
from server.reminder_scheduler import start_scheduler
from server.serve import (
    GRACEFUL_TIMEOUT,
    start_checkpointer,
    start_replicator,
    stop_checkpointer,
)
from service.config import Settings
from service.container import build_tenancy

_cores = os.cpu_count() or 1

bind = os.environ.get("R57_BIND", "127.0.0.1:8057")
# Requests spend much of their time waiting on the database: a few threads per worker
# overlap those waits; workers beyond the core count only add memory and connections.
workers = int(os.environ.get("R57_WORKERS", str(_cores * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("R57_THREADS", "4"))
preload_app = False
timeout = 60  # an import of a large plan is the slowest request
graceful_timeout = GRACEFUL_TIMEOUT
keepalive = 5
max_requests = 20_000  # recycle workers now and then; the jitter keeps them apart
max_requests_jitter = 2_000
control_socket_disable = True  # unused, and instances on one host would share its path
accesslog = None  # the app logs each request as JSON, with its request id
errorlog = "-"
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                             "stream": "ext://sys.stderr"}},
    "root": {"level": os.environ.get("R57_LOG_LEVEL", "INFO"), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        # The app logs each request itself, with its request id; gunicorn's line would repeat it.
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


# The master's helper processes: the checkpointer and the replicator when asked for, the
# reminder scheduler.
_checkpointer: list[subprocess.Popen[bytes]] = []


def on_starting(server: Any) -> None:
    """In the master, once: a clean metrics directory, the schema up to date, and the
    checkpointer when asked for, the reminder scheduler unless turned off."""
    _prepare_metrics_dir()
    record(_pids(server), os.getpid(), master=True)
    settings = Settings.from_env()
    build_tenancy(settings, migrate=True).close()
    for process in (start_checkpointer(), start_replicator(), start_scheduler(settings),
                    start_projector(settings)):
        if process is not None:
            _checkpointer.append(process)


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: its id recorded, so a restart after the master was killed can
    end it (server/orphans.py)."""
    record(_pids(server), worker.pid)


def _pids(server: Any) -> Path:
    return pids_file(run_dir(os.environ), str(server.cfg.bind[0]))


def on_exit(server: Any) -> None:
    """In the master, at shutdown."""
    _pids(server).unlink(missing_ok=True)
    while _checkpointer:
        stop_checkpointer(_checkpointer.pop(), graceful_timeout)


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges must not linger in the totals."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Imported late: prometheus_client fixes its storage mode when first imported,
        # which must happen after PROMETHEUS_MULTIPROC_DIR is set.
        from prometheus_client import multiprocess  # noqa: PLC0415

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def _prepare_metrics_dir() -> None:
    # Set before any worker imports prometheus_client, which reads it at import time.
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        path = tempfile.mkdtemp(prefix="r57-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    shutil.rmtree(path, ignore_errors=True)  # files of an earlier run would be added in
    os.makedirs(path, exist_ok=True)
