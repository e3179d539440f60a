"""The projector: one process beside the web workers that keeps every tenant's read models
at the head of its log, so that reads only read (`r57 serve --projector`, R57_PROJECTOR=1).

Reads then wait for the read models to reach the log's head, their own command's position
included (service/queries.py, ReadWait), instead of catching up inside the request; that is
what lets a read run on a replica that cannot write. Catch-up is exactly-once under a
per-tenant lock (projections/projector.py), so a read that stops waiting and catches up
itself, or a second projector, never applies an event twice.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from service.config import Settings
from service.container import build_tenancy
from service.queries import TenantQueries
from service.tenancy import Tenancy

log = logging.getLogger("r57.projector")
IDLE_SECONDS = 0.05  # how long the projector rests when no tenant had anything new


def start_projector(settings: Settings) -> subprocess.Popen[bytes] | None:
    """In gunicorn's master: the projector process, when the settings ask for one."""
    if not settings.projector and settings.read_database_url is None:
        return None
    return subprocess.Popen([sys.executable, "-m", "server.projector"])


def project_once(tenancy: Tenancy) -> int:
    """Bring every tenant's read models to the head of its log; the events applied."""
    applied = 0
    for tenant in tenancy.registry.list(include_archived=True):
        try:
            queries = TenantQueries(tenancy.application(tenant.slug))  # catches up itself
            before = queries.store.position()
            applied += max(0, queries.refresh() - before)
        except Exception:  # one tenant's failure must not stop the others' read models
            log.exception("projecting tenant %s failed", tenant.slug)
    return applied


def run_projector(settings: Settings, stop: threading.Event, parent: int | None = None,
                  idle: float = IDLE_SECONDS) -> None:
    """Project until `stop` is set or the master that started this process is gone."""
    tenancy = build_tenancy(settings, migrate=False)
    log.info("projector started")
    try:
        while not stop.is_set() and (parent is None or os.getppid() == parent):
            if project_once(tenancy) == 0:
                stop.wait(idle)
    finally:
        tenancy.close()


def _main() -> None:
    handler = logging.StreamHandler(sys.stderr)
    from api.logs import JsonFormatter  # noqa: PLC0415 - this process's own logs only

    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=os.environ.get("R57_LOG_LEVEL", "INFO"), handlers=[handler])
    stop = threading.Event()

    def _stop(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    run_projector(Settings.from_env(), stop, parent=os.getppid())


if __name__ == "__main__":
    _main()
