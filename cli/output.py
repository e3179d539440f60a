"""How the CLI prints: readable tables for people, JSON for scripts. Dates as dd/mm/yyyy."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TextIO
from uuid import UUID

from marshmallow import Schema


class UsageError(Exception):
    """A command line that cannot be carried out as given (a file that is not there)."""


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def print_shape(schema: Schema, value: Any, out: TextIO | None = None) -> None:
    """JSON in the shape the API's schema states for the same answer."""
    print_json(schema.dump(value), out)


def print_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(to_jsonable(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def vn_date(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return value.strftime("%d/%m/%Y")


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(headers: list[str], rows: list[list[str]], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out.write(line.rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
