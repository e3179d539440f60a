"""Indicator progress: the latest value against the target, and whether it is met."""

from __future__ import annotations

from dataclasses import dataclass

from projections.plan_state import IndicatorView, PlanState


@dataclass(frozen=True)
class IndicatorProgress:
    code: str
    name: str
    unit: str
    target: str
    comparator: str
    horizon_year: int | None
    is_heading: bool
    responsible: tuple[str, ...]
    latest_value: str | None
    latest_period: str | None
    latest_source: str | None
    met: bool | None  # None: no value yet, a target that allows no judgement, or removed
    removed_by: str = ""  # the amending document that removed it: it no longer counts


def _code_key(indicator: IndicatorView) -> tuple[int, ...]:
    return tuple(int(p) for p in indicator.code.split(".") if p.isdigit())


def indicator_progress(state: PlanState) -> list[IndicatorProgress]:
    rows = []
    for indicator in sorted(state.indicators.values(), key=_code_key):
        latest = indicator.latest
        rows.append(IndicatorProgress(
            code=indicator.code, name=indicator.name, unit=indicator.unit,
            target=indicator.target.text, comparator=indicator.target.comparator.value,
            horizon_year=indicator.horizon_year, is_heading=indicator.is_heading,
            responsible=tuple(state.agency_name(k) for k in indicator.responsible),
            latest_value=str(latest.value) if latest else None,
            latest_period=latest.period if latest else None,
            latest_source=latest.source if latest else None,
            met=indicator.target.is_met_by(latest.value)
            if latest and not indicator.removed_by else None,
            removed_by=indicator.removed_by,
        ))
    return rows
