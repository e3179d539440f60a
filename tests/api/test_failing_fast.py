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

from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
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
            assert body["reason"] in {"pool-timeout", "database-unreachable",
                                      "database-shutting-down"}
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


def test_an_unreadable_sqlite_store_answers_503_not_500(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "registry.sqlite3").mkdir(parents=True)  # the store's file cannot be opened
    settings = Settings(database_url=f"sqlite:///{data}")
    tenancy = build_tenancy(settings, migrate=False)
    app: Flask = create_app(settings, tenancy, SMALL_LIMITS)
    body = assert_unavailable(app.test_client().get("/readyz"))
    assert body["reason"] == "cannot-open-database"
    tenancy.close()
