"""Exceptions raised by the domain when a command makes no sense."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused by a domain rule. `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """A task, indicator, agency or plan that does not exist."""


class Conflict(DomainError):
    """A concurrent change was recorded first (optimistic concurrency)."""


class AlreadyExists(DomainError):
    """Something with the same identity was recorded before."""
