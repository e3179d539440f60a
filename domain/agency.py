"""An agency of a province's registry: a department, a locality, or a collective."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.agencies import AgencyName, normalise_agency
from domain.clock import recorded_now
from domain.errors import DomainError
from domain.provenance import Provenance

_AGENCY_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:agency")


class Agency(Aggregate):
    """Identity is the normalised key, so the same agency is never registered twice."""

    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(_AGENCY_NAMESPACE, key)

    @classmethod
    def register(cls, name: AgencyName, provenance: Provenance) -> Agency:
        return cls(
            key=name.key, name=name.name, is_collective=name.is_collective,
            provenance=provenance,
        )

    class Registered(Aggregate.Created):
        key: str
        name: str
        is_collective: bool
        provenance: Provenance

    @event(Registered)
    def __init__(
        self, *, key: str, name: str, is_collective: bool, provenance: Provenance
    ) -> None:
        self.key = key
        self.name = name
        self.is_collective = is_collective

    def rename(self, new_name: str, reason: str, provenance: Provenance) -> None:
        """A renamed agency keeps its identity: its tasks and history stay its own."""
        normalised = normalise_agency(new_name)
        if normalised.name == self.name:
            raise DomainError("agency.already_named", field="name", name=self.name)
        self.trigger_event(self.Renamed, old=self.name, new=normalised.name, reason=reason,
                           provenance=provenance)

    class Renamed(Aggregate.Event):
        old: str
        new: str
        reason: str
        provenance: Provenance

    @event(Renamed)
    def _renamed(self, new: str) -> None:
        self.name = new
