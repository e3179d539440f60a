"""The plan document itself: its number, date, issuing body and task groups."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.provenance import Provenance
from domain.text import fold

_PLAN_NAMESPACE = uuid5(NAMESPACE_URL, "r57-plan-ledger:plan")


class Plan(Aggregate):
    """One issued plan. Its identity is its number, so a plan cannot be issued twice."""

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
