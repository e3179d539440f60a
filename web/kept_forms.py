"""A form sent after the session expired is not lost: what was typed is kept (server-side,
for the same person, for as long as form tokens are kept), and the form is shown again,
filled in, once its author has signed in again."""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import urlencode

from flask import request
from werkzeug.datastructures import MultiDict

from tenants.idempotency import KeyInProgress, KeyReused, StoredResponse
from web.auth import CSRF_FIELD, viewer
from web.state import state

KEPT = "kept"  # the query parameter naming a kept form
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
_NOT_KEPT = (CSRF_FIELD, "form_token")


def _key(kept_id: str) -> str:
    return f"web-kept:{kept_id}"


def keep_posted_form(slug: str, author: str) -> str:
    """Keep the form being posted; returns the address that shows it again, filled in."""
    kept_id = secrets.token_urlsafe(24)
    fields = [(k, v) for k, v in request.form.items(multi=True) if k not in _NOT_KEPT]
    body = json.dumps({"author": author, "path": request.path, "fields": fields},
                      ensure_ascii=False)
    store = state().forms
    store.begin(slug, _key(kept_id), kept_id)
    store.finish(slug, _key(kept_id), StoredResponse(200, body, {}))
    query = [(k, v) for k, v in request.args.items(multi=True) if k != KEPT]
    return request.path + "?" + urlencode([*query, (KEPT, kept_id)])


def kept_form(slug: str) -> MultiDict[str, str] | None:
    """The fields kept for this page and the person now signed in, if the address names
    such a kept form."""
    kept_id = request.args.get(KEPT, "")
    found = viewer()
    if not _ID.fullmatch(kept_id) or found is None:
        return None
    store = state().forms
    try:
        stored = store.begin(slug, _key(kept_id), kept_id)
    except (KeyReused, KeyInProgress):
        return None
    if stored is None:  # nothing was kept under this name: leave no trace either
        store.release(slug, _key(kept_id))
        return None
    kept = json.loads(stored.body)
    if kept.get("path") != request.path or kept.get("author") not in ("", found.name):
        return None
    return MultiDict([(str(k), str(v)) for k, v in kept.get("fields", [])])
