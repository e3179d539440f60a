"""The one exception a reader raises when a file cannot be imported at all."""

from __future__ import annotations

from typing import Any

from domain.messages import Message, Param


class ImportFormatError(Exception):
    """The file is unreadable or holds no plan we can recognise.

    `code` names the reason in the catalogues ("import.limit_exceeded") and `params` holds
    the values its text shows; the entry points render it in the reader's language.
    """

    def __init__(self, code: str, /, **params: Param) -> None:
        self.code = code
        self.params: dict[str, Param] = params
        super().__init__(str(self.as_message()))

    @property
    def message(self) -> str:
        """The code and its values, for logs."""
        return str(self.as_message())

    def as_message(self) -> Message:
        return Message(self.code, self.params)

    def params_json(self) -> dict[str, Any]:
        """The values as plain JSON (a message among them as {"code", "params"})."""
        return dict(self.as_message().to_json()["params"])


class LimitExceeded(ImportFormatError):
    """The file goes past one of the import limits (`importers/limits.py`)."""

    def __init__(self, limit: str, maximum: int, where: Message | str = "") -> None:
        super().__init__("import.limit_exceeded", limit=limit, maximum=maximum,
                         where=Message("import.limit_at", {"where": where}) if where else "")
        self.limit = limit
        self.maximum = maximum


def budget_exceeded(kind: str) -> ImportFormatError:
    """Reading the file took more memory or time than one import may use."""
    return ImportFormatError("import.budget_exceeded", budget=kind)
