"""Tenants: create, list, show, rename and archive. Each principal sees only its tenants."""

from __future__ import annotations

from typing import Any

from flask import url_for

from api import scope
from api.operation import Reply
from api.principal import current_actor, current_principal
from api.routing import ApiBlueprint
from api.schemas.tenants import (
    LineageListSchema,
    MergerListSchema,
    TenantCreateSchema,
    TenantListQuerySchema,
    TenantListSchema,
    TenantMergeSchema,
    TenantRenameSchema,
    TenantSchema,
)
from api.services import services
from domain.policy import Action, tenants_readable
from service.merger import TenantMerger, lineages
from tenants.registry import Tenant

bp = ApiBlueprint("tenants", __name__, url_prefix="/api/v1/tenants")
ADMINISTER = Action.TENANT_ADMINISTER


def _slug() -> str:
    slug = scope.tenant_slug()
    assert slug is not None  # the guard admitted the route's <tenant>
    return slug


@bp.operation("", action=Action.TENANT_LIST, query=TenantListQuerySchema(),
              response=TenantListSchema())
def list_tenants(query: dict[str, Any]) -> dict[str, list[Tenant]]:
    """List the tenants you may see (archived ones too with include_archived=true)."""
    visible = tenants_readable(current_principal().grants, Action.TENANT_LIST)
    listed = services().tenancy.registry.list(include_archived=query["include_archived"])
    return {"items": [t for t in listed if visible is None or t.slug in visible]}


@bp.operation("", "POST", action=ADMINISTER, status=201, body=TenantCreateSchema(),
              response=TenantSchema(), command=True)
def create_tenant(body: dict[str, Any]) -> Reply:
    """Create a tenant and provision its event log."""
    tenant = services().tenancy.create_tenant(body["slug"], body["display_name"],
                                              body["admin_code"])
    location = url_for("tenants.show_tenant", tenant=tenant.slug)
    return Reply(tenant, headers={"Location": location}, events=0)


@bp.operation("/mergers", "POST", action=ADMINISTER, body=TenantMergeSchema(),
              response=MergerListSchema(), command=True)
def merge_tenants(body: dict[str, Any]) -> Reply:
    """Merge tenants into another: each becomes a read-only archive whose log verifies as
    before; the other carries its plans, tasks and (grants=move) grants on, and records the
    old log's final tree head. Running it again completes it and records nothing twice."""
    tenancy = services().tenancy
    results = TenantMerger(tenancy).merge(
        body["tenants"], body["into"], body["merged_on"], actor=current_actor(),
        decision_ref=body["decision_ref"], grants=body["grants"])
    return Reply({"items": results}, events=sum(1 for r in results if r.recorded))


@bp.operation("/<tenant>", action=Action.TENANT_LIST, response=TenantSchema())
def show_tenant() -> Tenant:
    """Show a tenant."""
    return services().tenancy.registry.get(_slug())


@bp.operation("/<tenant>/lineage", action=Action.READ_HISTORY, response=LineageListSchema())
def tenant_lineage() -> dict[str, Any]:
    """The tenants merged into this one, each with its log's final tree head."""
    return {"items": lineages(services().tenancy, _slug())}


@bp.operation("/<tenant>/rename", "POST", action=ADMINISTER, body=TenantRenameSchema(),
              response=TenantSchema(), command=True)
def rename_tenant(body: dict[str, Any]) -> Reply:
    """Change a tenant's display name."""
    return Reply(services().tenancy.registry.rename(_slug(), body["display_name"]), events=0)


@bp.operation("/<tenant>/archive", "POST", action=ADMINISTER, response=TenantSchema(),
              command=True)
def archive_tenant() -> Reply:
    """Archive a tenant: its history stays readable, it records nothing new."""
    return Reply(services().tenancy.registry.archive(_slug()), events=0)
