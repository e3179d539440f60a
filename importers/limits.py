"""How large a plan document may be, checked while it is read, before memory grows.

A plan of a province or ministry has tens to a few hundred tasks in a file of a few
megabytes. The limits sit far above that and far below what would hurt a worker: every
reader checks them as it goes (zip members are sized before a parser opens them, sheets
are streamed, rows and cells are counted as they are read), and the first one passed
refuses the file with `LimitExceeded`, naming the limit. `importers.isolation` adds a
memory and CPU budget around the whole read as a last line of defence.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from io import BytesIO

from domain.messages import Message, message
from importers.errors import ImportFormatError, LimitExceeded

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    file_bytes: int = 20 * MEGABYTE  # the uploaded file itself
    decompressed_bytes: int = 100 * MEGABYTE  # all members of a .docx/.xlsx/.odt together
    part_bytes: int = 25 * MEGABYTE  # any one XML member (document.xml, a sheet)
    zip_parts: int = 2_000  # members of a .docx/.xlsx/.odt
    rows: int = 20_000  # rows of one table or sheet, lines of a text file
    columns: int = 60  # cells of one row
    cells: int = 500_000  # cells of the whole document
    blocks: int = 200_000  # paragraphs and tables of a Word document
    pages: int = 500  # pages of a PDF
    text_chars: int = 20_000  # characters of one cell or line
    tasks: int = 5_000
    indicators: int = 2_000


LIMITS = ImportLimits()


class Budget:
    """What one read has used so far; each `count_*` refuses past its limit."""

    def __init__(self, limits: ImportLimits = LIMITS) -> None:
        self.limits = limits
        self.cells = 0
        self.blocks = 0

    def row(self, number: int, cells: Sequence[str], where: Message | str = "") -> None:
        """Check a row numbered `number` (1-based) of a table, sheet or text file."""
        if number > self.limits.rows:
            raise LimitExceeded("rows", self.limits.rows, where)
        if len(cells) > self.limits.columns:
            raise LimitExceeded("columns", self.limits.columns, at_row(where, number))
        self.cells += len(cells)
        if self.cells > self.limits.cells:
            raise LimitExceeded("cells", self.limits.cells, where)
        for cell in cells:
            self.text(cell, at_row(where, number))

    def text(self, text: str, where: Message | str = "") -> None:
        if len(text) > self.limits.text_chars:
            raise LimitExceeded("text_chars", self.limits.text_chars, where)

    def block(self) -> None:
        self.blocks += 1
        if self.blocks > self.limits.blocks:
            raise LimitExceeded("blocks", self.limits.blocks)


def at_row(where: Message | str, row: int) -> Message:
    """Row `row` of a table or sheet (or of the file), as a limit's refusal names it."""
    return message("import.in_row", where=where, row=row) if where else message(
        "import.at_row", row=row)


_CURRENT: ContextVar[Budget | None] = ContextVar("import_budget", default=None)


def budget() -> Budget:
    """The budget of the read in progress (a fresh one outside `reading`)."""
    return _CURRENT.get() or Budget()


@contextmanager
def reading(limits: ImportLimits = LIMITS) -> Iterator[Budget]:
    """Count everything read inside the block against one budget."""
    current = Budget(limits)
    token = _CURRENT.set(current)
    try:
        yield current
    finally:
        _CURRENT.reset(token)


def check_file_size(size: int, limits: ImportLimits = LIMITS) -> None:
    if size > limits.file_bytes:
        raise LimitExceeded("file_bytes", limits.file_bytes)


def check_zip(data: bytes, invalid: ImportFormatError, limits: ImportLimits | None = None) -> None:
    """Size a zip container (.docx, .xlsx, .odt) from its directory before anything opens it.

    The sizes in the directory are what Python's zipfile will produce at most (it stops at
    the declared size and checks the CRC), so a member cannot expand past what is checked.
    """
    limits = limits or budget().limits
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise invalid from None
    if len(members) > limits.zip_parts:
        raise LimitExceeded("zip_parts", limits.zip_parts)
    total = 0
    for member in members:
        total += member.file_size
        if member.filename.endswith((".xml", ".rels")) and member.file_size > limits.part_bytes:
            raise LimitExceeded("part_bytes", limits.part_bytes, member.filename)
        if total > limits.decompressed_bytes:
            raise LimitExceeded("decompressed_bytes", limits.decompressed_bytes)
