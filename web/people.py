"""People as pages name them: a principal by its display name, not its login name; what
the service records itself as "Hệ thống"."""

from __future__ import annotations

from flask import g

from web.state import state

SYSTEM = "Hệ thống"


def actor_name(actor: str) -> str:
    """The display name of whoever recorded an event (looked up once per request)."""
    if actor.startswith("system:") or actor in ("setup", "system"):
        return SYSTEM
    names: dict[str, str] | None = g.get("actor_names")
    if names is None:
        names = {p.name: p.display_name for p in state().tenancy.access.principals()}
        g.actor_names = names
    return names.get(actor, actor)
