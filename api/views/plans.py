"""Plans: list them, import one by uploading its document, or type one in by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from api import scope
from api.commands import dispatch
from api.operation import Reply
from api.routing import TENANT_PREFIX, ApiBlueprint, View
from api.schemas.plans import (
    GroupAddedSchema,
    GroupAddSchema,
    ImportResultSchema,
    IndicatorAddedSchema,
    IndicatorAddSchema,
    PlanCreatedSchema,
    PlanCreateSchema,
    PlanImportFormSchema,
    PlanListSchema,
    PlanPreviewFormSchema,
    PlanPreviewSchema,
    TaskAddedSchema,
    TaskAddSchema,
)
from api.schemas.revisions import PlanReviseFormSchema, PlanRevisionSchema
from api.services import services
from domain.errors import DomainError
from domain.plan_document import PlanHeader
from domain.policy import Action
from importers.isolation import read_isolated
from service.commands import (
    AddGroup,
    AddIndicator,
    AddTask,
    CommandResult,
    CreatePlan,
    ImportPlan,
    ImportResult,
    RevisePlan,
    build,
)
from service.handlers import Result
from service.import_preview import build_preview, preview_json
from service.revision import preview_revision, revision_json
from service.uploads import UploadStore

bp = ApiBlueprint("plans", __name__, url_prefix=TENANT_PREFIX + "/plans")


@bp.operation("", action=Action.READ_STATUS, response=PlanListSchema())
def list_plans() -> dict[str, Any]:
    """List the tenant's plans with their groups of tasks."""
    return {"items": scope.queries().plans()}


@bp.operation("/preview", "POST", action=Action.PLAN_IMPORT, form=PlanPreviewFormSchema(),
              response=PlanPreviewSchema())
def preview_plan(form: dict[str, Any]) -> dict[str, Any]:
    """Read a plan document without recording it: what an import would record, and `upload`.

    Each task under its reference, its agencies marked as matched or new (with names that
    look alike), its deadline as parsed, the reader's notes, unreadable rows and the
    document's metadata (`missing` names what must be supplied). The file is kept for 24
    hours under its SHA-256, returned as `upload`: import it by sending that instead of the
    file again.
    """
    upload = form["file"]
    data = upload.read()
    filename = (upload.filename or "")[-200:]
    document = read_isolated(data, filename, require_number=False)
    slug = scope.tenant_slug() or ""
    digest = UploadStore(services().tenancy.storage.database).put(slug, data, filename)
    preview = build_preview(document, scope.queries().state().agencies)
    return preview_json(preview, digest)


@bp.operation("", "POST", action=Action.PLAN_IMPORT, status=201, also=(200,),
              form=PlanImportFormSchema(),
              response=ImportResultSchema(), command=True)
def import_plan(form: dict[str, Any]) -> Reply:
    """Import a plan document uploaded as multipart/form-data, or one kept by a preview.

    Formats: .txt, .docx, .doc, .odt, .pdf (with a text layer), .csv, .xlsx. `number`,
    `issued_on`, `issuer` and `title` supply or override what the document says.
    201 when recorded; 200 when this very document had been imported already (nothing new).
    """
    data, filename = _document_file(form)
    given = PlanHeader(number=form.get("number", ""), title=form.get("title", ""),
                       issued_on=form.get("issued_on"), issuing_body=form.get("issuer", ""))
    document = read_isolated(data, filename, header=given)
    result = dispatch(ImportPlan(document=document, sha256=hashlib.sha256(data).hexdigest(),
                                 accept_problems=form["accept_problems"]), form)
    assert isinstance(result, ImportResult)
    if not result.recorded:
        return Reply(result, status=200, events=0)
    first_plan = len(scope.ledger().catalogue().plans) == 1  # the catalogue opened with it
    events = 2 + int(first_plan) + result.tasks + result.indicators + result.new_agencies
    return Reply(result, events=events)


@bp.operation("/revisions", "POST", action=Action.PLAN_IMPORT, status=201, also=(200,),
              form=PlanReviseFormSchema(), response=PlanRevisionSchema(), command=True)
def revise_plan(form: dict[str, Any]) -> Reply:
    """Revise a plan by a revised or amending document: preview the differences, or record them.

    The document's tasks are compared with the plan's: matched by group and number, or by
    wording when an amendment renumbered them. Each change (a task added, removed, re-worded,
    re-dated, given another lead or other coordinators, moved to another group; a group
    renamed; an indicator added, removed or given another target) is recorded as the event a
    person would record, citing `amending` and taking effect on its date, all in one
    transaction, with `Plan.Revised`. `listed_only=true`: the document lists only the tasks
    it amends or adds (the others stay). `preview=true` answers the differences and records
    nothing. 201 when recorded; 200 for a preview, or when this document was recorded against
    the plan before.
    """
    data, filename = _document_file(form)
    document = read_isolated(data, filename, require_number=False)
    sha256 = hashlib.sha256(data).hexdigest()
    tenant = scope.ledger()
    preview = preview_revision(tenant, tenant.plan(form["plan"]), document, sha256,
                               partial=form["listed_only"])
    shown = revision_json(preview, scope.queries().state().agencies)
    if form["preview"]:
        return Reply({**shown, "recorded": False, "position": None, "events": 0}, status=200,
                     events=0)
    result = dispatch(RevisePlan(
        plan=preview.plan, document=document, sha256=sha256, amending=form["amending"],
        amending_on=form["amending_on"], reason=form["reason"],
        accept_problems=form["accept_problems"], partial=form["listed_only"]), form)
    assert isinstance(result, CommandResult)
    recorded = bool(result.detail["recorded"])
    events = int(result.detail["events"])
    return Reply({**shown, "recorded": recorded, "position": result.position,
                  "events": events}, status=201 if recorded else 200, events=events)


def _document_file(form: dict[str, Any]) -> tuple[bytes, str]:
    upload, kept = form.get("file"), form.get("upload")
    if (upload is None) == (kept is None):
        raise DomainError("plan_upload.file_or_upload", field="file")
    if upload is not None:
        return upload.read(), upload.filename or ""
    store = UploadStore(services().tenancy.storage.database)
    stored = store.get(scope.tenant_slug() or "", str(kept))
    if stored is None:
        raise DomainError("plan_upload.not_kept", field="upload")
    return stored


# -- plans typed in by hand: the header, then each group, task and indicator --------------

def _typed_in(rule: str, body: Schema, response: Schema) -> Callable[[View], View]:
    return bp.operation(rule, "POST", action=Action.PLAN_IMPORT, status=201, body=body,
                        response=response, command=True)


@_typed_in("/typed", PlanCreateSchema(), PlanCreatedSchema())
def create_plan(body: dict[str, Any]) -> Reply:
    """Create a plan typed in by hand (one with no table to import): its header.

    Its groups, tasks and indicators follow, one request each, and are recorded as an
    import records them: a plan typed in and the same plan imported read the same.
    """
    result = dispatch(build(CreatePlan, body), body)
    first_plan = len(scope.ledger().catalogue().plans) == 1  # the catalogue opened with it
    return Reply(result, events=2 + int(first_plan))


@_typed_in("/groups", GroupAddSchema(), GroupAddedSchema())
def add_group(body: dict[str, Any]) -> Result:
    """Add a group of tasks (I, II, ...) to a plan."""
    return dispatch(build(AddGroup, body), body)


@_typed_in("/tasks", TaskAddSchema(), TaskAddedSchema())
def add_task(body: dict[str, Any]) -> Reply:
    """Add a task to a plan, as a row of its task table: its agencies and deadline as the
    plan writes them, read by the rules of an import."""
    result = dispatch(build(AddTask, body), body)
    assert isinstance(result, CommandResult)
    detail = result.detail
    return Reply(result, events=1 + len(detail["new_agencies"]) + int(detail["group_added"]))


@_typed_in("/indicators", IndicatorAddSchema(), IndicatorAddedSchema())
def add_indicator(body: dict[str, Any]) -> Reply:
    """Add an indicator to a plan, as a row of its indicator table."""
    result = dispatch(build(AddIndicator, body), body)
    assert isinstance(result, CommandResult)
    return Reply(result, events=1 + len(result.detail["new_agencies"]))
