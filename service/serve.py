"""`r57 serve`: migrate, make sure the demo tenant holds the seed plan and the demo
principals exist, then exec gunicorn."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from domain.access import Role
from domain.errors import NotFound
from domain.policy import Grant
from importers import read_plan_document
from service.ledger import Context
from service.tenancy import Tenancy

SEED_PLAN = Path(__file__).parent / "seed" / "quang-nam-1534-KH-UBND-2025.txt"
DEMO_SLUG = "demo"
DEMO_ACTOR = "system:serve"
DEMO_AGENCY = "Sở Khoa học và Công nghệ"
# One principal per role, each with a fixed token documented in api/README.md. They are
# published, so they only ever exist where `r57 serve` loads the demo.
DEMO_PRINCIPALS: tuple[tuple[str, str, Role, str, str], ...] = (
    # name, display name, role, token id, secret
    ("demo.admin", "Demo system administrator", Role.SYSTEM_ADMIN, "demoadmin",
     "demo-only-system-admin"),
    ("demo.dost", "Demo Sở KH&CN (tenant administrator)", Role.TENANT_ADMIN, "demodost",
     "demo-only-tenant-admin"),
    ("demo.reporter", "Demo reporter, Sở KH&CN", Role.AGENCY_REPORTER, "demoreporter",
     "demo-only-agency-reporter"),
    ("demo.auditor", "Demo auditor", Role.AUDITOR, "demoauditor", "demo-only-auditor"),
    ("demo.inspector", "Demo inspector", Role.INSPECTOR, "demoinspector", "demo-only-inspector"),
)


def demo_token(token_id: str, secret: str) -> str:
    return f"r57_{token_id}_{secret}"


def ensure_demo(tenancy: Tenancy) -> None:
    """Create tenant 'demo' if missing and import the seed plan (a repeat records nothing)."""
    if not any(t.slug == DEMO_SLUG for t in tenancy.registry.list(include_archived=True)):
        tenancy.create_tenant(DEMO_SLUG, "Quảng Nam (demo)", "49")
    if tenancy.registry.get(DEMO_SLUG).status != "active":
        return
    ledger = tenancy.ledger(DEMO_SLUG, for_writing=True)
    sha256 = hashlib.sha256(SEED_PLAN.read_bytes()).hexdigest()
    ledger.import_plan(read_plan_document(SEED_PLAN), sha256, Context(DEMO_ACTOR))


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
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf",
            "--bind", f"{host}:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    return [*argv, "service.wsgi:create_app()"]


def serve(tenancy: Tenancy, host: str, port: int, workers: int | None) -> NoReturn:
    """`tenancy` was built with migrations applied; it is closed before gunicorn takes over."""
    ensure_demo(tenancy)
    print_demo_principals(ensure_demo_principals(tenancy))
    tenancy.close()
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its metrics here; gunicorn's on_starting empties it.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="r57-metrics-")
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)  # noqa: S606 - our own interpreter, our own arguments
