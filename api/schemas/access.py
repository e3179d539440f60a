"""Principals, their grants and tokens. A token's secret appears once, when it is issued."""

from __future__ import annotations

from marshmallow import fields, validate

from api.i18n import coded_text
from api.schemas.common import FlexibleDate, Strict, text
from domain.access import Role

NAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{1,63}$"
_NAME_MESSAGE = coded_text("validation.principal_name")


class GrantSchema(Strict):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    tenant = fields.String(required=True, metadata={
        "description": "Tenant slug; empty for the service-wide system administrator."})
    agency = fields.String(required=True, metadata={
        "description": "An agency reporter's agency (its key); empty for other roles."})


class TokenSchema(Strict):
    id = fields.String(required=True, metadata={"description": "Public id; not the secret."})
    expires_at = fields.DateTime(required=True, allow_none=True)
    live = fields.Boolean(required=True)


class PrincipalSchema(Strict):
    name = fields.String(required=True)
    display_name = fields.String(required=True)
    grants = fields.List(fields.Nested(GrantSchema), required=True)
    tokens = fields.List(fields.Nested(TokenSchema), required=True)


class PrincipalListSchema(Strict):
    items = fields.List(fields.Nested(PrincipalSchema), required=True)


class TokenListSchema(Strict):
    items = fields.List(fields.Nested(TokenSchema), required=True)


class PrincipalCreateSchema(Strict):
    name = fields.String(required=True, validate=[
        validate.Length(min=2, max=64), validate.Regexp(NAME_PATTERN, error=_NAME_MESSAGE)])
    display_name = text(200, load_default="")


class GrantRequestSchema(Strict):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    tenant = fields.String(load_default="", validate=validate.Length(max=40), metadata={
        "description": "Tenant slug (every role but system_admin)."})
    agency = text(300, load_default="", metadata={
        "description": "The agency an agency_reporter reports for (name or key)."})


class TokenRequestSchema(Strict):
    expires_on = FlexibleDate(load_default=None, allow_none=True, metadata={
        "description": "Last valid day (UTC); none: valid until revoked."})


class IssuedTokenSchema(Strict):
    token = fields.String(required=True, metadata={
        "description": "The bearer token. Shown this once; only its hash is kept."})
    token_id = fields.String(required=True)
    principal = fields.String(required=True)
    expires_at = fields.DateTime(required=True, allow_none=True)


class AccessEventSchema(Strict):
    position = fields.Integer(required=True, metadata={"description": "Access log position."})
    event = fields.String(required=True, validate=validate.OneOf(["Granted", "Revoked"]))
    principal = fields.String(required=True)
    role = fields.String(required=True)
    agency = fields.String(required=True)
    by = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)


class AccessEventListSchema(Strict):
    items = fields.List(fields.Nested(AccessEventSchema), required=True)
