"""Deny by default, decided in one place. Every endpoint declares the action it performs
(or that it is open); `admit` judges each request before its inputs are read or anything
of its tenant is loaded, and `admit_item` judges an agency reporter's task or indicator.

Another tenant's resources get the very answer a tenant that does not exist gets (404);
403 is kept for a tenant the principal may see, and an action its roles do not allow.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from flask import Flask, g

from api import i18n, scope
from api.authentication import authenticate
from api.errors import Forbidden
from api.operation import AUTHENTICATED, PUBLIC, Access, Concerns, Open, Operation
from api.principal import current_principal
from api.services import services
from domain.access import Role
from domain.agencies import normalise_agency
from domain.errors import DomainError, NotFound
from domain.policy import (
    AGENCY_BOUND,
    Action,
    Grant,
    agencies_acting,
    is_allowed,
    role_allows,
)
from tenants.slugs import validate_slug

V = TypeVar("V", bound=Callable[..., Any])


class UndeclaredAccess(TypeError):
    """A route that does not say who may call it: refused when the app is built."""


def declared(access: Access, concerns: Concerns | None) -> Access:
    """Check a declaration where it is made: an agency-bound action needs its item's agencies."""
    if not isinstance(access, Action | Open):
        raise UndeclaredAccess(f"action= is an Action, PUBLIC or AUTHENTICATED; got {access!r}")
    if access in AGENCY_BOUND and concerns is None:
        raise UndeclaredAccess(f"{access} is judged per item: declare concerns=.")
    return access


def public(view: V) -> V:
    """Mark a plain Flask view (metrics, the docs page and its assets) as open to anyone."""
    view.r57_access = PUBLIC  # type: ignore[attr-defined]
    return view


def check_declared(app: Flask, judged_elsewhere: Collection[str] = ()) -> None:
    """At app creation: every route declares its access. Views not built by `operation`
    never pass through `admit`, so they may only be public. The blueprints named in
    `judged_elsewhere` (the web pages) check their own declarations."""
    for name, view in app.view_functions.items():
        if name.partition(".")[0] in judged_elsewhere:
            continue
        access = getattr(view, "r57_access", None)
        if access is None:
            raise UndeclaredAccess(f"Endpoint '{name}' declares no action.")
        if access is not PUBLIC and not hasattr(view, "r57_operation"):
            raise UndeclaredAccess(f"Endpoint '{name}' is guarded but not an operation.")


def admit(op: Operation, path: Mapping[str, Any]) -> None:
    if op.access is PUBLIC:
        return
    principal = authenticate()
    g.r57_principal = principal
    if op.access is AUTHENTICATED:
        return
    action = Action(op.access)
    requested = scope.requested_tenant()
    if requested is not None:
        scope.admit_tenant(_visible_tenant(principal.grants, requested))
    if op.self_service and path.get("name") == principal.name:
        return
    if not role_allows(principal.grants, action, requested or ""):
        raise Forbidden(i18n.text("api.role_forbids"))


def _visible_tenant(grants: set[Grant], requested: str) -> str:
    """The slug, if the principal may see the tenant and it exists; else the one 404."""
    unseen = NotFound("tenant.not_found", field="tenant", tenant=requested)
    try:
        slug = validate_slug(requested)
    except DomainError:
        raise unseen from None
    if not is_allowed(grants, Action.TENANT_LIST, slug):
        raise unseen  # decided on the grants alone: nothing of the tenant is read
    # The same NotFound when it does not exist; kept, so the request resolves it once.
    was_read, record = scope.tenant_read(requested)
    if not was_read:
        record = services().tenancy.registry.get(slug)
    if record is None:
        raise unseen
    scope.admit_record(record)
    return slug


def admit_item(op: Operation, inputs: Mapping[str, Any]) -> None:
    """An agency reporter reports only on its own agency's tasks and indicators, and for
    its own agency: the agency recorded comes from its grant, never from the request."""
    if op.concerns is None:
        return
    grants, tenant = current_principal().grants, scope.tenant_slug() or ""
    action = Action(op.access)
    unbound = [grant for grant in grants if grant.role is not Role.AGENCY_REPORTER]
    if is_allowed(unbound, action, tenant):
        return  # decided on the grants alone: whose item it is does not matter
    concerned = set(op.concerns(**inputs))
    if not is_allowed(grants, action, tenant, concerned):
        raise Forbidden(i18n.text("api.agency_not_involved"))
    acting = agencies_acting(grants, action, tenant, concerned)
    if acting is None:
        return
    named = _named_agency(inputs)
    chosen = sorted(acting if named is None else acting & {named})
    if not chosen:
        raise Forbidden(i18n.text("api.own_agency_only"))
    g.r57_agency = chosen[0]


def _named_agency(inputs: Mapping[str, Any]) -> str | None:
    body = inputs.get("body") or {}
    name = body.get("agency")
    return normalise_agency(name).key if name else None
