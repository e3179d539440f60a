"""The API's boundary for text: every string of a query, JSON body or form is made
canonical (NFC, line breaks as "\\n") before a schema sees it, and one holding a control
character or an unpaired surrogate is refused with 422 naming the field."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from domain.text import TextRefused, canonical_text

# No schema nests deeper than a few levels; a deeper value is refused by its schema anyway,
# so it is left as it came rather than walked (a body of 500 nested lists must not recurse).
MAX_DEPTH = 32


def canonical(value: Any, path: str = "", depth: int = 0) -> Any:
    """`value` with every string canonical; raises ValidationError({field: [why]})."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, str):
        try:
            return canonical_text(value)
        except TextRefused as exc:
            raise ValidationError({path or "_schema": [exc.as_message()]}) from None
    if isinstance(value, dict):
        return {canonical(k, path, depth + 1):
                canonical(v, f"{path}.{k}" if path else str(k), depth + 1)
                for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v, f"{path}.{i}" if path else str(i), depth + 1)
                for i, v in enumerate(value)]
    return value
