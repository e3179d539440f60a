"""JSON round trips for the read-model views, driven by their type hints."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

from domain.deadlines import Deadline
from domain.targets import Target

T = TypeVar("T")


def _default(value: Any) -> Any:
    """json's hook for what it cannot write itself; it recurses into the result in C."""
    if isinstance(value, Deadline | Target):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return value.__dict__
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def json_encoder(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """json.dumps(..., default=default, ensure_ascii=False), without building an encoder per
    call as json.dumps does: the C encoder made once, else the Python one."""
    python = json.JSONEncoder(ensure_ascii=False, default=default)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return python.encode
    # No check for circular values: documents are trees.
    chunks = make(None, python.default, json.encoder.encode_basestring, None, ": ", ", ",
                  False, False, True)

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))
    return encode


# The JSON document of a view: the same as json.dumps(encode(value)), but faster.
to_json = json_encoder(_default)


def encode(value: Any) -> Any:
    if isinstance(value, Deadline | Target):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [encode(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def decode(cls: type[T], data: dict[str, Any]) -> T:
    view: Any = cls
    hints = _hints(view)
    kwargs = {
        f.name: _decode_value(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode_value(hint: Any, value: Any) -> Any:
    """A value of the type `hint` names (a view, a list of views, a date...) from JSON."""
    return _decode_value(hint, value)


def _decode_value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _decode_value(inner[0], value)
    if origin is tuple:
        return tuple(_decode_value(args[0], v) for v in value)
    if origin is list:
        return [_decode_value(args[0], v) for v in value]
    if origin is set:
        return {_decode_value(args[0], v) for v in value}
    if origin is dict:
        return {_decode_value(args[0], k): _decode_value(args[1], v) for k, v in value.items()}
    return _decode_scalar(hint, value)


def _decode_scalar(hint: Any, value: Any) -> Any:
    if hint in (Deadline, Target):
        return hint.from_dict(value)
    if dataclasses.is_dataclass(hint):
        return decode(hint, value)  # type: ignore[arg-type]
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint in (UUID, Decimal):
        return hint(value)
    return value
