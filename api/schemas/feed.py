"""The tenant's event feed: every recorded event in log order, for replicas and auditors."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import Strict

MAX_PAGE = 1000


class FeedQuerySchema(Strict):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**62), metadata={
        "description": "Return events after this log position (0: from the start)."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE))


class FeedItemSchema(Strict):
    position = fields.Integer(required=True, metadata={"description": "Log position."})
    originator_id = fields.UUID(required=True, metadata={"description": "The aggregate's id."})
    originator_version = fields.Integer(required=True)
    topic = fields.String(required=True, metadata={
        "description": "The event class, module:QualName (e.g. domain.task:Task.Completed)."})
    type = fields.String(required=True, metadata={"description": "e.g. Task.Completed"})
    recorded_at = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "null when the entry's recorded fields are withheld."})
    state = fields.Dict(required=True, metadata={
        "description": "The recorded fields exactly as stored: values of types JSON lacks are "
                       "written as {\"_type_\": name, \"_data_\": value}. Empty (withheld) "
                       "when `chain` is `failed`."})
    stored = fields.String(required=True, allow_none=True, metadata={
        "description": "The event's stored bytes exactly as the log holds them, base64: "
                       "what the hash chain hashes and a replica copies. null when "
                       "`chain` is `failed`."})
    chain = fields.String(required=True, metadata={
        "enum": ["verified", "pending", "failed"],
        "description": "The entry against the hash chain: `verified` (it hashes to what was "
                       "chained for it), `pending` (not chained yet) or `failed` (changed or "
                       "inserted behind the service; its fields are withheld)."})


class FeedPageSchema(Strict):
    items = fields.List(fields.Nested(FeedItemSchema), required=True)
    next_after = fields.Integer(required=True, metadata={
        "description": "Pass as `after` to read on; equal to `after` when nothing was new."})
    has_more = fields.Boolean(required=True)
