"""Bytes to text for the text formats (.txt, .csv), with a clear error when that fails."""

from __future__ import annotations

import codecs

from importers.errors import ImportFormatError


def decode_text(data: bytes) -> str:
    """UTF-8 with or without a BOM (UTF-16 when a UTF-16 BOM says so), else ImportFormatError."""
    encoding = "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # what Excel's "Unicode text" export writes
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFormatError("import.not_utf8", position=error.start) from None
    if "\x00" in text:
        raise ImportFormatError("import.binary_data")
    return text
