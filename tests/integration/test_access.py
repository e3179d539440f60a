"""Principals, grants and tokens on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from domain.errors import DomainError, NotFound
from domain.policy import Grant
from service.commands import Context, ImportPlan
from service.tenancy import Tenancy
from tests.integration.test_ledger_core import small_plan


@pytest.fixture
def access_tenancy(tenancy: Tenancy) -> Tenancy:
    tenancy.create_tenant("quang-nam", "Quảng Nam")
    tenancy.ledger("quang-nam", for_writing=True).handle(ImportPlan(
        document=small_plan(), sha256="sha"), Context(actor="root"))
    return tenancy


def test_a_token_authenticates_its_principal_until_revoked(access_tenancy: Tenancy) -> None:
    access = access_tenancy.access
    access.create_principal("dost.lan", "Nguyễn Thị Lan", by="root")
    access.grant("dost.lan", "tenant_admin", "quang-nam", "", by="root")
    issued = access.issue_token("dost.lan", by="root")
    view = access.authenticate(issued.token)
    assert view is not None and view.name == "dost.lan"
    assert view.grants == {Grant(Role.TENANT_ADMIN, "quang-nam")}
    access.revoke_token("dost.lan", issued.token_id, by="root")
    assert access.authenticate(issued.token) is None


def test_expired_forged_and_malformed_tokens_authenticate_nobody(
    access_tenancy: Tenancy,
) -> None:
    access = access_tenancy.access
    access.create_principal("auditor.an", "An", by="root")
    soon = datetime.now(UTC) + timedelta(milliseconds=200)
    issued = access.issue_token("auditor.an", by="root", expires_at=soon)
    forged = issued.token[:-4] + "AAAA"
    assert access.authenticate(forged) is None
    for junk in ("", "r57", "r57__", "Bearer x", "r57_' OR 1=1 --_x", "x" * 5000):
        assert access.authenticate(junk) is None
    while datetime.now(UTC) < soon:
        pass
    assert access.authenticate(issued.token) is None
    with pytest.raises(DomainError) as refused:
        access.issue_token("auditor.an", by="root", expires_at=datetime.now(UTC))
    assert refused.value.field == "expires_at"


def test_only_a_hash_of_the_token_is_stored(access_tenancy: Tenancy) -> None:
    access = access_tenancy.access
    access.create_principal("insp.binh", "Bình", by="root")
    issued = access.issue_token("insp.binh", by="root")
    secret = issued.token.split("_", 2)[2]
    stored = [n.state for n in access.app.recorder.select_notifications(start=1, limit=100)]
    assert stored and not any(secret.encode() in state for state in stored)


def test_grants_and_revocations_are_recorded_as_events(access_tenancy: Tenancy) -> None:
    access = access_tenancy.access
    access.create_principal("syt.reporter", "Sở Y tế", by="root")
    access.grant("syt.reporter", "agency_reporter", "quang-nam", "Sở Y tế", by="admin.one")
    access.revoke("syt.reporter", "agency_reporter", "quang-nam", "Sở Y tế", by="admin.two")
    events = [access.app.mapper.to_domain_event(n)
              for n in access.app.recorder.select_notifications(start=1, limit=100)]
    granted, revoked = events[-2], events[-1]
    assert (type(granted).__name__, granted.granted_by, granted.agency) == (
        "Granted", "admin.one", "so y te")
    assert (type(revoked).__name__, revoked.revoked_by) == ("Revoked", "admin.two")
    assert access.principal("syt.reporter").grants == set()


def test_grants_name_existing_tenants_and_agencies(access_tenancy: Tenancy) -> None:
    access = access_tenancy.access
    access.create_principal("x.y", "X", by="root")
    with pytest.raises(NotFound):
        access.grant("x.y", "auditor", "nowhere", "", by="root")
    with pytest.raises(NotFound):
        access.grant("x.y", "agency_reporter", "quang-nam", "Sở Không Có", by="root")
    with pytest.raises(DomainError):
        access.grant("x.y", "emperor", "quang-nam", "", by="root")
    with pytest.raises(DomainError):
        access.create_principal("Bad Name!", "X", by="root")
