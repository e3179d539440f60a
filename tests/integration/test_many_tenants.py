"""200 tenants in one process share at most 10 PostgreSQL connections."""

from __future__ import annotations

import time

import psycopg

from service.commands import Context, RegisterAgency
from service.config import Settings
from service.container import build_tenancy
from tests.conftest import reset_schema

TENANTS = 200
MAX_CONNECTIONS = 10


def connections_to(url: str) -> int:
    dbname = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_two_hundred_tenants_work_within_ten_pooled_connections(postgres_url: str) -> None:
    reset_schema(postgres_url)
    tenancy = build_tenancy(Settings(database_url=postgres_url,
                                     pool_max_connections=MAX_CONNECTIONS))
    try:
        slugs = [f"tinh-{n:03d}" for n in range(TENANTS)]
        for slug in slugs:
            tenancy.create_tenant(slug, f"Tỉnh {slug}")
        for slug in slugs:
            ledger = tenancy.ledger(slug, for_writing=True)
            ledger.handle(RegisterAgency(
                name=f"Sở Khoa học và Công nghệ {slug}"), Context(actor="admin"))
        # Every tenant is still served, each from its own log.
        for slug in slugs:
            agencies = tenancy.ledger(slug).app.recorder.select_notifications(start=1, limit=10)
            assert len(agencies) == 1
        assert connections_to(postgres_url) <= MAX_CONNECTIONS
    finally:
        tenancy.close()
    # Closed by the client; each server backend ends a moment later, when it reads the close.
    deadline = time.monotonic() + 10
    while connections_to(postgres_url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connections_to(postgres_url) == 0
