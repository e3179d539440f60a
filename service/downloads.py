"""How an evidence file is handed out: as an attachment, never rendered inline, never
re-sniffed by the browser. The API and the web pages both answer with these headers."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from domain.evidence import EvidenceFile


def attachment_headers(described: EvidenceFile) -> dict[str, str]:
    """Content-Disposition with an ASCII fallback name and the exact UTF-8 name (RFC 6266),
    and the headers that keep a browser from running or guessing the content."""
    folded = unicodedata.normalize("NFKD", described.name).encode("ascii", "ignore").decode()
    fallback = "".join(c for c in folded if c.isprintable() and c not in '"\\') or "file"
    return {
        "Content-Type": described.content_type,
        "Content-Disposition": (f'attachment; filename="{fallback}"; '
                                f"filename*=UTF-8''{quote(described.name, safe='')}"),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
