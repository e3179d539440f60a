"""The national view: every province the principal may compare, side by side."""

from __future__ import annotations

from typing import Any

from api.principal import current_principal
from api.routing import API_PREFIX, ApiBlueprint
from api.schemas.national import NationalQuerySchema, NationalSchema
from api.services import clock, services
from domain.policy import Action, tenants_readable
from service.national import comparable_tenants, compare, period_of

bp = ApiBlueprint("national", __name__, url_prefix=API_PREFIX + "/national")


@bp.operation("", action=Action.READ_NATIONAL, query=NationalQuerySchema(),
              response=NationalSchema())
def national(query: dict[str, Any]) -> dict[str, Any]:
    """Provinces side by side: status classes (counts and percentages), overdue tasks,
    deadline changes in a period and reports missing, with each replica's lag.

    Covers every tenant on which the principal holds the national monitor's role, local
    or replicated from a province's own deployment.
    """
    on = query.get("on") or clock().today()
    changes_from, changes_to = period_of(on, query.get("changes_from"), query.get("changes_to"))
    allowed = tenants_readable(current_principal().grants, Action.READ_NATIONAL)
    tenancy = services().tenancy
    return compare(tenancy, comparable_tenants(tenancy, allowed), on, changes_from,
                   changes_to).to_dict()
