"""The tenant of a request: taken from the URL, admitted by the guard, then resolved once,
on first use; views get scoped services."""

from __future__ import annotations

from typing import Any

from flask import g, request

from api.services import services
from service.ledger import TenantLedger
from service.queries import TenantQueries
from tenants.registry import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def take_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """URL value preprocessor: `<tenant>` leaves the view's arguments and waits for the
    guard, which admits it (or answers 404) before anything of the tenant is loaded."""
    if values and "tenant" in values:
        g.r57_requested_tenant = values.pop("tenant")


def requested_tenant() -> str | None:
    slug: str | None = g.get("r57_requested_tenant")
    return slug


def admit_tenant(slug: str) -> None:
    g.r57_tenant = slug


def admit_record(tenant: Tenant) -> None:
    g.r57_tenant_record = tenant


def read_tenant(slug: str | None, tenant: Tenant | None) -> None:
    """The record read for the named tenant with the request's first statement (None:
    there is none), not yet admitted."""
    g.r57_read_tenant = (slug, tenant)


def tenant_read(slug: str) -> tuple[bool, Tenant | None]:
    """(whether this slug's record was read, the record or None when there is none)."""
    read: tuple[str | None, Tenant | None] | None = g.get("r57_read_tenant")
    if read is None or read[0] != slug:
        return False, None
    return True, read[1]


def tenant_slug() -> str | None:
    """The admitted tenant; None outside a tenant's routes."""
    slug: str | None = g.get("r57_tenant")
    return slug


def ledger() -> TenantLedger:
    found: TenantLedger | None = g.get("r57_ledger")
    if found is None:
        slug = tenant_slug()
        if slug is None:
            raise LookupError("No tenant was admitted for this request.")
        writing = request.method not in SAFE_METHODS
        found = services().tenancy.ledger(slug, for_writing=writing,
                                          tenant=g.get("r57_tenant_record"))
        g.r57_ledger = found
    return found


def queries() -> TenantQueries:
    """The tenant's reads, made once per request. The first read records how far behind the
    read models were, before it brings them up to date and hides it."""
    found: TenantQueries | None = g.get("r57_queries")
    if found is None:
        found = services().tenancy.queries(ledger().app.slug,
                                           tenant=g.get("r57_tenant_record"))
        metrics, slug = services().metrics, found.app.slug
        found.observe_lag = lambda lag: metrics.set_read_model_lag(slug, lag)
        g.r57_queries = found
    return found
