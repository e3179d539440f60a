"""Web fixtures: the app from its factory over the `tenancy` fixture (SQLite and PostgreSQL),
a province holding the seed plan, and one principal with a token for each role."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.config import ApiSettings
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan
from service.config import Settings
from service.tenancy import Tenancy

TENANT = "quang-nam"
OTHER = "da-nang"
REPORTER_AGENCY = "Sở Nội vụ"  # leads tasks 4 and 5 of the seed


@dataclass(frozen=True)
class Tokens:
    admin: str  # the standing body (tenant_admin)
    reporter: str  # Sở Nội vụ's reporter
    auditor: str
    inspector: str  # inspects both provinces
    system: str  # system administrator: no plan reads
    other_admin: str  # the standing body of the other province


def seed_tenant(tenancy: Tenancy, slug: str, name: str, seed: Path) -> None:
    tenancy.create_tenant(slug, name, None)
    tenancy.ledger(slug, for_writing=True).handle(ImportPlan(
        document=read_plan_document(seed),
        sha256=hashlib.sha256(seed.read_bytes()).hexdigest()), Context("setup"))


def issue_tokens(tenancy: Tenancy) -> Tokens:
    access = tenancy.access
    grants = {
        "dost.lan": [("tenant_admin", TENANT, "")],
        "noivu.minh": [("agency_reporter", TENANT, REPORTER_AGENCY)],
        "kiemtoan.hoa": [("auditor", TENANT, "")],
        "thanhtra.binh": [("inspector", TENANT, ""), ("inspector", OTHER, "")],
        "quantri": [("system_admin", "", "")],
        "danang.admin": [("tenant_admin", OTHER, "")],
    }
    tokens = []
    for name, held in grants.items():
        access.create_principal(name, name.replace(".", " ").title(), "setup")
        for role, tenant, agency in held:
            access.grant(name, role, tenant, agency, "setup")
        tokens.append(access.issue_token(name, "setup").token)
    return Tokens(*tokens)


@pytest.fixture
def province(tenancy: Tenancy, seed_path: Path) -> Tokens:
    """Quảng Nam and Đà Nẵng, each holding the seed plan; a principal for every role."""
    seed_tenant(tenancy, TENANT, "Quảng Nam", seed_path)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", seed_path)
    return issue_tokens(tenancy)


@pytest.fixture
def web_app(settings: Settings, tenancy: Tenancy, province: Tokens, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Flask:
    # The session key is made in the data directory when none is configured.
    monkeypatch.setenv("R57_DATA_DIR", str(tmp_path / "web-data"))
    monkeypatch.delenv("R57_SECRET_KEY", raising=False)
    return create_app(settings, tenancy, ApiSettings())


@pytest.fixture
def client(web_app: Flask) -> Iterator[FlaskClient]:
    with web_app.test_client() as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields every write form carries: CSRF, one-time token, version."""
    fields = {"csrf_token": csrf_of(html)}
    for name, pattern in (("form_token", _FORM_TOKEN), ("version", _VERSION)):
        found = pattern.search(html)
        if found:
            fields[name] = found.group(1)
    return fields


def sign_in(client: FlaskClient, token: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post("/sign-in", data={"token": token, "csrf_token": csrf_of(page)})
    assert response.status_code == 303, response.get_data(as_text=True)


def text(response: object) -> str:
    """The page as a reader sees its characters (entities such as &#39; decoded)."""
    body: str = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return html.unescape(body)
