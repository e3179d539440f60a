"""What a planning officer checks before confirming an import, built from the document read
and the tenant's agency register: each task under its reference, its agencies marked as
matched or new (and names that look like another), its deadline as parsed, and the notes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from domain.agencies import AgencyName, split_agencies
from domain.deadlines import Deadline, DeadlineKind, parse_deadline
from domain.errors import DomainError
from domain.plan_document import PlanDocument, RowNote

# Keys this alike ("so noi vu" / "so noi vu tinh") are worth a second look.
_SIMILAR = 0.9


@dataclass(frozen=True)
class AgencyMark:
    name: str  # as written in the document
    key: str
    matched: bool  # the register has it already
    registered: str  # its name in the register, when matched
    also_written: tuple[str, ...]  # the same agency written otherwise (here or in the register)
    similar: tuple[str, ...]  # other agencies whose names are nearly the same

    @property
    def near_duplicate(self) -> bool:
        return bool(self.also_written or self.similar)


@dataclass(frozen=True)
class TaskPreview:
    reference: str  # "II.3": unique in the plan
    shown_number: str  # "3", as printed
    group_code: str
    title: str
    leads: tuple[AgencyMark, ...]
    coordinators: tuple[AgencyMark, ...]
    deadline: Deadline
    notes: tuple[RowNote, ...]

    @property
    def deadline_unparsed(self) -> bool:
        return self.deadline.kind is DeadlineKind.UNPARSED


@dataclass(frozen=True)
class ImportPreview:
    document: PlanDocument
    tasks: tuple[TaskPreview, ...]
    agencies: tuple[AgencyMark, ...]  # every agency named, once, in order of appearance
    missing: tuple[str, ...]  # metadata the person importing must supply ("number")

    @property
    def new_agencies(self) -> int:
        return sum(1 for mark in self.agencies if not mark.matched)

    @property
    def near_duplicates(self) -> int:
        return sum(1 for mark in self.agencies if mark.near_duplicate)


def build_preview(document: PlanDocument, register: Mapping[str, str]) -> ImportPreview:
    """`register`: the tenant's agencies, key -> current name."""
    written: dict[str, list[str]] = {}
    for task in document.tasks:
        for cell in (task.leads, task.coordinators):
            for name in _names(cell):
                spellings = written.setdefault(name.key, [])
                if name.name not in spellings:
                    spellings.append(name.name)
    keys = list(register) + [key for key in written if key not in register]
    marks: dict[tuple[str, str], AgencyMark] = {}

    def mark(name: AgencyName) -> AgencyMark:
        found = marks.get((name.key, name.name))
        if found is None:
            registered = register.get(name.key, "")
            others = [n for n in [registered, *written.get(name.key, [])] if n and n != name.name]
            found = AgencyMark(
                name=name.name, key=name.key, matched=name.key in register,
                registered=registered, also_written=tuple(dict.fromkeys(others)),
                similar=tuple(_similar(name.key, keys, register, written)),
            )
            marks[(name.key, name.name)] = found
        return found

    notes_by_task: dict[str, list[RowNote]] = {}
    for note in document.notes:
        notes_by_task.setdefault(note.reference, []).append(note)
    tasks = tuple(
        TaskPreview(
            reference=task.number, shown_number=task.shown_number, group_code=task.group_code,
            title=task.title,
            leads=tuple(mark(name) for name in _names(task.leads)),
            coordinators=tuple(mark(name) for name in _names(task.coordinators)),
            deadline=parse_deadline(task.deadline),
            notes=tuple(notes_by_task.get(task.number, ())),
        )
        for task in document.tasks
    )
    agencies = tuple(dict.fromkeys(m for t in tasks for m in (*t.leads, *t.coordinators)))
    missing = tuple(name for name in ("number",) if not getattr(document.header, name))
    return ImportPreview(document, tasks, agencies, missing)


def _names(cell: str) -> list[AgencyName]:
    try:
        return list(split_agencies(cell))
    except DomainError:
        return []


def _similar(key: str, keys: list[str], register: Mapping[str, str],
             written: Mapping[str, list[str]]) -> list[str]:
    found = []
    for other in keys:
        if other != key and SequenceMatcher(None, key, other).ratio() >= _SIMILAR:
            found.append(register.get(other) or written[other][0])
    return found


def preview_json(preview: ImportPreview, upload: str = "") -> dict[str, Any]:
    """The preview as the API answers it."""
    document = preview.document
    header = document.header

    def agency(mark: AgencyMark) -> dict[str, Any]:
        return {"name": mark.name, "key": mark.key, "matched": mark.matched,
                "registered": mark.registered or None, "also_written": list(mark.also_written),
                "similar": list(mark.similar)}

    return {
        "upload": upload or None,
        "header": {
            "number": header.number, "title": header.title,
            "issued_on": header.issued_on.isoformat() if header.issued_on else None,
            "issuer": header.issuing_body, "place": header.place, "signer": header.signer,
            "signer_title": header.signer_title, "legal_basis": list(header.legal_basis),
        },
        "missing": list(preview.missing),
        "source_format": document.source_format,
        "groups": [{"code": g.code, "title": g.title} for g in document.groups],
        "tasks": [
            {"reference": t.reference, "number": t.shown_number, "group": t.group_code,
             "title": t.title, "leads": [agency(m) for m in t.leads],
             "coordinators": [agency(m) for m in t.coordinators],
             "deadline": {**t.deadline.to_dict(), "meaning": t.deadline.describe_vi()},
             "notes": [n.note for n in t.notes]}
            for t in preview.tasks
        ],
        "agencies": [agency(m) for m in preview.agencies],
        "notes": [{"row": n.row, "content": n.content, "note": n.note, "code": n.code,
                   "reference": n.reference or None} for n in document.notes],
        "problems": [{"row": p.row, "content": p.content, "reason": p.reason}
                     for p in document.problems],
        "counts": {"groups": len(document.groups), "tasks": len(document.tasks),
                   "indicators": len(document.indicators),
                   "new_agencies": preview.new_agencies,
                   "near_duplicates": preview.near_duplicates},
    }
