"""The tenant's agency registry."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import CommandContextSchema, Strict, required_text, text


class AgencySchema(Strict):
    key = fields.String(required=True, metadata={"description": "Normalised name: the identity."})
    name = fields.String(required=True)
    is_collective = fields.Boolean(required=True)


class AgencyHistorySchema(AgencySchema):
    ended = fields.String(required=True, metadata={
        "description": "How the agency ended: succession, merger, dissolution, alias; '' if not."})
    ended_on = fields.Date(required=True, allow_none=True)
    successors = fields.List(fields.String(), required=True, metadata={
        "description": "The names of the agencies carrying on its duties."})


class AgencyDetailSchema(AgencySchema):
    version = fields.Integer(required=True)


class AgencyListSchema(Strict):
    items = fields.List(fields.Nested(AgencySchema), required=True)


class AgencyRegisterSchema(CommandContextSchema):
    name = required_text(300)


class AgencyRenameSchema(CommandContextSchema):
    new_name = required_text(300)
    reason = required_text()


class _Decided(CommandContextSchema):
    reason = required_text()
    decision_ref = text(200, load_default="", metadata={
        "description": "The deciding document, e.g. 14/NQ-HĐND."})


class AgencySucceedSchema(_Decided):
    successors = fields.List(required_text(300), required=True,
                             validate=validate.Length(min=1, max=50), metadata={
        "description": "Agencies carrying on its duties from effective_on (registered when new)."})


class AgencyMergeSchema(_Decided):
    agencies = fields.List(required_text(300), required=True,
                           validate=validate.Length(min=2, max=50))
    into = required_text(300, metadata={"description": "The merged agency (registered when new)."})


class AgencyDissolveSchema(_Decided):
    pass


class AgencyAliasSchema(CommandContextSchema):
    into = required_text(300, metadata={"description": "The agency this name is another name of."})
    reason = text(2000, load_default="")


class AgencyCollectiveSchema(CommandContextSchema):
    is_collective = fields.Boolean(load_default=True)
    reason = text(2000, load_default="")


class AliasPreviewQuerySchema(Strict):
    into = required_text(300)
    year = fields.Integer(strict=False, validate=validate.Range(2000, 2100))


class AgencyRefSchema(Strict):
    key = fields.String(required=True)
    name = fields.String(required=True)


class AliasPreviewSchema(Strict):
    alias = fields.Nested(AgencyRefSchema, required=True)
    agency = fields.Nested(AgencyRefSchema, required=True)
    tasks = fields.List(fields.String(), required=True, metadata={
        "description": "The tasks naming the alias ('plan number'): they become the agency's."})
    reports = fields.Integer(required=True, metadata={"description": "Reports made for it."})
    score_led_before = fields.List(fields.Integer(), required=True, metadata={
        "description": "Tasks led in the year: [the alias, the agency]."})
    score_led_after = fields.Integer(required=True)
