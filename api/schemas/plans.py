"""Plans and their import from uploaded documents."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import (
    CommandContextSchema,
    FlexibleDate,
    PlanScopedSchema,
    RenderedMessage,
    RowProblemSchema,
    Strict,
    Upload,
    required_text,
    text,
)


class GroupSchema(Strict):
    code = fields.String(required=True)
    title = fields.String(required=True)


class PlanRevisionEntrySchema(Strict):
    amending = fields.String(required=True, metadata={
        "description": "The amending document: Quyết định số 245/QĐ-UBND."})
    amending_on = fields.Date(required=True, allow_none=True)
    effective_on = fields.Date(required=True)
    sha256 = fields.String(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "Tasks per kind of change recorded."})
    actor = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)


class PlanSchema(Strict):
    id = fields.UUID(required=True)
    number = fields.String(required=True)
    title = fields.String(required=True)
    issued_on = fields.Date(required=True, allow_none=True)
    issuing_body = fields.String(required=True)
    signer = fields.String(required=True)
    legal_basis = fields.List(fields.String(), required=True)
    groups = fields.List(fields.Nested(GroupSchema), required=True)
    revisions = fields.List(fields.Nested(PlanRevisionEntrySchema), required=True, metadata={
        "description": "The amending documents recorded against the plan, oldest first."})


class PlanListSchema(Strict):
    items = fields.List(fields.Nested(PlanSchema), required=True)


class PlanPreviewFormSchema(Strict):
    file = Upload(required=True, metadata={
        "description": "The plan document: .txt, .docx, .doc, .odt, .pdf, .csv or .xlsx."})


class PlanImportFormSchema(Strict):
    file = Upload(metadata={
        "description": "The plan document: .txt, .docx, .doc, .odt, .pdf, .csv or .xlsx. "
                       "Or name an upload kept by a preview in `upload`."})
    upload = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$"), metadata={
        "description": "The SHA-256 of a file uploaded to the preview (kept for 24 hours): "
                       "confirms it without sending the file again."})
    number = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "The plan's number (e.g. 1534/KH-UBND), when the document lacks it or "
                       "names it wrongly; wins over the document."})
    issued_on = FlexibleDate(load_default=None, metadata={
        "description": "The plan's issue date; wins over the document."})
    issuer = fields.String(load_default="", validate=validate.Length(max=300), metadata={
        "description": "The issuing body (e.g. UBND tỉnh Quảng Nam); wins over the document."})
    title = fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": "The plan's title; wins over the document."})
    accept_problems = fields.Boolean(load_default=False, metadata={
        "description": "Record the readable rows even if some rows could not be read."})
    effective_on = FlexibleDate(metadata={
        "description": "When the plan took effect; default its issue date."})


class ImportResultSchema(Strict):
    plan_number = fields.String(required=True)
    plan_id = fields.UUID(required=True)
    recorded = fields.Boolean(required=True, metadata={
        "description": "False when this document had been imported already."})
    tasks = fields.Integer(required=True)
    groups = fields.Integer(required=True)
    indicators = fields.Integer(required=True)
    new_agencies = fields.Integer(required=True)
    warnings = fields.List(RenderedMessage(), required=True, metadata={
        "description": "What to check in the recorded plan, in the request's language."})
    problems = fields.List(fields.Nested(RowProblemSchema), required=True)
    position = fields.Integer(required=True, allow_none=True)


class AgencyMarkSchema(Strict):
    name = fields.String(required=True)
    key = fields.String(required=True)
    matched = fields.Boolean(required=True, metadata={
        "description": "The tenant's register has this agency already."})
    registered = fields.String(required=True, allow_none=True)
    also_written = fields.List(fields.String(), required=True, metadata={
        "description": "The same agency written otherwise, here or in the register."})
    similar = fields.List(fields.String(), required=True, metadata={
        "description": "Other agencies whose names are nearly the same."})


class PreviewTaskSchema(Strict):
    reference = fields.String(required=True, metadata={
        "description": "The task's reference in the plan: II.3 when numbering restarts."})
    number = fields.String(required=True, metadata={"description": "As the document prints it."})
    group = fields.String(required=True)
    title = fields.String(required=True)
    leads = fields.List(fields.Nested(AgencyMarkSchema), required=True)
    coordinators = fields.List(fields.Nested(AgencyMarkSchema), required=True)
    deadline = fields.Dict(required=True, metadata={
        "description": "text, kind, due, start, warning, meaning (and annual_due)."})
    notes = fields.List(RenderedMessage(), required=True, metadata={
        "description": "What the reader did with the task's rows, in the request's language."})


class PreviewNoteSchema(Strict):
    row = fields.Integer(required=True)
    content = fields.String(required=True)
    note = RenderedMessage(required=True, metadata={
        "description": "What the reader did, in the request's language."})
    code = fields.String(required=True)
    reference = fields.String(required=True, allow_none=True)


class PlanPreviewSchema(Strict):
    upload = fields.String(required=True, allow_none=True, metadata={
        "description": "Send it as `upload` to import this file without sending it again."})
    header = fields.Dict(required=True, metadata={
        "description": "What the document says: number, title, issued_on, issuer, place, "
                       "signer, signer_title, legal_basis."})
    missing = fields.List(fields.String(), required=True, metadata={
        "description": "Metadata the document lacks and the import must supply."})
    source_format = fields.String(required=True)
    groups = fields.List(fields.Nested(GroupSchema), required=True)
    tasks = fields.List(fields.Nested(PreviewTaskSchema), required=True)
    agencies = fields.List(fields.Nested(AgencyMarkSchema), required=True)
    notes = fields.List(fields.Nested(PreviewNoteSchema), required=True)
    problems = fields.List(fields.Nested(RowProblemSchema), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


# -- plans typed in by hand ---------------------------------------------------------------

_AGENCIES = ("As the plan writes them; several are separated by ';' (or ',' or 'và' as an "
             "import reads a cell). Registered agencies are matched by name; others are "
             "registered.")


class PlanCreateSchema(CommandContextSchema):
    number = required_text(100, metadata={"description": "The plan's number: 1534/KH-UBND."})
    title = text(2000, load_default="", metadata={"description": "Its title (trích yếu)."})
    issued_on = FlexibleDate(load_default=None, metadata={
        "description": "Its issue date (dd/mm/yyyy or yyyy-mm-dd); its parts take effect then."})
    issuer = text(300, load_default="", metadata={
        "description": "The issuing body: UBND tỉnh Quảng Nam."})
    place = text(100, load_default="")
    signer = text(200, load_default="")
    signer_title = text(200, load_default="")
    legal_basis = fields.List(fields.String(validate=validate.Length(max=200)),
                              load_default=list, validate=validate.Length(max=50), metadata={
                                  "description": "Documents it is based on: 57-NQ/TW, ..."})


class GroupAddSchema(PlanScopedSchema):
    code = required_text(20, metadata={"description": "As the plan writes it: I, II, ..."})
    title = required_text(1000)


class TaskAddSchema(PlanScopedSchema):
    number = required_text(20, metadata={
        "description": "The task's reference: 5; or II.3 when the plan numbers its tasks "
                       "again in each group."})
    title = required_text(4000)
    group = text(20, load_default="", metadata={
        "description": "The group's code; may be left out when the plan has one group or "
                       "none (then tasks go in group I, 'Nhiệm vụ', as an import puts them)."})
    leads = text(2000, load_default="", metadata={"description": _AGENCIES})
    coordinators = text(2000, load_default="", metadata={"description": _AGENCIES})
    expected_output = text(2000, load_default="")
    deadline = text(200, load_default="", metadata={
        "description": "As the plan writes it: 30/06/2025, 6/2025, Quý II/2025, 2025 - 2030, "
                       "Hằng năm, Thường xuyên, ... What is not understood is kept as text "
                       "(`deadline.kind` is then `unparsed`), as an import keeps it."})


class IndicatorAddSchema(PlanScopedSchema):
    code = required_text(20, metadata={"description": "1, 7, 7.1 (7.1 belongs under 7)."})
    name = required_text(2000)
    unit = text(100, load_default="")
    target = text(500, load_default="", metadata={
        "description": "As written: ≥ 80, > 0,7, Tiên tiến, hiện đại. With neither unit nor "
                       "target the indicator heads the ones numbered under it."})
    responsible = text(2000, load_default="", metadata={"description": _AGENCIES})
    horizon_year = fields.Integer(load_default=None, allow_none=True,
                                  validate=validate.Range(min=2000, max=2100))


class _Recorded(Strict):
    id = fields.UUID(required=True, metadata={"description": "The aggregate recorded."})
    version = fields.Integer(required=True)
    position = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Log position of the last event recorded."})


class PlanCreatedSchema(_Recorded):
    number = fields.String(attribute="detail.number", required=True)


class _PlanPart(_Recorded):
    plan = fields.String(attribute="detail.plan", required=True, metadata={
        "description": "The plan's number."})


class GroupAddedSchema(_PlanPart):
    group = fields.String(attribute="detail.group", required=True)


class TaskAddedSchema(_PlanPart):
    number = fields.String(attribute="detail.number", required=True)
    group = fields.String(attribute="detail.group", required=True)
    group_added = fields.Boolean(attribute="detail.group_added", required=True, metadata={
        "description": "The plan had no group: group I was added for it."})
    deadline = fields.Dict(attribute="detail.deadline", required=True, metadata={
        "description": "As parsed: text, kind, due, start, warning, meaning."})
    new_agencies = fields.List(fields.String(), attribute="detail.new_agencies", required=True,
                               metadata={"description": "Agencies registered with it."})


class IndicatorAddedSchema(_PlanPart):
    code = fields.String(attribute="detail.code", required=True)
    heading = fields.Boolean(attribute="detail.heading", required=True)
    new_agencies = fields.List(fields.String(), attribute="detail.new_agencies", required=True)
