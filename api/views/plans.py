"""Plans: list them, and import one by uploading its document."""

from __future__ import annotations

import hashlib
from typing import Any

from api import scope
from api.commands import context
from api.operation import Reply
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.plans import ImportResultSchema, PlanImportFormSchema, PlanListSchema
from domain.plan_document import PlanHeader
from domain.policy import Action
from importers.isolation import read_isolated

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
    """Import a plan document uploaded as multipart/form-data.

    Formats: .txt, .docx, .doc, .odt, .pdf (with a text layer), .csv, .xlsx. `number`,
    `issued_on`, `issuer` and `title` supply or override what the document says.

    201 when recorded; 200 when this very document had been imported already (nothing new).
    """
    upload = form["file"]
    data = upload.read()
    given = PlanHeader(number=form.get("number", ""), title=form.get("title", ""),
                       issued_on=form.get("issued_on"), issuing_body=form.get("issuer", ""))
    document = read_isolated(data, upload.filename or "", header=given)
    ledger = scope.ledger()
    result = ledger.import_plan(document, hashlib.sha256(data).hexdigest(), context(form),
                                accept_problems=form["accept_problems"])
    if not result.recorded:
        return Reply(result, status=200, events=0)
    first_plan = len(ledger.catalogue().plans) == 1  # the catalogue opened with it
    events = 2 + int(first_plan) + result.tasks + result.indicators + result.new_agencies
    return Reply(result, events=events)
