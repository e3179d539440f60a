"""Writes from forms: each form carries a one-time token, so a resubmitted form (a double
click, a reload, the back button) records nothing twice and lands on the first answer.

Tokens are kept in the service's idempotency table: atomic, and shared by every worker.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping

from flask import flash, redirect, request
from werkzeug.wrappers import Response

from domain.errors import DomainError
from tenants.idempotency import KeyInProgress, KeyReused, StoredResponse
from web.auth import CSRF_FIELD
from web.messages import WebError, error_vi
from web.state import state

TOKEN_FIELD = "form_token"  # noqa: S105 (a form field's name)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ALREADY_SENT = "Biểu mẫu này đã được gửi trước đó; không ghi nhận thêm lần nữa."


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _fingerprint() -> str:
    fields = sorted((k, v) for k, v in request.form.items(multi=True)
                    if k not in (CSRF_FIELD, TOKEN_FIELD))
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def submit_once(slug: str, record: Callable[[], str]) -> Response:
    """Run `record` (it writes and returns the page to show next) once per form token.
    A refusal (DomainError) frees the token, so the corrected form can be sent again."""
    token = request.form.get(TOKEN_FIELD, "")
    if not _TOKEN.fullmatch(token):
        raise WebError("Biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại.")
    store, key = state().forms, f"web:{token}"
    try:
        stored = store.begin(slug, key, _fingerprint())
    except KeyReused:
        raise WebError("Biểu mẫu này đã được gửi với nội dung khác; hãy tải lại trang rồi "
                       "nhập lại.") from None
    except KeyInProgress:
        raise WebError("Biểu mẫu này đang được xử lý; hãy chờ giây lát rồi tải lại "
                       "trang.") from None
    if stored is not None:
        flash(ALREADY_SENT, "info")
        return redirect(stored.body, 303)
    try:
        location = record()
    except BaseException:
        store.release(slug, key)
        raise
    store.finish(slug, key, StoredResponse(303, location, {}))
    return redirect(location, 303)


def field_errors(error: DomainError, fields: tuple[str, ...],
                 aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """{field: message}; a message about no field of this form goes under "" (the top).
    `aliases` maps the domain's name of an input to the form's, where they differ."""
    named = (aliases or {}).get(error.field or "", error.field)
    return {named if named in fields else "": error_vi(error)}
