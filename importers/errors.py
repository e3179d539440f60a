"""The one exception a reader raises when a file cannot be imported at all."""

from __future__ import annotations

from collections.abc import Mapping

ParamValue = str | int | float | None


class ImportFormatError(Exception):
    """The file is unreadable or holds no plan we can recognise.

    `code` names the reason for catalogues ("import.limit_exceeded"), `params` holds the
    values the reason shows, and `message` says it in English for logs and the command line.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "import.unreadable",
        params: Mapping[str, ParamValue] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params: dict[str, ParamValue] = dict(params or {})


class LimitExceeded(ImportFormatError):
    """The file goes past one of the import limits (`importers/limits.py`)."""

    def __init__(self, limit: str, maximum: int, where: str = "") -> None:
        place = f" ({where})" if where else ""
        super().__init__(
            f"the file goes past the import limit '{limit}' of {maximum:,}{place}; "
            "split the plan into smaller files or ask an operator to raise the limit",
            code="import.limit_exceeded",
            params={"limit": limit, "maximum": maximum, "where": where},
        )
        self.limit = limit
        self.maximum = maximum


def budget_exceeded(kind: str) -> ImportFormatError:
    """Reading the file took more memory or time than one import may use."""
    what = {"memory": "more memory", "time": "more time"}.get(kind, "more resources")
    return ImportFormatError(
        f"reading the file needed {what} than one import may use; the file is refused "
        "(split the plan into smaller files)",
        code="import.budget_exceeded", params={"budget": kind},
    )
