"""The tenant's agency registry: list, show (ETag: version), register and rename."""

from __future__ import annotations

from typing import Any

from api import scope
from api.commands import dispatch
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.agencies import (
    AgencyDetailSchema,
    AgencyListSchema,
    AgencyRegisterSchema,
    AgencyRenameSchema,
)
from api.schemas.common import CommandResultSchema
from domain.agency import Agency
from domain.policy import Action
from service.commands import RegisterAgency, RenameAgency, build
from service.handlers import Result

bp = ApiBlueprint("agencies", __name__, url_prefix=TENANT_PREFIX + "/agencies")


@bp.operation("", action=Action.READ_STATUS, response=AgencyListSchema())
def list_agencies() -> dict[str, Any]:
    """List the agencies the tenant's plans name, collectives included."""
    return {"items": scope.queries().agencies()}


@bp.operation("/<agency>", action=Action.READ_STATUS, response=AgencyDetailSchema(),
              etag=lambda a: int(a.version))
def show_agency(agency: str) -> Agency:
    """Show an agency by its key or any spelling of its name. ETag: its version."""
    return scope.ledger().agency(agency)


@bp.operation("", "POST", action=Action.AGENCY_MANAGE, status=201, body=AgencyRegisterSchema(),
              response=CommandResultSchema(), etag=lambda r: int(r.version), command=True)
def register_agency(body: dict[str, Any]) -> Result:
    """Register an agency."""
    return dispatch(build(RegisterAgency, body), body)


@bp.operation("/<agency>/rename", "POST", action=Action.AGENCY_MANAGE, body=AgencyRenameSchema(),
              response=CommandResultSchema(), etag=lambda r: int(r.version), if_match=True,
              command=True)
def rename_agency(agency: str, body: dict[str, Any]) -> Result:
    """Rename an agency; its tasks and history stay its own."""
    return dispatch(build(RenameAgency, body, agency=agency), body)
