"""Who is acting: the principal the request's bearer token stands for, set by the guard.

Nothing a client sends names the actor: events record the authenticated principal's name.
"""

from __future__ import annotations

from flask import g

from service.access import PrincipalView


def current_principal() -> PrincipalView:
    found: PrincipalView = g.r57_principal
    return found


def current_actor() -> str:
    return current_principal().actor


def acting_agency(named: str | None) -> str | None:
    """The agency a command is recorded for: an agency reporter's own, from its grant (the
    guard chose it), else the one a tenant administrator names, if any."""
    own: str | None = g.get("r57_agency")
    return own or named
