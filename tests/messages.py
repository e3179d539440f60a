"""Messages as a reader sees them, for tests that check the words."""

from __future__ import annotations

from typing import Protocol

from domain.messages import Message
from i18n import render


class Coded(Protocol):
    def as_message(self) -> Message | None: ...


def english(found: Message | Coded) -> str:
    """A message, or a refusal's message, rendered in English."""
    coded = found if isinstance(found, Message) else found.as_message()
    assert coded is not None, f"{found!r} names no catalogue code"
    return render(coded, "en")


def vietnamese(found: Message | Coded) -> str:
    coded = found if isinstance(found, Message) else found.as_message()
    assert coded is not None, f"{found!r} names no catalogue code"
    return render(coded, "vi")
