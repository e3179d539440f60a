"""Audit entries and change types in words, in English or Vietnamese, from their codes.

An entry stores a code and its values (`AuditEntry.code`, `.params`); its text is the
catalogue's (`i18n/locales/*/LC_MESSAGES/messages.po`: `audit.*`, `change_type.*`,
`change_state.*`), rendered by the one formatter of `i18n`. A revision's entry stores a count
per kind of change; its text names only the kinds it changed, in the words of
`revision_kind.*`, so entries already recorded read so too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.messages import Message
from domain.revision import COUNTED
from i18n import format_day, format_number, render, render_code, text_of
from projections.audit import AuditEntry

LANGUAGES = ("vi", "en")


def audit_text(entry: AuditEntry, language: str = "vi") -> str:
    """The entry's summary line in `language`."""
    if text_of(entry.code, language) is None:
        raise KeyError(f"No text for audit code {entry.code!r}.")
    params = dict(entry.params)
    if listed := _LISTS.get(entry.code):
        params["changed"] = listed(params, language)
    return render(Message(entry.code, params), language)


def revision_changes(counts: Mapping[str, Any], language: str = "vi") -> str:
    """"sửa nội dung 1, điều chỉnh thời hạn 3": each kind counted above zero, in `COUNTED`'s
    order."""
    said = [render_code("revision_changes.counted", language,
                        kind=_lowered(render_code(f"revision_kind.{kind}", language)),
                        count=int(counts[kind]))
            for kind in COUNTED if int(counts.get(kind) or 0)]
    return ", ".join(said) or render_code("revision_changes.none", language)


def _lowered(label: str) -> str:
    """A kind's label inside a sentence: its capital dropped."""
    return label[:1].lower() + label[1:]


# Audit codes whose `{changed}` is a list built from the entry's counts.
_LISTS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "audit.plan_revised": revision_changes}


def entry_json(entry: AuditEntry, language: str = "en") -> dict[str, Any]:
    """An entry as the API and `--json` show it: its fields, and its summary in words."""
    return {**entry.to_dict(), "summary": audit_text(entry, language)}


def change_type_text(change_type: str | None, language: str = "vi") -> str:
    if not change_type:
        return ""
    return render_code(f"change_type.{change_type}", language)


def change_value(field: str, value: str, language: str = "vi") -> str:
    """One side of a changed field ("submitted", "2025-06-30", "62.5") as the reader reads it."""
    if field in ("state", "report") and text_of(f"change_state.{value}", language):
        return render_code(f"change_state.{value}", language)
    if field == "value":
        return format_number(value, language) if value else ""
    return format_day(value, language)


def changes_text(entry: AuditEntry, language: str = "vi") -> str:
    """"old → new" per changed field, "-" for a side with no value."""
    return "; ".join(
        f"{change_value(field, old, language) or '-'} → {change_value(field, new, language) or '-'}"
        for field, (old, new) in entry.changes.items())
