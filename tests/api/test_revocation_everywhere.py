"""A revoked grant or token is refused from the very next request, in every process that
serves the store, though each keeps its own view of principals, grants and tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from domain.access import Role
from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.api.conftest import SMALL_LIMITS, create_tenant
from tests.api.principals import TENANT_ADMIN, bearer, login

SHOW = "/api/v1/tenants/quang-nam"


@pytest.fixture
def other(settings: Settings) -> Iterator[Flask]:
    """A second instance of the service over the same store (another worker or host)."""
    tenancy: Tenancy = build_tenancy(settings, migrate=False)
    yield create_app(settings, tenancy, SMALL_LIMITS)
    tenancy.close()


def test_a_revoked_grant_is_refused_at_once_by_every_instance(app: Flask, other: Flask) -> None:
    create_tenant(login(app, TENANT_ADMIN))
    headers = bearer(app, "dost.lan", (Role.TENANT_ADMIN, "quang-nam", ""))
    for instance in (app, other):  # each has read the grant into its view
        assert instance.test_client().get(SHOW, headers=headers).status_code == 200
    app.extensions["r57"].tenancy.access.revoke("dost.lan", "tenant_admin", "quang-nam", "",
                                                by="test")
    assert other.test_client().get(SHOW, headers=headers).status_code == 404
    assert app.test_client().get(SHOW, headers=headers).status_code == 404


def test_a_revoked_token_is_refused_at_once_by_every_instance(app: Flask, other: Flask) -> None:
    create_tenant(login(app, TENANT_ADMIN))
    headers = bearer(app, "dost.lan", (Role.TENANT_ADMIN, "quang-nam", ""))
    for instance in (app, other):
        assert instance.test_client().get(SHOW, headers=headers).status_code == 200
    access = other.extensions["r57"].tenancy.access
    token_id = headers["Authorization"].split("_")[1]
    access.revoke_token("dost.lan", token_id, by="test")
    assert app.test_client().get(SHOW, headers=headers).status_code == 401
    assert other.test_client().get(SHOW, headers=headers).status_code == 401
