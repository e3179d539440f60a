"""Tenants: the provinces (and ministries) hosted by the service."""

from __future__ import annotations

from marshmallow import fields, validate

from api.i18n import coded_text
from api.schemas.common import FlexibleDate, Strict

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
    merged_into = fields.String(required=True, allow_none=True, metadata={
        "description": "The tenant this one was merged into (it is then archived)."})
    merged_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "The merger's effective date."})


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


class TenantMergeSchema(Strict):
    tenants = fields.List(fields.String(validate=validate.Regexp(
        SLUG_PATTERN, error=_SLUG_MESSAGE)), required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"description": "The slugs of the tenants merged (they become archives)."})
    into = fields.String(required=True, validate=validate.Regexp(
        SLUG_PATTERN, error=_SLUG_MESSAGE), metadata={
        "description": "The slug of the tenant that carries their plans on."})
    merged_on = FlexibleDate(required=True, metadata={
        "description": "The merger's effective date (yyyy-mm-dd or dd/mm/yyyy)."})
    decision_ref = fields.String(load_default="", validate=validate.Length(max=500),
                                 metadata={"description": "The deciding document, e.g. "
                                           "'Nghị quyết 1659/NQ-UBTVQH15'."})
    grants = fields.String(load_default="keep", validate=validate.OneOf(["keep", "move"]),
                           metadata={"description": "move: re-issue every grant held on a "
                                     "merged tenant on the new one (the old grants stay, "
                                     "read-only); keep: grant anew."})


class SkippedGrantSchema(Strict):
    principal = fields.String(required=True)
    agency = fields.String(required=True, metadata={
        "description": "The agency as the merged tenant names it."})


class MergerSchema(Strict):
    old = fields.String(required=True)
    into = fields.String(required=True)
    merged_on = fields.Date(required=True)
    recorded = fields.Boolean(required=True, metadata={
        "description": "False when an earlier run had recorded this merger already."})
    plans = fields.List(fields.String(), required=True)
    tasks = fields.Integer(required=True)
    tree_size = fields.Integer(required=True, metadata={
        "description": "How many entries the old tenant's log ends with."})
    root_hash = fields.String(required=True, metadata={
        "description": "The Merkle root of the old tenant's final log (hex)."})
    signed = fields.Boolean(required=True)
    position = fields.Integer(required=True, allow_none=True)
    grants = fields.Integer(required=True)
    skipped_grants = fields.List(fields.Nested(SkippedGrantSchema), required=True, metadata={
        "description": "With grants=move: the agency reporters' grants not re-issued, their "
                       "agency not being in the new tenant's register."})


class MergerListSchema(Strict):
    items = fields.List(fields.Nested(MergerSchema), required=True)


class LineageSchema(Strict):
    old_tenant = fields.String(required=True, metadata={
        "description": "The tenant merged into this one (now a read-only archive)."})
    old_name = fields.String(required=True)
    merged_on = fields.Date(required=True)
    decision_ref = fields.String(required=True)
    plans = fields.List(fields.String(), required=True)
    tasks = fields.Integer(required=True)
    tree_size = fields.Integer(required=True, metadata={
        "description": "The old log's final tree head, recorded in this tenant's log: an "
                       "export of the old tenant must end at exactly these entries, root "
                       "and chain hash."})
    last_position = fields.Integer(required=True)
    root_hash = fields.String(required=True)
    chain_hash = fields.String(required=True)
    checkpoint = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                             metadata={"description": "The checkpoint signed for that head "
                                       "(body and signature), or {} when unsigned."})


class LineageListSchema(Strict):
    items = fields.List(fields.Nested(LineageSchema), required=True)
