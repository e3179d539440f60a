"""A plan document as read from a file, before it becomes events.

Readers in `importers/` produce these plain values; the ledger service turns them into
aggregates. Cell texts are kept as written (NFC-normalised, whitespace collapsed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.messages import Message


@dataclass(frozen=True)
class PlanHeader:
    number: str  # "1534/KH-UBND"
    title: str
    issued_on: date | None
    place: str = ""
    issuing_body: str = ""  # "UBND tỉnh Quảng Nam"
    signer: str = ""  # "Lê Văn Dũng"
    signer_title: str = ""  # "Chủ tịch"
    legal_basis: tuple[str, ...] = ()  # ("57-NQ/TW", "03/NQ-CP", "60-CTr/TU")


@dataclass(frozen=True)
class TaskGroup:
    code: str  # roman numeral as written, without the dot: "I", "II"
    title: str


@dataclass(frozen=True)
class TaskRow:
    group_code: str
    number: str  # "1", "60"
    title: str
    leads: str  # cell text as written
    coordinators: str
    expected_output: str
    deadline: str
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, header -> cell
    source_row: int = 0  # line number (text) or row number (tables), 1-based
    # The number as the document prints it ("3"), when `number` is qualified by its group
    # ("II.3") because the document restarts its numbering in each group.
    written_number: str = ""

    @property
    def shown_number(self) -> str:
        return self.written_number or self.number


@dataclass(frozen=True)
class IndicatorRow:
    code: str  # "1", "7", "7.1"
    name: str
    unit: str
    target: str  # as written: "≥ 80", "Tiên tiến, hiện đại"
    responsible: str
    horizon_year: int | None  # 2030, 2045
    is_heading: bool = False  # row 7 of the seed heads 7.1-7.9 and has no target
    parent_code: str | None = None  # "7" for "7.1"
    extra: dict[str, str] = field(default_factory=dict)
    source_row: int = 0


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based line or row number in the source
    content: str  # the row as found
    reason: Message  # why it could not be understood ("import.task_untitled")


@dataclass(frozen=True)
class RowNote:
    """Something a reader did that the person importing should check: a row joined to the
    task above it, a group heading read as a task of its own, metadata found in an appendix."""

    row: int  # 1-based line or row number in the source (0: the document as a whole)
    content: str  # the row as found
    note: Message  # what was done, with the table or sheet it was done in
    code: str = ""  # what was done, the note's own code: "import.note.continuation"
    reference: str = ""  # the task it concerns, when there is one


@dataclass(frozen=True)
class PlanDocument:
    header: PlanHeader
    groups: tuple[TaskGroup, ...]
    tasks: tuple[TaskRow, ...]
    indicators: tuple[IndicatorRow, ...]
    problems: tuple[RowProblem, ...] = ()
    source_format: str = ""  # "text", "docx", "csv", "xlsx", "pdf", "doc", "odt"
    notes: tuple[RowNote, ...] = ()
