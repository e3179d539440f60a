"""Files attached to a web form (its `files` input), stored once in the tenant's file store."""

from __future__ import annotations

from flask import request

from web.messages import WebError
from web.state import tenancy

MAX_FILES = 10


def uploaded_files(slug: str) -> tuple[str, ...]:
    """Store the form's files; their digests, for the command that cites them."""
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if len(uploads) > MAX_FILES:
        raise WebError(f"Chỉ đính kèm tối đa {MAX_FILES} tệp mỗi lần.", field="files")
    store = tenancy().ledger(slug, for_writing=True).files
    return tuple(store.put(f.read(), f.filename or "").sha256 for f in uploads)
