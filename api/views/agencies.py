"""The tenant's agency registry: list, show (ETag: version), register and rename; its
history (succession, merger, dissolution, alias) and collectives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from api import scope
from api.commands import dispatch
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.agencies import (
    AgencyAliasSchema,
    AgencyCollectiveSchema,
    AgencyDetailSchema,
    AgencyDissolveSchema,
    AgencyHistorySchema,
    AgencyListSchema,
    AgencyMergeSchema,
    AgencyRegisterSchema,
    AgencyRenameSchema,
    AgencySucceedSchema,
    AliasPreviewQuerySchema,
    AliasPreviewSchema,
)
from api.schemas.common import CommandResultSchema
from api.services import clock
from domain.agency import Agency
from domain.policy import Action
from projections.alias_preview import AliasPreview
from projections.details import AgencyEntry
from service.commands import (
    DissolveAgency,
    MarkCollective,
    MergeAgencies,
    MergeAlias,
    RegisterAgency,
    RenameAgency,
    SucceedAgency,
    build,
)
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


@bp.operation("/<agency>/history", action=Action.READ_STATUS, response=AgencyHistorySchema())
def agency_history(agency: str) -> AgencyEntry:
    """How the agency stands: whether it was succeeded, merged, dissolved or merged as
    another name, from when, and who carries on its duties."""
    key = scope.ledger().agency(agency).key
    return next(e for e in scope.queries().agencies() if e.key == key)


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


def _change(rule: str, schema: Schema) -> Callable[[View], View]:
    return bp.operation(f"/<agency>/{rule}", "POST", action=Action.AGENCY_MANAGE, body=schema,
                        response=CommandResultSchema(), etag=lambda r: int(r.version),
                        if_match=True, command=True)


@_change("succeed", AgencySucceedSchema())
def succeed_agency(agency: str, body: dict[str, Any]) -> Result:
    """From effective_on, the successors carry the agency's duties: its open tasks are theirs,
    what came before still names it."""
    return dispatch(build(SucceedAgency, body, agency=agency), body)


@bp.operation("/merge", "POST", action=Action.AGENCY_MANAGE, body=AgencyMergeSchema(),
              response=CommandResultSchema(), etag=lambda r: int(r.version), command=True)
def merge_agencies(body: dict[str, Any]) -> Result:
    """Several agencies become one from effective_on."""
    return dispatch(build(MergeAgencies, body), body)


@_change("dissolve", AgencyDissolveSchema())
def dissolve_agency(agency: str, body: dict[str, Any]) -> Result:
    """The agency ceases to exist from effective_on, with no successor."""
    return dispatch(build(DissolveAgency, body, agency=agency), body)


@bp.operation("/<agency>/alias-preview", action=Action.AGENCY_MANAGE,
              query=AliasPreviewQuerySchema(), response=AliasPreviewSchema())
def preview_alias(agency: str, query: dict[str, Any]) -> AliasPreview:
    """What merging this name into another agency would change: the tasks, reports and
    scorecard rows that move."""
    ledger = scope.ledger()
    alias, into = ledger.agency(agency).key, ledger.agency(query["into"]).key
    year = query.get("year") or clock().today().year
    return scope.queries().alias_preview(alias, into, year)


@_change("alias", AgencyAliasSchema())
def merge_alias(agency: str, body: dict[str, Any]) -> Result:
    """Merge this name into the agency it is another name of (preview first)."""
    return dispatch(build(MergeAlias, body, agency=agency), body)


@_change("collective", AgencyCollectiveSchema())
def mark_collective(agency: str, body: dict[str, Any]) -> Result:
    """Mark the agency as a collective (or, with is_collective false, unmark it)."""
    return dispatch(build(MarkCollective, body, agency=agency), body)
