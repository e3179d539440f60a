"""The plans a tenant holds, so a task number can be resolved to its plan."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.clock import recorded_now
from domain.errors import DomainError, NotFound
from domain.text import fold

CATALOGUE_ID = uuid5(NAMESPACE_URL, "r57-plan-ledger:catalogue")


class PlanCatalogue(Aggregate):
    """One per tenant, saved with every plan it lists, so two imports cannot interleave."""

    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

    @staticmethod
    def create_id() -> UUID:
        return CATALOGUE_ID

    class Opened(Aggregate.Created):
        """The tenant's catalogue exists; it lists no plan yet."""

    @event(Opened)
    def __init__(self) -> None:
        self.plans: dict[str, UUID] = {}

    def add_plan(self, plan_id: UUID, number: str) -> None:
        if number in self.plans:
            raise DomainError("plan.already_listed", field="plan", plan=number)
        self.trigger_event(self.PlanAdded, plan_id=plan_id, number=number)

    class PlanAdded(Aggregate.Event):
        plan_id: UUID
        number: str

    @event(PlanAdded)
    def _plan_added(self, plan_id: UUID, number: str) -> None:
        self.plans[number] = plan_id

    def resolve(self, number: str | None) -> UUID:
        """The plan with this number, or the only plan when none is named."""
        return resolve_plan(self.plans, number)


def resolve_plan(plans: Mapping[str, UUID], number: str | None) -> UUID:
    """The plan with this number (case, accents and spaces aside) among `plans` (number ->
    id), or the only plan when none is named."""
    if number is None:
        if len(plans) == 1:
            return next(iter(plans.values()))
        if not plans:
            raise NotFound("plan.none_yet", field="plan")
        raise DomainError("plan.several", field="plan", plans=", ".join(sorted(plans)))
    for known, plan_id in plans.items():
        if fold(known).replace(" ", "") == fold(number).replace(" ", ""):
            return plan_id
    raise NotFound("plan.not_found", field="plan", plan=number)
