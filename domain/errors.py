"""Exceptions raised by the domain when a command makes no sense.

A refusal names a catalogue code and its parameters (`DomainError("task.not_completed",
number="5")`); the entry points render it in the reader's language. Rules written before the
catalogues existed still raise an English sentence, which then stands for itself.
"""

from __future__ import annotations

import re

from domain.messages import Message, Param

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


class DomainError(Exception):
    """A command was refused by a domain rule. `field` names the input at fault."""

    def __init__(self, message: str, /, *, field: str | None = None, **params: Param) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params
        # A catalogue code, or None for a sentence of a rule not yet given a code.
        self.code = message if _CODE.fullmatch(message) else None

    def as_message(self) -> Message | None:
        return Message(self.code, self.params) if self.code else None


class NotFound(DomainError):
    """A task, indicator, agency or plan that does not exist."""


class Conflict(DomainError):
    """A concurrent change was recorded first (optimistic concurrency)."""


class AlreadyExists(DomainError):
    """Something with the same identity was recorded before."""
