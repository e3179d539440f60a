"""When the database is unavailable the service says so at once: 503 problem+json with
Retry-After (never a hang, never 500), /readyz names the reason, and the service recovers
by itself once the database is back."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from flask import Flask
from psycopg_pool import ConnectionPool

from server.app import create_app
from server.serve import DEMO_SLUG, demo_token, ensure_demo, ensure_demo_principals
from service.config import Settings
from service.container import build_tenancy
from tenants.availability import unavailable_reason
from tenants.storage import check_unless_quiet, open_storage
from tests.api.conftest import SMALL_LIMITS, assert_problem
from tests.conftest import ADMIN_URL, reset_schema


def assert_unavailable(response: object) -> dict[str, object]:
    body = assert_problem(response, 503)
    assert response.headers["Retry-After"].isdigit()  # type: ignore[attr-defined]
    return body


def set_connections_allowed(url: str, allowed: bool) -> None:
    """Close the test database to new connections and drop the open ones (or reopen it):
    to the service, the server is gone. The shared server itself keeps running."""
    dbname = urlsplit(url).path.lstrip("/")
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))
            # pg_terminate_backend only signals: the server is gone once every backend has
            # said goodbye on its socket, which is what the pool's check looks for.
            for _ in range(200):
                left = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                     (dbname,)).fetchone()
                if left is not None and left[0] == 0:
                    break
                time.sleep(0.05)


@pytest.mark.postgres
def test_a_lost_postgresql_answers_503_and_the_service_recovers_by_itself(
    postgres_url: str, seed_path: Path
) -> None:
    reset_schema(postgres_url)
    tenancy = build_tenancy(Settings(database_url=postgres_url))
    try:
        app = create_app(Settings(database_url=postgres_url), tenancy, SMALL_LIMITS)
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        set_connections_allowed(postgres_url, False)
        try:
            body = assert_unavailable(client.get("/readyz"))
            assert body["reason"] == "database-unreachable"  # not merely "pool-timeout"
            assert_unavailable(client.get("/api/v1/tenants",
                                          headers={"Authorization": "Bearer r57_x_y"}))
        finally:
            set_connections_allowed(postgres_url, True)
        deadline = time.monotonic() + 60
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.5)
    finally:
        tenancy.close()


@pytest.mark.postgres
def test_the_pool_pings_only_a_connection_the_server_dropped(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quiet connection is handed out without a round trip; one whose backend the server
    ended (a restart, a killed backend) fails its check, and the pool replaces it."""
    pinged: list[object] = []
    ping = ConnectionPool.check_connection
    monkeypatch.setattr(ConnectionPool, "check_connection",
                        staticmethod(lambda conn: (pinged.append(conn), ping(conn))))
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SELECT 1")
        check_unless_quiet(conn)
        assert pinged == []
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            pid = conn.info.backend_pid
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                                (pid,)).fetchone() != (0,):
                time.sleep(0.05)
        with pytest.raises(psycopg.OperationalError):
            check_unless_quiet(conn)
        assert pinged == [conn]


@pytest.mark.postgres
def test_a_write_while_postgresql_is_lost_is_answered_503_within_about_a_second(
    postgres_url: str,
) -> None:
    """Not after the pool's wait multiplied by retries: one wait for a connection, then 503;
    the client's retry with the same key, once the database is back, records the report."""
    reset_schema(postgres_url)
    tenancy = build_tenancy(Settings(database_url=postgres_url))
    try:
        ensure_demo(tenancy)
        ensure_demo_principals(tenancy)
        client = create_app(Settings(database_url=postgres_url), tenancy,
                            SMALL_LIMITS).test_client()
        path = f"/api/v1/tenants/{DEMO_SLUG}/tasks/2/reports"  # open in the demo
        auth = {"Authorization": f"Bearer {demo_token('demodost', 'demo-only-tenant-admin')}"}
        body = {"period": "2025-Q2", "percent": 35, "narrative": "Đang triển khai"}
        first = client.post(path, json=body, headers={**auth, "Idempotency-Key": "before"})
        assert first.status_code == 201  # the pool now holds connections the loss breaks
        set_connections_allowed(postgres_url, False)
        try:
            started = time.monotonic()
            down = client.post(path, json={**body, "percent": 40},
                               headers={**auth, "Idempotency-Key": "while-down"})
            waited = time.monotonic() - started
            assert assert_unavailable(down)["reason"] == "database-unreachable"
            assert waited < 2.0, f"answered 503 after {waited:.1f} s"
        finally:
            set_connections_allowed(postgres_url, True)
        deadline = time.monotonic() + 60
        while (retry := client.post(path, json={**body, "percent": 40}, headers={
                **auth, "Idempotency-Key": "while-down"})).status_code == 503:
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.5)
        assert retry.status_code == 201, retry.get_data(True)
        reports = tenancy.ledger(DEMO_SLUG).task("2").reports
        assert [r.percent for r in reports][-2:] == [35, 40]
    finally:
        tenancy.close()


@pytest.mark.postgres
def test_the_service_is_ready_at_once_when_postgresql_returns_after_a_long_loss(
    postgres_url: str,
) -> None:
    """The pool's attempts to reconnect back off (1, 2, 4, 8 s...): none of them may keep
    the service answering 503 for seconds after the database is back."""
    reset_schema(postgres_url)
    tenancy = build_tenancy(Settings(database_url=postgres_url))
    try:
        client = create_app(Settings(database_url=postgres_url), tenancy,
                            SMALL_LIMITS).test_client()
        assert client.get("/readyz").status_code == 200
        set_connections_allowed(postgres_url, False)
        try:
            lost = time.monotonic() + 10
            while time.monotonic() < lost:  # clients keep asking while it is gone
                assert_unavailable(client.get("/readyz"))
                time.sleep(0.5)
        finally:
            set_connections_allowed(postgres_url, True)
        back = time.monotonic()
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() - back < 3, "still 503 three seconds after its return"
            time.sleep(0.2)
    finally:
        tenancy.close()


@pytest.mark.postgres
def test_a_pool_whose_connections_are_all_busy_is_named_apart_from_a_lost_database(
    postgres_url: str,
) -> None:
    storage = open_storage(postgres_url, max_connections=1)
    try:
        with storage.database.transaction() as held:
            held.execute("SELECT 1 AS one")
            started = time.monotonic()
            with pytest.raises(Exception) as raised, storage.database.transaction():
                pass
            assert time.monotonic() - started < 2.0
        assert unavailable_reason(raised.value) == "pool-timeout"
    finally:
        storage.close()


def test_an_unreadable_sqlite_store_answers_503_not_500(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "registry.sqlite3").mkdir(parents=True)  # the store's file cannot be opened
    settings = Settings(database_url=f"sqlite:///{data}")
    tenancy = build_tenancy(settings, migrate=False)
    app: Flask = create_app(settings, tenancy, SMALL_LIMITS)
    body = assert_unavailable(app.test_client().get("/readyz"))
    assert body["reason"] == "cannot-open-database"
    tenancy.close()
