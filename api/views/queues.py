"""Work queues ("Việc cần xử lý"): what waits for the principal asking, in one tenant."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from api import scope
from api.i18n import language
from api.principal import current_principal
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.queues import QueueQuerySchema, WorkQueueSchema
from api.services import clock, services
from domain.policy import Action
from service.audit_texts import entry_json
from service.visits import VisitStore

bp = ApiBlueprint("queues", __name__, url_prefix=TENANT_PREFIX)


@bp.operation("/queue", action=Action.READ_STATUS, query=QueueQuerySchema(),
              response=WorkQueueSchema())
def show_queue(query: dict[str, Any]) -> dict[str, Any]:
    """What waits for the principal here, by its roles: for the standing body, the reports,
    completion and extension requests and answers to directions awaiting its decision, oldest
    first, with the days each has waited; for an agency reporter, its tasks (leading and
    coordinating) with days remaining or overdue, what was returned with the reason, what is
    due within 30 and 7 days, what is overdue and the reports owed for the current quarter;
    for auditors and inspectors, what was recorded since their last visit to the queue page
    (or since `since`). Reading it records no visit."""
    principal = current_principal()
    slug = scope.tenant_slug() or ""
    since = query.get("since") or VisitStore(
        services().tenancy.storage.database, clock()).since(principal.name, slug)
    queue = scope.queries().work_queue(principal.grants, clock(), since)
    found = {**{f: getattr(queue, f) for f in ("tenant", "on", "review", "agencies")},
             "count": queue.count, "news": None}
    if queue.news is not None:
        lang = language()
        found["news"] = {**asdict(replace(queue.news, entries=())),
                         "entries": [entry_json(e, lang) for e in queue.news.entries]}
    return found
