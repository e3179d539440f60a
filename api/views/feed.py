"""The tenant's event feed: every event in log order, resumable from a position."""

from __future__ import annotations

from typing import Any

from api import scope
from api.event_log import read_page
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.feed import FeedPageSchema, FeedQuerySchema
from domain.policy import Action

bp = ApiBlueprint("feed", __name__, url_prefix=TENANT_PREFIX + "/events")


@bp.operation("", action=Action.READ_FEED, query=FeedQuerySchema(),
              response=FeedPageSchema())
def read_feed(query: dict[str, Any]) -> dict[str, Any]:
    """Events after a log position, in log order, with their recorded fields.

    A replica keeps `next_after` and asks again from there; positions may have gaps.
    """
    items, has_more = read_page(scope.ledger().app, query["after"], query["limit"])
    next_after = items[-1].position if items else query["after"]
    return {"items": items, "next_after": next_after, "has_more": has_more}
