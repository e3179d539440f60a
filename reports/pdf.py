"""PDF through LibreOffice, when it is installed: the Word document, converted headless."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from domain.messages import Message

CONVERT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or it could not convert the document; `code` names
    which in the catalogues."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def as_message(self) -> Message:
        return Message(self.code)


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(body: bytes) -> bytes:
    binary = office()
    if binary is None:
        raise PdfUnavailable("report_pdf.no_office")
    with tempfile.TemporaryDirectory(prefix="r57-pdf-") as work:
        source = Path(work) / "bao-cao.docx"
        source.write_bytes(body)
        # A profile of its own: a user's running LibreOffice does not block the conversion.
        command = [binary, f"-env:UserInstallation=file://{work}/profile", "--headless",
                   "--convert-to", "pdf", "--outdir", work, str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True,  # noqa: S603
                           timeout=CONVERT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable("report_pdf.not_converted") from error
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise PdfUnavailable("report_pdf.not_converted")
        return target.read_bytes()
