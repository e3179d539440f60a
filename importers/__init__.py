"""Read implementation plans from files into `PlanDocument` values.

Formats: .txt (the seed's layout), .docx (Word plans with real tables; .doc and .odt through
LibreOffice), .pdf with a text layer, .csv and .xlsx (the template in `importers/templates/`).
Every failure on bad input is an `ImportFormatError`; rows that cannot be understood are kept
as `PlanDocument.problems`, never dropped silently.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path, PurePath

from domain.plan_document import PlanDocument, PlanHeader
from importers.builder import MissingNumber
from importers.errors import ImportFormatError, budget_exceeded
from importers.limits import check_file_size, reading

__all__ = ["SUPPORTED_SUFFIXES", "ImportFormatError", "read_plan_bytes", "read_plan_document"]

Reader = Callable[[bytes, PlanHeader | None], PlanDocument]

# Each format's reader, imported when a file of that format is read: the import child then
# loads only the parser it needs.
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("importers.text_plan", "read_text_plan"),
    ".docx": ("importers.docx_plan", "read_docx_plan"),
    ".doc": ("importers.docx_plan", "read_converted_plan"),
    ".odt": ("importers.docx_plan", "read_converted_plan"),
    ".pdf": ("importers.pdf_plan", "read_pdf_plan"),
    ".csv": ("importers.tabular", "read_csv_plan"),
    ".xlsx": ("importers.tabular", "read_xlsx_plan"),
}
SUPPORTED_SUFFIXES = tuple(_READERS)
# Older binary formats are common in offices; say how to get a readable file.
_CONVERT = {".xls": ".xlsx"}


def read_plan_document(
    path: Path, *, header: PlanHeader | None = None, require_number: bool = True
) -> PlanDocument:
    """Read the plan in `path`, choosing the reader by the file's suffix.

    `header` supplies or overrides plan metadata: its non-empty fields win over what the
    file says, and its empty fields are filled from the file.
    """
    reader = _reader_for(path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFormatError("import.cannot_read", file=path.name,
                                reason=error.strerror or type(error).__name__) from None
    return _read(reader, data, header, require_number)


def read_plan_bytes(
    data: bytes, filename: str, *, header: PlanHeader | None = None, require_number: bool = True
) -> PlanDocument:
    """Read an uploaded plan; `filename` (the name it was uploaded with) picks the reader.

    Without `require_number`, a document naming no plan number is returned with an empty
    one (for a preview that asks for it) instead of being refused.
    """
    return _read(_reader_for(filename), data, header, require_number)


def _reader_for(filename: str) -> Reader:
    suffix = PurePath(filename).suffix.lower()
    found = _READERS.get(suffix)
    if found is not None:
        reader: Reader = getattr(importlib.import_module(found[0]), found[1])
        return reader
    if suffix in _CONVERT:
        raise ImportFormatError("import.old_format", file=filename, suffix=suffix,
                                modern=_CONVERT[suffix])
    supported = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        raise ImportFormatError("import.no_suffix", file=filename, supported=supported)
    raise ImportFormatError("import.unsupported_type", file=filename, suffix=suffix,
                            supported=supported)


def _read(
    reader: Reader, data: bytes, header: PlanHeader | None, require_number: bool
) -> PlanDocument:
    check_file_size(len(data))
    if not data.strip():
        raise ImportFormatError("import.empty_file")
    with reading():
        try:
            return reader(data, header)
        except MissingNumber as missing:
            if require_number:
                raise
            return missing.document
        except ImportFormatError:
            raise
        except (MemoryError, RecursionError):
            raise budget_exceeded("memory") from None
        except Exception as error:  # any parser failure is the file's, never the server's
            raise ImportFormatError("import.parser_failed",
                                    error=type(error).__name__) from error
