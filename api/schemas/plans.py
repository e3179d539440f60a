"""Plans and their import from uploaded documents."""

from __future__ import annotations

from marshmallow import fields

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
        "description": "The plan document: .txt, .docx, .csv or .xlsx."})
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
