"""Tenants: create, list, show, rename and archive."""

from __future__ import annotations

from typing import Any

from flask import url_for

from api.operation import Reply
from api.routing import ApiBlueprint
from api.schemas.tenants import (
    TenantCreateSchema,
    TenantListQuerySchema,
    TenantListSchema,
    TenantRenameSchema,
    TenantSchema,
)
from api.scope import path_slug
from api.services import services
from tenants.registry import Tenant

bp = ApiBlueprint("tenants", __name__, url_prefix="/api/v1/tenants")


@bp.operation("", query=TenantListQuerySchema(), response=TenantListSchema())
def list_tenants(query: dict[str, Any]) -> dict[str, list[Tenant]]:
    """List tenants (archived ones too with include_archived=true)."""
    return {"items": services().tenancy.registry.list(include_archived=query["include_archived"])}


@bp.operation("", "POST", status=201, body=TenantCreateSchema(), response=TenantSchema(),
              command=True)
def create_tenant(body: dict[str, Any]) -> Reply:
    """Create a tenant and provision its event log."""
    tenant = services().tenancy.create_tenant(body["slug"], body["display_name"],
                                              body["admin_code"])
    location = url_for("tenants.show_tenant", slug=tenant.slug)
    return Reply(tenant, headers={"Location": location}, events=0)


@bp.operation("/<slug>", response=TenantSchema())
def show_tenant(slug: str) -> Tenant:
    """Show a tenant."""
    return services().tenancy.registry.get(path_slug(slug))


@bp.operation("/<slug>/rename", "POST", body=TenantRenameSchema(), response=TenantSchema(),
              command=True)
def rename_tenant(slug: str, body: dict[str, Any]) -> Reply:
    """Change a tenant's display name."""
    tenant = services().tenancy.registry.rename(path_slug(slug), body["display_name"])
    return Reply(tenant, events=0)


@bp.operation("/<slug>/archive", "POST", response=TenantSchema(), command=True)
def archive_tenant(slug: str) -> Reply:
    """Archive a tenant: its history stays readable, it records nothing new."""
    return Reply(services().tenancy.registry.archive(path_slug(slug)), events=0)
