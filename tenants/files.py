"""A tenant's evidence files: content-addressed bytes in the tenant's own database.

Files are kept beside the tenant's read models (its SQLite file, or the shared PostgreSQL
database with the tenant's key), so a backup of the tenant's database holds its files. The
content type is sniffed from the bytes, never taken from the client.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath, PureWindowsPath

from domain.errors import DomainError
from domain.evidence import EvidenceFile
from tenants.database import Database

PDF, DOCX, XLSX, ODT, ODS = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
_NAME_LIMIT = 200


@dataclass(frozen=True)
class FileLimits:
    per_file: int = 10 * 1024 * 1024
    per_tenant: int = 2 * 1024 * 1024 * 1024


def sniff(content: bytes) -> str | None:
    """The type the bytes are, among those accepted as evidence; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return None


def _sniff_zip(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def is_digest(text: str) -> bool:
    """A SHA-256 as the store keys files: 64 lower-case hexadecimal digits."""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def clean_name(name: str) -> str:
    """The file's own name: no folders, no control characters, NFC, bounded."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    printable = "".join(c for c in unicodedata.normalize("NFC", base)
                        if unicodedata.category(c)[0] != "C")
    return printable.strip()[:_NAME_LIMIT] or "tep-dinh-kem"


class FileStore:
    def __init__(self, database: Database, tenant: str, limits: FileLimits | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.db = database
        self.tenant = tenant
        self.limits = limits or FileLimits()
        self._clock = now or (lambda: datetime.now(UTC))

    def put(self, content: bytes, name: str) -> EvidenceFile:
        """Store a file once (the same bytes again are not stored twice)."""
        if not content:
            raise DomainError("file.empty", field="files")
        if len(content) > self.limits.per_file:
            raise DomainError("file.too_large", field="files", limit=self.limits.per_file)
        content_type = sniff(content)
        if content_type is None:
            raise DomainError("file.type_refused", field="files", name=clean_name(name))
        digest = hashlib.sha256(content).hexdigest()
        found = EvidenceFile(digest, clean_name(name), len(content), content_type)
        with self.db.transaction() as cursor:
            cursor.execute("SELECT name, size, content_type FROM evidence_files"
                           " WHERE tenant = :t AND sha256 = :s", {"t": self.tenant, "s": digest})
            if cursor.fetchone() is not None:
                return found
            cursor.execute("SELECT COALESCE(SUM(size), 0) AS used FROM evidence_files"
                           " WHERE tenant = :t", {"t": self.tenant})
            row = cursor.fetchone()
            if int(row["used"] if row else 0) + len(content) > self.limits.per_tenant:
                raise DomainError("file.tenant_quota", field="files",
                                  limit=self.limits.per_tenant)
            cursor.execute(
                "INSERT INTO evidence_files (tenant, sha256, name, size, content_type,"
                " content, stored_at) VALUES (:t, :s, :n, :z, :c, :b, :w)",
                {"t": self.tenant, "s": digest, "n": found.name, "z": found.size,
                 "c": content_type, "b": content, "w": self._now()},
            )
        return found

    def _now(self) -> object:
        now = self._clock()
        return now.isoformat() if self.db.dialect == "sqlite" else now

    def describe(self, sha256: str) -> EvidenceFile | None:
        if not is_digest(sha256):
            return None  # not a digest at all: never reaches SQL
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT sha256, name, size, content_type FROM evidence_files"
                           " WHERE tenant = :t AND sha256 = :s", {"t": self.tenant, "s": sha256})
            row = cursor.fetchone()
        if row is None:
            return None
        return EvidenceFile(row["sha256"], row["name"], int(row["size"]), row["content_type"])

    def content(self, sha256: str) -> bytes | None:
        if not is_digest(sha256):
            return None
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT content FROM evidence_files WHERE tenant = :t AND sha256 = :s",
                           {"t": self.tenant, "s": sha256})
            row = cursor.fetchone()
        return bytes(row["content"]) if row is not None else None

    def resolve(self, digests: tuple[str, ...]) -> tuple[EvidenceFile, ...]:
        """The stored files a command names by digest; an unknown digest is refused."""
        found = []
        for digest in dict.fromkeys(d.strip().lower() for d in digests if d.strip()):
            described = self.describe(digest)
            if described is None:
                raise DomainError("file.not_found", field="files", sha256=digest[:64])
            found.append(described)
        return tuple(found)

    def damaged(self) -> list[str]:
        """Digests whose stored bytes no longer hash to them (for verification)."""
        with self.db.transaction(write=False) as cursor:
            cursor.execute("SELECT sha256, content FROM evidence_files WHERE tenant = :t",
                           {"t": self.tenant})
            rows = cursor.fetchall()
        return [r["sha256"] for r in rows
                if hashlib.sha256(bytes(r["content"])).hexdigest() != r["sha256"]]
