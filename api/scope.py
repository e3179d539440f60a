"""The tenant of a request, resolved once, before the view runs; views get scoped services."""

from __future__ import annotations

from typing import Any

from flask import g, request

from api.services import services
from domain.errors import DomainError, NotFound
from service.ledger import TenantLedger
from service.queries import TenantQueries
from tenants.slugs import validate_slug

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def resolve_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """URL value preprocessor: `<tenant>` in a route becomes the tenant's ledger."""
    if not values or "tenant" not in values:
        return
    slug = path_slug(values.pop("tenant"))
    writing = request.method not in SAFE_METHODS
    g.r57_ledger = services().tenancy.ledger(slug, for_writing=writing)
    g.r57_tenant = slug


def path_slug(slug: str) -> str:
    """A slug from a URL. One that cannot exist names nothing: 404, as an unknown tenant."""
    try:
        return validate_slug(slug)
    except DomainError:
        raise NotFound(f"No tenant '{slug}'.", field="tenant") from None


def ledger() -> TenantLedger:
    found: TenantLedger = g.r57_ledger
    return found


def queries() -> TenantQueries:
    return TenantQueries(ledger().app)


def tenant_slug() -> str | None:
    slug: str | None = g.get("r57_tenant")
    return slug
