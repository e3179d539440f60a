"""Who recorded a change, for whom, and when it took effect in the real world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.text import nfc


@dataclass(frozen=True)
class Provenance:
    """Carried by every event.

    The event's own timestamp is the transaction time (when it was recorded);
    `effective_on` is the valid time (e.g. the date of the deciding document).
    """

    actor: str  # the authenticated principal that recorded the change
    effective_on: date
    on_behalf_of: str | None = None  # agency key, when the actor speaks for an agency

    def __post_init__(self) -> None:
        if not nfc(self.actor):
            raise DomainError("provenance.needs_actor", field="actor")

    def to_dict(self) -> dict[str, str | None]:
        return {
            "actor": self.actor,
            "effective_on": self.effective_on.isoformat(),
            "on_behalf_of": self.on_behalf_of,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Provenance:
        return cls(
            actor=str(data["actor"]),
            effective_on=date.fromisoformat(str(data["effective_on"])),
            on_behalf_of=data.get("on_behalf_of"),
        )
