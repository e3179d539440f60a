"""An agency of a province's registry: a department, a locality, or a collective."""

from __future__ import annotations

from datetime import date
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
        self.registered_on = provenance.effective_on
        self.ended_by = ""  # "succession", "merger", "dissolution" or "alias" once ended
        self.ended_on: date | None = None
        self.successors: tuple[str, ...] = ()

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

    # -- lifecycle: succession, merger, dissolution, alias; and collectives ----------------
    # Each change takes effect on its provenance's effective date (valid time). Tasks keep
    # the agency keys they were recorded with: the read side resolves who carries a duty on
    # a date from these events, so no task event is ever rewritten.

    @property
    def ended(self) -> bool:
        return bool(self.ended_by)

    def check_may_act_on(self, day: date, successor_names: tuple[str, ...]) -> None:
        """An agency whose duties passed on (succession, merger, dissolution) no longer acts
        from that date: what it did before may still be entered late. An alias is the same
        agency under another name, so it always may."""
        if self.ended_on is None or self.ended_by == "alias" or day < self.ended_on:
            return
        if self.ended_by == "dissolution":
            raise DomainError("agency.dissolved", field="agency", agency=self.name,
                              since=self.ended_on.isoformat())
        raise DomainError("agency.succeeded", field="agency", agency=self.name,
                          since=self.ended_on.isoformat(), successors=list(successor_names))

    def _check_open(self) -> None:
        if self.ended:
            raise DomainError("agency.already_ended", field="agency", agency=self.name)

    def succeed(self, successors: tuple[str, ...], kind: str, reason: str, decision_ref: str,
                provenance: Provenance) -> None:
        """From the effective date on, `successors` (agency keys) carry this agency's duties:
        its open tasks are theirs; what happened before still names this agency."""
        self._check_open()
        if not successors:
            raise DomainError("agency.needs_successor", field="successors")
        if self.key in successors:
            raise DomainError("agency.succeeds_itself", field="successors", agency=self.name)
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")
        self.trigger_event(self.Succeeded, successors=tuple(successors), kind=kind,
                           reason=reason, decision_ref=decision_ref, provenance=provenance)

    class Succeeded(Aggregate.Event):
        successors: tuple[str, ...]
        kind: str  # "succession" (one agency's duties pass on) or "merger" (several into one)
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Succeeded)
    def _succeeded(self, successors: tuple[str, ...], kind: str,
                   provenance: Provenance) -> None:
        self.ended_by = kind
        self.ended_on = provenance.effective_on
        self.successors = tuple(successors)

    def dissolve(self, reason: str, decision_ref: str, provenance: Provenance) -> None:
        """The agency ceases to exist with no successor: its open tasks have no one to carry
        them until the standing body reassigns them."""
        self._check_open()
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")
        self.trigger_event(self.Dissolved, reason=reason, decision_ref=decision_ref,
                           provenance=provenance)

    class Dissolved(Aggregate.Event):
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(Dissolved)
    def _dissolved(self, provenance: Provenance) -> None:
        self.ended_by = "dissolution"
        self.ended_on = provenance.effective_on
        self.successors = ()

    def merge_as_alias(self, into: str, reason: str, provenance: Provenance) -> None:
        """This registered name is another spelling of agency `into` (its key): its tasks,
        reports and scores are that agency's, on every date."""
        self._check_open()
        if into == self.key:
            raise DomainError("agency.succeeds_itself", field="into", agency=self.name)
        self.trigger_event(self.AliasMerged, into=into, reason=reason, provenance=provenance)

    class AliasMerged(Aggregate.Event):
        into: str
        reason: str
        provenance: Provenance

    @event(AliasMerged)
    def _alias_merged(self, into: str, provenance: Provenance) -> None:
        self.ended_by = "alias"
        self.ended_on = provenance.effective_on
        self.successors = (into,)

    def mark_collective(self, is_collective: bool, reason: str, provenance: Provenance) -> None:
        """Mark (or unmark) the agency as a collective: a group of agencies ("Các Sở, ban,
        ngành") that is not ranked, and that the standing body expands into its members."""
        if is_collective == self.is_collective:
            code = "agency.already_collective" if is_collective else "agency.not_collective"
            raise DomainError(code, field="is_collective", agency=self.name)
        self.trigger_event(self.CollectiveMarked, is_collective=is_collective, reason=reason,
                           provenance=provenance)

    class CollectiveMarked(Aggregate.Event):
        is_collective: bool
        reason: str
        provenance: Provenance

    @event(CollectiveMarked)
    def _collective_marked(self, is_collective: bool) -> None:
        self.is_collective = is_collective
