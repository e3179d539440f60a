"""API fixtures: the app from its factory over the `tenancy` fixture (SQLite and PostgreSQL),
and clients that authenticate as principals holding the grants each test needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.config import ApiSettings
from domain.access import Role
from server.app import create_app
from service.config import Settings
from service.tenancy import Tenancy
from tests.api.principals import ROOT, TENANT_ADMIN, login, token

SMALL_LIMITS = ApiSettings(max_upload_bytes=1024 * 1024, max_json_bytes=4096)


@pytest.fixture
def app(settings: Settings, tenancy: Tenancy) -> Flask:
    return create_app(settings, tenancy, SMALL_LIMITS)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The tenant administrator: administers every tenant `create_tenant` makes."""
    return login(app, TENANT_ADMIN)


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    """The system administrator: tenants, principals, grants and tokens."""
    return login(app, ROOT, (Role.SYSTEM_ADMIN, "", ""))


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client()


def create_tenant(client: FlaskClient, slug: str = "quang-nam", name: str = "Quảng Nam") -> None:
    """Create a tenant as the system administrator, and make the tests' tenant administrator
    its administrator."""
    root = login(client.application, ROOT, (Role.SYSTEM_ADMIN, "", ""))
    response = root.post("/api/v1/tenants", json={"slug": slug, "display_name": name,
                                                  "admin_code": "49"})
    assert response.status_code == 201, response.get_json()
    token(client.application, TENANT_ADMIN, (Role.TENANT_ADMIN, slug, ""))


def upload(client: FlaskClient, slug: str, path: Path, filename: str | None = None,
           **form: Any) -> Any:
    with path.open("rb") as stream:
        return client.post(f"/api/v1/tenants/{slug}/plans",
                           data={"file": (stream, filename or path.name), **form},
                           content_type="multipart/form-data")


@pytest.fixture
def seeded(client: FlaskClient, seed_path: Path) -> Iterator[str]:
    """Tenant 'quang-nam' holding the seed plan, imported through the API."""
    create_tenant(client)
    response = upload(client, "quang-nam", seed_path)
    assert response.status_code == 201, response.get_json()
    yield "/api/v1/tenants/quang-nam"


def events(client: FlaskClient, base: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get(f"{base}/events?after={after}&limit=1000").get_json()
        found += page["items"]
        after = page["next_after"]
        if not page["has_more"]:
            return found


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body
