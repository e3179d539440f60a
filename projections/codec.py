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
    decoded: T = _decoder(view)(data)
    return decoded


def decode_value(hint: Any, value: Any) -> Any:
    """A value of the type `hint` names (a view, a list of views, a date...) from JSON."""
    return _decoder(hint)(value)


Decoder = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Decoder:
    """The function that decodes JSON into a value of the type `hint` names (None stays
    None), made once per type: reading a view asks nothing of its type hints again."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _decoder(next(a for a in args if a is not type(None)))
    if origin in (tuple, list, set):
        return _collection(origin, _decoder(args[0]))
    if origin is dict:
        return _mapping(_decoder(args[0]), _decoder(args[1]))
    if hint in (Deadline, Target):
        return _or_none(hint.from_dict)
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    if hint is datetime:
        return _or_none(datetime.fromisoformat)
    if hint is date:
        return _or_none(date.fromisoformat)
    if hint in (UUID, Decimal):
        return _or_none(hint)
    return _same


def _or_none(make: Decoder) -> Decoder:
    return lambda value: None if value is None else make(value)


def _collection(kind: type, item: Decoder) -> Decoder:
    if item is _same:
        return lambda value: None if value is None else kind(value)
    return lambda value: None if value is None else kind([item(v) for v in value])


def _mapping(key: Decoder, item: Decoder) -> Decoder:
    if key is _same and item is _same:
        return lambda value: None if value is None else dict(value)
    return lambda value: None if value is None else {
        key(k): item(v) for k, v in value.items()}


def _dataclass(cls: Any) -> Decoder:
    # The fields' decoders are made at the first use: a view may name its own type.
    fields: list[tuple[str, Decoder | None]] = []

    def decode_view(data: Any) -> Any:
        if data is None:
            return None
        if not fields:
            hints = typing.get_type_hints(cls)
            fields[:] = [(f.name, None if (d := _decoder(hints[f.name])) is _same else d)
                         for f in dataclasses.fields(cls)]
        return cls(**{name: data[name] if decode is None else decode(data[name])
                      for name, decode in fields if name in data})

    return decode_view
