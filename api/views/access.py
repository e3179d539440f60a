"""Principals, grants and tokens (the system administrator's), one's own tokens and the
history of grants on a tenant (its auditors')."""

from __future__ import annotations

from typing import Any

from flask import url_for

from api.operation import AUTHENTICATED, Reply
from api.principal import current_actor, current_principal
from api.routing import API_PREFIX, TENANT_PREFIX, ApiBlueprint
from api.schemas.access import (
    AccessEventListSchema,
    GrantRequestSchema,
    IssuedTokenSchema,
    PrincipalCreateSchema,
    PrincipalListSchema,
    PrincipalSchema,
    TokenListSchema,
    TokenRequestSchema,
)
from api.scope import tenant_slug
from api.services import services
from domain.policy import Action
from service.access import AccessService, IssuedToken, PrincipalView

bp = ApiBlueprint("access", __name__, url_prefix=API_PREFIX)
ADMINISTER = Action.ACCESS_ADMINISTER


def _access() -> AccessService:
    return services().tenancy.access


def _tokens(view: PrincipalView) -> list[dict[str, Any]]:
    return [{"id": token_id, "expires_at": expires_at, "live": live}
            for token_id, (_, expires_at, live) in view.tokens.items()]


def _present(view: PrincipalView) -> dict[str, Any]:
    grants = sorted(view.grants, key=lambda g: (g.tenant, g.role.value, g.agency))
    return {"name": view.name, "display_name": view.display_name,
            "grants": [{"role": g.role.value, "tenant": g.tenant, "agency": g.agency}
                       for g in grants],
            "tokens": _tokens(view)}


@bp.operation("/me", action=AUTHENTICATED, response=PrincipalSchema())
def me() -> dict[str, Any]:
    """Who you are: your grants and your tokens (never their secrets)."""
    return _present(current_principal())


@bp.operation("/principals", action=ADMINISTER, response=PrincipalListSchema())
def list_principals() -> dict[str, Any]:
    """List principals with their grants and tokens."""
    return {"items": [_present(v) for v in _access().principals()]}


@bp.operation("/principals", "POST", action=ADMINISTER, status=201,
              body=PrincipalCreateSchema(), response=PrincipalSchema(), command=True)
def create_principal(body: dict[str, Any]) -> Reply:
    """Create a principal: a person or system that will hold grants and tokens."""
    view = _access().create_principal(body["name"], body["display_name"], current_actor())
    location = url_for("access.show_principal", name=view.name)
    return Reply(_present(view), headers={"Location": location}, events=0)


@bp.operation("/principals/<name>", action=ADMINISTER, self_service=True,
              response=PrincipalSchema())
def show_principal(name: str) -> dict[str, Any]:
    """Show a principal (you may always see yourself)."""
    return _present(_access().principal(name))


@bp.operation("/principals/<name>/grants", "POST", action=ADMINISTER,
              body=GrantRequestSchema(), response=PrincipalSchema(), command=True)
def grant(name: str, body: dict[str, Any]) -> Reply:
    """Grant a role, on a tenant (and for an agency reporter, an agency)."""
    view = _access().grant(name, body["role"], body["tenant"], body["agency"], current_actor())
    return Reply(_present(view), events=0)


@bp.operation("/principals/<name>/grants/revoke", "POST", action=ADMINISTER,
              body=GrantRequestSchema(), response=PrincipalSchema(), command=True)
def revoke(name: str, body: dict[str, Any]) -> Reply:
    """Revoke a role the principal holds."""
    view = _access().revoke(name, body["role"], body["tenant"], body["agency"], current_actor())
    return Reply(_present(view), events=0)


@bp.operation("/principals/<name>/tokens", action=ADMINISTER, self_service=True,
              response=TokenListSchema())
def list_tokens(name: str) -> dict[str, Any]:
    """List a principal's tokens (you may always list your own)."""
    return {"items": _tokens(_access().principal(name))}


# Not a command: a replayed answer would keep the token's secret in the idempotency store.
@bp.operation("/principals/<name>/tokens", "POST", action=ADMINISTER, status=201,
              body=TokenRequestSchema(), response=IssuedTokenSchema())
def issue_token(name: str, body: dict[str, Any]) -> IssuedToken:
    """Issue a bearer token. The answer shows it once; only its hash is kept."""
    day = body["expires_on"]
    expires_at = services().tenancy.clock.end_of_day(day) if day else None
    return _access().issue_token(name, current_actor(), expires_at)


@bp.operation("/principals/<name>/tokens/<token_id>/revoke", "POST", action=ADMINISTER,
              self_service=True, response=TokenListSchema(), command=True)
def revoke_token(name: str, token_id: str) -> Reply:
    """Revoke a token (you may always revoke your own)."""
    _access().revoke_token(name, token_id, current_actor())
    return Reply({"items": _tokens(_access().principal(name))}, events=0)


@bp.operation(TENANT_PREFIX.removeprefix(API_PREFIX) + "/access-events",
              action=Action.READ_ACCESS, response=AccessEventListSchema())
def access_events() -> dict[str, Any]:
    """Every grant and revocation on the tenant, in order: who, by whom, when."""
    return {"items": _access().grant_history(tenant_slug() or "")}
