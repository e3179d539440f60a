"""An indicator of the plan's appendix: a target, and the values reported against it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.clock import recorded_now
from domain.errors import DomainError
from domain.periods import ReportingPeriod
from domain.provenance import Provenance
from domain.targets import Target


class Indicator(Aggregate):
    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

    @staticmethod
    def create_id(plan_id: UUID, code: str) -> UUID:
        return uuid5(plan_id, f"indicator:{code}")

    class Defined(Aggregate.Created):
        plan_id: UUID
        code: str
        name: str
        unit: str
        target: Target
        responsible: tuple[str, ...]
        responsible_text: str
        horizon_year: int | None
        is_heading: bool
        parent_code: str | None
        extra: dict[str, str]
        provenance: Provenance

    @event(Defined)
    def __init__(
        self,
        *,
        plan_id: UUID,
        code: str,
        name: str,
        unit: str,
        target: Target,
        responsible: tuple[str, ...],
        responsible_text: str,
        horizon_year: int | None,
        is_heading: bool,
        parent_code: str | None,
        extra: dict[str, str],
        provenance: Provenance,
    ) -> None:
        self.plan_id = plan_id
        self.code = code
        self.name = name
        self.unit = unit
        self.target = target
        self.responsible = tuple(responsible)
        self.responsible_text = responsible_text
        self.horizon_year = horizon_year
        self.is_heading = is_heading
        self.parent_code = parent_code
        self.extra = dict(extra)
        self.values: dict[str, Decimal] = {}

    @classmethod
    def carry(cls, *, origin: dict[str, str], carried: dict[str, Any],
              **defined: Any) -> Indicator:
        """The indicator as a merged tenant held it, continued in the tenant it merged into:
        `defined` as Defined records it (its current target), `origin` where it came from
        and `carried` its values and first target there (JSON; service/merger.py)."""
        indicator: Indicator = cls._create(cls.Carried, id=cls.create_id(
            defined["plan_id"], defined["code"]), origin=dict(origin), carried=dict(carried),
            **defined)
        return indicator

    class Carried(Defined):
        """An indicator carried over from a merged tenant with the values reported there."""

        origin: dict[str, str]
        carried: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            for value in self.carried.get("values", []):
                aggregate.values[str(value["period"])] = Decimal(str(value["value"]))

    @classmethod
    def add_by_amendment(cls, *, reason: str, decision_ref: str, **defined: Any) -> Indicator:
        """An indicator an amending document adds to the plan: `defined` as Defined records
        it."""
        indicator: Indicator = cls._create(
            cls.AddedByAmendment, id=cls.create_id(defined["plan_id"], defined["code"]),
            reason=reason, decision_ref=decision_ref, **defined)
        return indicator

    class AddedByAmendment(Defined):
        """An indicator added to a plan by an amending document (the change log files it)."""

        reason: str
        decision_ref: str

    @property
    def removed_by(self) -> str:
        """The amending document that removed the indicator, "" while it counts."""
        return str(getattr(self, "_removed_by", ""))

    def remove(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        """An amending document removes the indicator: its history stays, it no longer
        counts."""
        self._check_not_removed()
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")
        if not decision_ref.strip():
            raise DomainError("revision.needs_amending", field="amending")
        self.trigger_event(self.Removed, reason=reason, decision_ref=decision_ref,
                           provenance=provenance)

    def _check_not_removed(self) -> None:
        if self.removed_by:
            raise DomainError("indicator.removed", field="code", code=self.code,
                              amending=self.removed_by)

    def report_value(
        self, period: ReportingPeriod, value: Decimal, source: str, provenance: Provenance
    ) -> None:
        self._check_not_removed()
        if self.is_heading:
            raise DomainError("indicator.is_heading", field="code", code=self.code)
        if not value.is_finite():
            raise DomainError("value.not_finite", field="value")
        if not source.strip():
            raise DomainError("value.needs_source", field="source")
        self.trigger_event(
            self.ValueReported, period=str(period), value=value, source=source,
            provenance=provenance,
        )

    def change_target(
        self, new: Target, reason: str, decision_ref: str, provenance: Provenance
    ) -> None:
        self._check_not_removed()
        if new.text == self.target.text:
            raise DomainError("target.unchanged", field="target", target=new.text)
        if not reason.strip():
            raise DomainError("target.needs_reason", field="reason")
        self.trigger_event(
            self.TargetChanged, old=self.target, new=new, reason=reason, decision_ref=decision_ref,
            provenance=provenance,
        )

    # -- events: each names its recorded fields; the method under it applies it ------------

    class ValueReported(Aggregate.Event):
        period: str
        value: Decimal
        source: str
        provenance: Provenance

    @event(ValueReported)
    def _value_reported(self, period: str, value: Decimal) -> None:
        self.values[period] = value

    class TargetChanged(Aggregate.Event):
        old: Target
        new: Target
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(TargetChanged)
    def _target_changed(self, new: Target) -> None:
        self.target = new

    class Removed(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Removed)
    def _removed(self, decision_ref: str) -> None:
        self._removed_by = decision_ref
