"""Plan status: every task with its status class, as of any date and as known at any time."""

from __future__ import annotations

from typing import Any

from api import scope
from api.operation import Serialised, serialise
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.tasks import StatusQuerySchema, StatusSchema
from api.services import clock, services
from domain.policy import Action

bp = ApiBlueprint("status", __name__, url_prefix=TENANT_PREFIX + "/status")
ANSWER = StatusSchema()


@bp.operation("", action=Action.READ_STATUS, query=StatusQuerySchema(), response=ANSWER)
def show_status(query: dict[str, Any]) -> Serialised:
    """Each task's status on `on` (default today), from what was recorded by `known_at` and
    in effect by `effective_on`."""
    known_at, effective_on = query.get("known_at"), query.get("effective_on")
    on, plan = query.get("on") or clock().today(), query.get("plan")
    reads = scope.queries()
    # Kept by the position the read models stand at: repeated reads skip the dump. An
    # answer made after a write that landed meanwhile is only fresher than its key.
    key = ("status", reads.app.slug, reads.refresh(), on, known_at, effective_on, plan)

    def answer() -> Serialised:
        rows = reads.status(on, known_at=known_at, effective_on=effective_on)
        if plan:
            rows = [r for r in rows if r.plan == plan]
        return Serialised(serialise(ANSWER, {"on": on, "known_at": known_at,
                                             "effective_on": effective_on, "tasks": rows}))

    return services().answers.answer(key, answer)
