"""Plans and their import from uploaded documents."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import FlexibleDate, RowProblemSchema, Strict, Upload


class GroupSchema(Strict):
    code = fields.String(required=True)
    title = fields.String(required=True)


class PlanSchema(Strict):
    id = fields.UUID(required=True)
    number = fields.String(required=True)
    title = fields.String(required=True)
    issued_on = fields.Date(required=True, allow_none=True)
    issuing_body = fields.String(required=True)
    signer = fields.String(required=True)
    legal_basis = fields.List(fields.String(), required=True)
    groups = fields.List(fields.Nested(GroupSchema), required=True)


class PlanListSchema(Strict):
    items = fields.List(fields.Nested(PlanSchema), required=True)


class PlanImportFormSchema(Strict):
    file = Upload(required=True, metadata={
        "description": "The plan document: .txt, .docx, .doc, .odt, .pdf, .csv or .xlsx."})
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
    warnings = fields.List(fields.String(), required=True)
    problems = fields.List(fields.Nested(RowProblemSchema), required=True)
    position = fields.Integer(required=True, allow_none=True)
