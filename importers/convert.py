"""Old Word (.doc) and OpenDocument (.odt) files, converted to .docx by LibreOffice.

`soffice --headless --convert-to docx` runs with a profile of its own (so conversions never
share LibreOffice's lock) and a timeout. Without LibreOffice the file is refused with the
package to install: Debian's `libreoffice-writer-nogui`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from importers.errors import ImportFormatError
from importers.limits import check_zip

PACKAGE = "libreoffice-writer-nogui"
TIMEOUT_SECONDS = 120
CONVERTED = (".doc", ".odt")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """The .docx LibreOffice makes of `data` (a file ending in `suffix`)."""
    if suffix == ".odt":
        check_zip(data, ImportFormatError("import.not_odt"))
    program = soffice()
    if program is None:
        raise ImportFormatError("import.converter_missing", format=suffix, package=PACKAGE)
    with tempfile.TemporaryDirectory(prefix="r57-convert-") as folder:
        work = Path(folder)
        source = work / f"ke-hoach{suffix}"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - LibreOffice from PATH, our own arguments, no shell
                [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                 "--norestore", "--convert-to", "docx", "--outdir", str(work / "out"),
                 str(source)],
                capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            raise _unconvertible(suffix) from None
        converted = work / "out" / "ke-hoach.docx"
        if not converted.is_file():
            raise _unconvertible(suffix)
        return converted.read_bytes()


def _unconvertible(suffix: str) -> ImportFormatError:
    return ImportFormatError("import.not_convertible", format=suffix)
