"""The one exception a reader raises when a file cannot be imported at all."""

from __future__ import annotations


class ImportFormatError(Exception):
    """The file is unreadable or holds no plan we can recognise; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
