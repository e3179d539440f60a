"""A small world for the attack suite, built once per module and store: two tenants
holding the seed plan ('quang-nam', whose principals these are, and 'da-nang', someone
else's), and one principal per role."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.config import ApiSettings
from domain.access import Role
from importers import read_plan_document
from server.app import create_app
from service.commands import Context, ImportPlan
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.api.principals import login
from tests.conftest import SEED, reset_schema

OWN, FOREIGN = "quang-nam", "da-nang"
REPORTING_AGENCY = "Sở Khoa học và Công nghệ"  # leads task 3, answers for indicator 7.1
PRINCIPALS: dict[Role, tuple[str, str, str]] = {  # role -> name, tenant, agency
    Role.SYSTEM_ADMIN: ("m.root", "", ""),
    Role.TENANT_ADMIN: ("m.admin", OWN, ""),
    Role.AGENCY_REPORTER: ("m.reporter", OWN, REPORTING_AGENCY),
    Role.AUDITOR: ("m.auditor", OWN, ""),
    Role.INSPECTOR: ("m.inspector", OWN, ""),
}
TARGET = "m.target"  # the principal the access endpoints are tried on


@dataclass
class World:
    app: Flask
    tenancy: Tenancy

    def client(self, role: Role | None) -> FlaskClient:
        if role is None:
            return self.app.test_client()
        name, tenant, agency = PRINCIPALS[role]
        return login(self.app, name, (role, tenant, agency))

    def stored(self) -> tuple[Any, ...]:
        """What a refused request must leave as it was: both logs, the access log and the
        tenant registry."""
        t = self.tenancy
        return (
            tuple(t.application(s).recorder.max_notification_id() for s in (OWN, FOREIGN)),
            t.access.app.recorder.max_notification_id(),
            tuple((x.slug, x.display_name, x.status)
                  for x in t.registry.list(include_archived=True)),
        )


def build_world(settings: Settings) -> Iterator[World]:
    tenancy = build_tenancy(settings)
    seed = read_plan_document(SEED)
    for slug, name in ((OWN, "Quảng Nam"), (FOREIGN, "Đà Nẵng")):
        tenancy.create_tenant(slug, name)
        tenancy.ledger(slug, for_writing=True).handle(ImportPlan(
            document=seed, sha256=hashlib.sha256(SEED.read_bytes()).hexdigest()), Context("setup"))
    tenancy.access.create_principal(TARGET, "Target", by="setup")
    world = World(create_app(settings, tenancy, ApiSettings(max_json_bytes=4096)), tenancy)
    for role in PRINCIPALS:
        world.client(role)
    yield world
    tenancy.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          ) -> Iterator[World]:
    if request.param == "sqlite":
        settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('world')}")
    else:
        url = request.getfixturevalue("postgres_url")
        reset_schema(url)
        settings = Settings(database_url=url)
    yield from build_world(settings)


def seed_upload() -> dict[str, Any]:
    return {"file": (io.BytesIO(SEED.read_bytes()), SEED.name)}
