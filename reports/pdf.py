"""PDF through LibreOffice, when it is installed: the Word document, converted headless."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or it could not convert the document."""


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(body: bytes) -> bytes:
    binary = office()
    if binary is None:
        raise PdfUnavailable(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) "
            "rồi in hoặc lưu thành PDF, hoặc đề nghị quản trị cài gói libreoffice-writer.")
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
            raise PdfUnavailable("LibreOffice không chuyển được báo cáo sang PDF; hãy tải "
                                 "bản Word (DOCX).") from error
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise PdfUnavailable("LibreOffice không chuyển được báo cáo sang PDF; hãy tải "
                                 "bản Word (DOCX).")
        return target.read_bytes()
