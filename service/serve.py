"""`r57 serve`: migrate, make sure the demo tenant holds the seed plan, then exec gunicorn."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from importers import read_plan_document
from service.ledger import Context
from service.tenancy import Tenancy

SEED_PLAN = Path(__file__).parent / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
DEMO_SLUG = "demo"


def ensure_demo(tenancy: Tenancy) -> None:
    """Create tenant 'demo' if missing and import the seed plan (a repeat records nothing)."""
    if not any(t.slug == DEMO_SLUG for t in tenancy.registry.list(include_archived=True)):
        tenancy.create_tenant(DEMO_SLUG, "Quảng Nam (demo)", "49")
    if tenancy.registry.get(DEMO_SLUG).status != "active":
        return
    ledger = tenancy.ledger(DEMO_SLUG, for_writing=True)
    sha256 = hashlib.sha256(SEED_PLAN.read_bytes()).hexdigest()
    ledger.import_plan(read_plan_document(SEED_PLAN), sha256, Context("system:serve"))


def gunicorn_argv(host: str, port: int, workers: int | None) -> list[str]:
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf",
            "--bind", f"{host}:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    return [*argv, "service.wsgi:create_app()"]


def serve(tenancy: Tenancy, host: str, port: int, workers: int | None) -> NoReturn:
    """`tenancy` was built with migrations applied; it is closed before gunicorn takes over."""
    ensure_demo(tenancy)
    tenancy.close()
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its metrics here; gunicorn's on_starting empties it.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="r57-metrics-")
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)  # noqa: S606 - our own interpreter, our own arguments
