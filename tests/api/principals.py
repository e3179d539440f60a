"""Principals for API tests, made through the access service (as an operator would with
`r57 principal create`) and remembered per app, so each is created once per test."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from domain.access import Role
from domain.policy import Grant
from service.access import AccessService

ROOT = "test.root"  # system administrator
TENANT_ADMIN = "test.dost"  # administers every tenant the tests create

GrantSpec = tuple[Role, str, str]  # role, tenant, agency name


def _access(app: Flask) -> AccessService:
    access: AccessService = app.extensions["r57"].tenancy.access
    return access


def token(app: Flask, name: str, *grants: GrantSpec) -> str:
    """A bearer token for `name`, created with its principal on first use."""
    tokens: dict[str, str] = app.extensions.setdefault("r57_test_tokens", {})
    if name not in tokens:
        _access(app).create_principal(name, name, by="test")
        tokens[name] = _access(app).issue_token(name, by="test").token
    for role, tenant, agency in grants:
        grant(app, name, role, tenant, agency)
    return tokens[name]


def grant(app: Flask, name: str, role: Role, tenant: str = "", agency: str = "") -> None:
    if Grant(role, tenant, _key(app, tenant, agency)) not in _access(app).principal(name).grants:
        _access(app).grant(name, role.value, tenant, agency, by="test")


def _key(app: Flask, tenant: str, agency: str) -> str:
    if not agency:
        return ""
    key: str = app.extensions["r57"].tenancy.ledger(tenant).agency(agency).key
    return key


def bearer(app: Flask, name: str, *grants: GrantSpec) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(app, name, *grants)}"}


def login(app: Flask, name: str, *grants: GrantSpec) -> FlaskClient:
    """A test client whose every request carries `name`'s bearer token."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token(app, name, *grants)}"
    return client
