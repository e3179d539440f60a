"""Tenants: the provinces (and ministries) hosted by the service."""

from __future__ import annotations

from marshmallow import fields, validate

from api.i18n import coded_text
from api.schemas.common import Strict

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$"
_SLUG_MESSAGE = coded_text("validation.tenant_slug")


class TenantSchema(Strict):
    slug = fields.String(required=True)
    display_name = fields.String(required=True)
    admin_code = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(["active", "archived"]))
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    simulated = fields.Boolean(required=True, metadata={
        "description": "True for a tenant whose history is simulated for demonstration "
                       "(`r57 demo`): not real data."})


class TenantListSchema(Strict):
    items = fields.List(fields.Nested(TenantSchema), required=True)


class TenantListQuerySchema(Strict):
    include_archived = fields.Boolean(load_default=False)


class TenantCreateSchema(Strict):
    slug = fields.String(required=True, validate=[
        validate.Length(min=1, max=40), validate.Regexp(SLUG_PATTERN, error=_SLUG_MESSAGE)])
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    admin_code = fields.String(
        allow_none=True, load_default=None,
        validate=validate.Regexp(r"^[0-9]{2,5}$", error=coded_text("tenant.bad_admin_code")),
        metadata={"description": "Official administrative code (QĐ 19/2025/QĐ-TTg)."},
    )


class TenantRenameSchema(Strict):
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
