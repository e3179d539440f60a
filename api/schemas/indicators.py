"""Indicators: targets and the values reported against them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import fields, validate

from api.schemas.common import PlanScopedSchema, Strict, required_text, text


class NumberText(fields.String):
    """A number as documents write it ('0,7' or '0.7'); a JSON number is taken too."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return str(value)
        parsed: str = super()._deserialize(value, attr, data, **kwargs)
        return parsed


class TargetSchema(Strict):
    text = fields.String(required=True)
    comparator = fields.String(required=True, allow_none=True)
    value = fields.String(required=True, allow_none=True)
    value_max = fields.String(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)


class IndicatorValueSchema(Strict):
    period = fields.String(required=True)
    value = fields.String(required=True, metadata={"description": "A decimal, as text."})
    source = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    effective_on = fields.Date(required=True)


class IndicatorSchema(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    target = fields.Nested(TargetSchema, required=True)
    horizon_year = fields.Integer(required=True, allow_none=True)
    is_heading = fields.Boolean(required=True)
    parent_code = fields.String(required=True, allow_none=True)
    responsible = fields.List(fields.String(), required=True)
    latest = fields.Nested(IndicatorValueSchema, required=True, allow_none=True)
    version = fields.Integer(required=True)
    removed_by = fields.String(required=True, metadata={
        "description": "The amending document that removed the indicator (its history kept, "
                       "no longer counted in progress); empty while it counts."})
    removed_on = fields.Date(required=True, allow_none=True)


class IndicatorDetailSchema(IndicatorSchema):
    values = fields.List(fields.Nested(IndicatorValueSchema), required=True)


class IndicatorListSchema(Strict):
    items = fields.List(fields.Nested(IndicatorSchema), required=True)


class ValueReportSchema(PlanScopedSchema):
    period = required_text(20, metadata={
        "description": "YYYY, YYYY-H1, YYYY-Q2, YYYY-9M or YYYY-MM."})
    value = NumberText(required=True, validate=validate.Length(min=1, max=40))
    source = required_text(500)
    agency = text(300)


class TargetChangeSchema(PlanScopedSchema):
    target = required_text(300, metadata={"description": "As written, e.g. ≥ 85."})
    reason = required_text()
    decision_ref = text(200, load_default="")
