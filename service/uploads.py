"""Uploaded plan documents kept between the preview and the confirmation.

The preview stores the file under its SHA-256, per tenant, in the service's database (shared
by every worker and host); confirming names the digest and never uploads the file again.
Files are kept for `RETENTION` and pruned as new ones arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tenants.database import UNIQUE_VIOLATIONS, Database

RETENTION = timedelta(hours=24)


class UploadStore:
    def __init__(self, database: Database,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._db = database
        self._clock = clock or (lambda: datetime.now(UTC))

    def put(self, tenant: str, data: bytes, filename: str) -> str:
        """Keep `data` and return its SHA-256 (storing the same file twice keeps one)."""
        digest = hashlib.sha256(data).hexdigest()
        now = self._clock()
        with self._db.transaction() as cursor:
            cursor.execute("DELETE FROM r57_import_uploads WHERE uploaded_at < :cutoff",
                           {"cutoff": (now - RETENTION).isoformat()})
        try:
            with self._db.transaction() as cursor:
                cursor.execute(
                    "INSERT INTO r57_import_uploads (tenant, sha256, filename, data, uploaded_at)"
                    " VALUES (:tenant, :sha256, :filename, :data, :now)",
                    {"tenant": tenant, "sha256": digest, "filename": filename, "data": data,
                     "now": now.isoformat()},
                )
        except UNIQUE_VIOLATIONS:
            with self._db.transaction() as cursor:
                cursor.execute(
                    "UPDATE r57_import_uploads SET filename = :filename, uploaded_at = :now"
                    " WHERE tenant = :tenant AND sha256 = :sha256",
                    {"tenant": tenant, "sha256": digest, "filename": filename,
                     "now": now.isoformat()},
                )
        return digest

    def get(self, tenant: str, sha256: str) -> tuple[bytes, str] | None:
        """The file and the name it was uploaded with, or None (unknown or expired)."""
        with self._db.transaction(write=False) as cursor:
            cursor.execute(
                "SELECT filename, data FROM r57_import_uploads"
                " WHERE tenant = :tenant AND sha256 = :sha256 AND uploaded_at >= :cutoff",
                {"tenant": tenant, "sha256": sha256,
                 "cutoff": (self._clock() - RETENTION).isoformat()},
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return bytes(row["data"]), str(row["filename"])
