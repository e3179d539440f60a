"""Plans: list them, and import one by uploading its document."""

from __future__ import annotations

import hashlib
from typing import Any

from api import scope
from api.commands import context
from api.operation import Reply
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.plans import ImportResultSchema, PlanImportFormSchema, PlanListSchema
from domain.policy import Action
from importers import read_plan_bytes

bp = ApiBlueprint("plans", __name__, url_prefix=TENANT_PREFIX + "/plans")


@bp.operation("", action=Action.READ_STATUS, response=PlanListSchema())
def list_plans() -> dict[str, Any]:
    """List the tenant's plans with their groups of tasks."""
    plans = scope.queries().state().plans.values()
    return {"items": [
        {**vars(plan), "groups": [{"code": c, "title": t} for c, t in plan.groups.items()]}
        for plan in plans
    ]}


@bp.operation("", "POST", action=Action.PLAN_IMPORT, status=201, also=(200,),
              form=PlanImportFormSchema(),
              response=ImportResultSchema(), command=True)
def import_plan(form: dict[str, Any]) -> Reply:
    """Import a plan document (.txt, .docx, .csv, .xlsx) uploaded as multipart/form-data.

    201 when recorded; 200 when this very document had been imported already (nothing new).
    """
    upload = form["file"]
    data = upload.read()
    document = read_plan_bytes(data, upload.filename or "")
    ledger = scope.ledger()
    result = ledger.import_plan(document, hashlib.sha256(data).hexdigest(), context(form),
                                accept_problems=form["accept_problems"])
    if not result.recorded:
        return Reply(result, status=200, events=0)
    first_plan = len(ledger.catalogue().plans) == 1  # the catalogue opened with it
    events = 2 + int(first_plan) + result.tasks + result.indicators + result.new_agencies
    return Reply(result, events=events)
