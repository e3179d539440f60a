"""Plan status: every task with its status class, as of any date and as known at any time."""

from __future__ import annotations

from typing import Any

from api import scope
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.tasks import StatusQuerySchema, StatusSchema
from api.services import clock
from domain.policy import Action

bp = ApiBlueprint("status", __name__, url_prefix=TENANT_PREFIX + "/status")


@bp.operation("", action=Action.READ_STATUS, query=StatusQuerySchema(),
              response=StatusSchema())
def show_status(query: dict[str, Any]) -> dict[str, Any]:
    """Each task's status on `on` (default today), from what was recorded by `known_at` and
    in effect by `effective_on`."""
    known_at, effective_on = query.get("known_at"), query.get("effective_on")
    on = query.get("on") or clock().today()
    rows = scope.queries().status(on, known_at=known_at, effective_on=effective_on)
    if query.get("plan"):
        rows = [r for r in rows if r.plan == query["plan"]]
    return {"on": on, "known_at": known_at, "effective_on": effective_on, "tasks": rows}
