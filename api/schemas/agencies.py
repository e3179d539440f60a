"""The tenant's agency registry."""

from __future__ import annotations

from marshmallow import fields

from api.schemas.common import CommandContextSchema, Strict, required_text


class AgencySchema(Strict):
    key = fields.String(required=True, metadata={"description": "Normalised name: the identity."})
    name = fields.String(required=True)
    is_collective = fields.Boolean(required=True)


class AgencyDetailSchema(AgencySchema):
    version = fields.Integer(required=True)


class AgencyListSchema(Strict):
    items = fields.List(fields.Nested(AgencySchema), required=True)


class AgencyRegisterSchema(CommandContextSchema):
    name = required_text(300)


class AgencyRenameSchema(CommandContextSchema):
    new_name = required_text(300)
    reason = required_text()
