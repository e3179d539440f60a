"""What the ledger says to people, as a code with parameters, never as a finished sentence.

A `Message` names an entry of the catalogues (`i18n/locales/*/LC_MESSAGES/messages.po`) and the
values that entry shows. The catalogues render it in English or Vietnamese; the domain never
does. Parameters are plain JSON values (or another message, or a list of strings), so read
models and API answers can store and send them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

#: What a message shows: a JSON scalar, another message, or a list of those.
Param: TypeAlias = "str | int | float | bool | Sequence[Param] | Message | None"


@dataclass(frozen=True)
class Message:
    """A catalogue code ("task.not_editable") and the values its text shows."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.strip():
            raise ValueError(f"not a message code: {self.code!r}")

    def to_json(self) -> dict[str, Any]:
        """{"code": ..., "params": {...}}, nested messages included."""
        return {"code": self.code, "params": {k: _param_json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        params = {k: cls.from_json(v) if _looks_like_message(v) else v
                  for k, v in dict(data.get("params") or {}).items()}
        return cls(str(data["code"]), params)

    def __str__(self) -> str:
        if not self.params:
            return self.code
        shown = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code} ({shown})"


def message(code: str, **params: Param) -> Message:
    """`message("task.no_report", number="5", report=2)`: the short way to build one."""
    return Message(code, params)


def _param_json(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_param_json(v) for v in value]
    return value


def _looks_like_message(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"code", "params"}
