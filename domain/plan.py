"""The plan document itself: its number, date, issuing body and task groups.

An imported plan is issued with all its groups at once; a plan typed in by hand is issued
with none and gains them one by one (`add_group`), under the same rules."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.clock import recorded_now
from domain.errors import DomainError
from domain.provenance import Provenance
from domain.text import fold

_PLAN_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:plan")


class Plan(Aggregate):
    """One issued plan. Its identity is its number, so a plan cannot be issued twice."""

    # The SHA-256 of each amending document recorded against the plan (see `revise`).
    revisions: tuple[str, ...] = ()

    class Event(Aggregate.Event):
        """Its events are stamped by the clock the ledger records with."""

        create_timestamp = staticmethod(recorded_now)

    @staticmethod
    def create_id(number: str) -> UUID:
        return uuid5(_PLAN_NAMESPACE, fold(number).replace(" ", ""))

    class Issued(Aggregate.Created):
        number: str
        title: str
        issued_on: date | None
        place: str
        issuing_body: str
        signer: str
        signer_title: str
        legal_basis: tuple[str, ...]
        groups: tuple[tuple[str, str], ...]
        task_numbers: tuple[str, ...]
        indicator_codes: tuple[str, ...]
        source_format: str
        source_sha256: str
        provenance: Provenance

    @event(Issued)
    def __init__(
        self,
        *,
        number: str,
        title: str,
        issued_on: date | None,
        place: str,
        issuing_body: str,
        signer: str,
        signer_title: str,
        legal_basis: tuple[str, ...],
        groups: tuple[tuple[str, str], ...],
        task_numbers: tuple[str, ...],
        indicator_codes: tuple[str, ...],
        source_format: str,
        source_sha256: str,
        provenance: Provenance,
    ) -> None:
        self.number = number
        self.title = title
        self.issued_on = issued_on
        self.place = place
        self.issuing_body = issuing_body
        self.signer = signer
        self.signer_title = signer_title
        self.legal_basis = tuple(legal_basis)
        self.groups = tuple((code, group_title) for code, group_title in groups)
        self.task_numbers = tuple(task_numbers)
        self.indicator_codes = tuple(indicator_codes)
        self.source_format = source_format
        self.source_sha256 = source_sha256

    # -- groups of tasks: the roman-numeral headings of the task appendix ------------------

    def group_title(self, code: str) -> str | None:
        """The title of the group with this code (case aside), None when there is none."""
        wanted = fold(code)
        return next((title for known, title in self.groups if fold(known) == wanted), None)

    def group_code(self, code: str) -> str:
        """The code as the plan records it, for a group named with any case."""
        wanted = fold(code)
        for known, _ in self.groups:
            if fold(known) == wanted:
                return known
        raise DomainError("plan.no_such_group", field="group", code=code,
                          groups=[known for known, _ in self.groups])

    def add_group(self, code: str, title: str, provenance: Provenance) -> None:
        if not code:
            raise DomainError("plan.group_needs_code", field="code")
        if not title:
            raise DomainError("plan.group_needs_title", field="title")
        if self.group_title(code) is not None:
            raise DomainError("plan.group_exists", field="code", code=code, plan=self.number)
        self.trigger_event(self.GroupAdded, code=code, title=title, provenance=provenance)

    class GroupAdded(Aggregate.Event):
        code: str
        title: str
        provenance: Provenance

    @event(GroupAdded)
    def _group_added(self, code: str, title: str) -> None:
        self.groups = (*self.groups, (code, title))

    def rename_group(self, code: str, title: str, reason: str, decision_ref: str,
                     provenance: Provenance) -> None:
        """The plan heads a group otherwise (an amending document renames it)."""
        old = self.group_title(code)
        if old is None:
            raise DomainError("plan.no_such_group", field="group", code=code,
                              groups=[known for known, _ in self.groups])
        if not title.strip():
            raise DomainError("plan.group_needs_title", field="title")
        if title == old:
            raise DomainError("plan.group_already_titled", field="title", code=code)
        if not reason.strip():
            raise DomainError("change.needs_reason", field="reason")
        self.trigger_event(self.GroupRenamed, code=self.group_code(code), old_title=old,
                           title=title, reason=reason, decision_ref=decision_ref,
                           provenance=provenance)

    class GroupRenamed(Aggregate.Event):
        code: str
        old_title: str
        title: str
        reason: str
        decision_ref: str
        provenance: Provenance

    @event(GroupRenamed)
    def _group_renamed(self, code: str, title: str) -> None:
        self.groups = tuple((known, title if known == code else old)
                            for known, old in self.groups)

    # -- revisions: an amending document changes the plan's tasks -----------------------

    def was_revised_by(self, sha256: str) -> bool:
        """Whether this document was recorded against the plan already (or is the plan's own)."""
        return sha256 == self.source_sha256 or sha256 in self.revisions

    def revise(self, decision_ref: str, amending_on: date | None, sha256: str,
               counts: dict[str, int], reason: str, provenance: Provenance) -> None:
        """Record that an amending document (`decision_ref`) changed the plan; its changes
        are the tasks' own events, recorded with this one."""
        if not decision_ref.strip():
            raise DomainError("revision.needs_amending", field="amending")
        if self.was_revised_by(sha256):
            raise DomainError("revision.already_recorded", field="file", plan=self.number)
        self.trigger_event(self.Revised, decision_ref=decision_ref, amending_on=amending_on,
                           sha256=sha256, counts=dict(counts), reason=reason,
                           provenance=provenance)

    class Revised(Aggregate.Event):
        decision_ref: str  # the amending document: "Quyết định số 123/QĐ-UBND"
        amending_on: date | None
        sha256: str
        counts: dict[str, int]  # change kind -> tasks: "added", "removed", "reworded", ...
        reason: str
        provenance: Provenance

    @event(Revised)
    def _revised(self, sha256: str) -> None:
        self.revisions = (*self.revisions, sha256)
