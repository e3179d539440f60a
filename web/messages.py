"""Vietnamese words for what the layers below name by code: refusals, deadline kinds, roles,
report states and reporting periods, all rendered from the catalogues (i18n)."""

from __future__ import annotations

import logging

from domain.errors import DomainError
from i18n import period_name, render, render_code, text_of

log = logging.getLogger("r57.web")


class WebError(DomainError):
    """A refusal from the web layer itself, already in Vietnamese."""


def _word(kind: str, value: object) -> str:
    code = f"{kind}.{value}"
    return render_code(code, "vi") if text_of(code, "vi") else str(value)


def deadline_kind_vi(kind: str) -> str:
    return _word("deadline_kind", kind)


def role_vi(role: object) -> str:
    return _word("role", role)


def report_state_vi(state: str) -> str:
    return _word("report_state", state)


def period_vi(code: str | None) -> str:
    """'2025-Q2' -> 'Quý II/2025', as the province's reports name periods."""
    return period_name(code or "", "vi")


def too_long_vi(limit: int, length: int) -> str:
    """The refusal of text longer than a field takes (domain/limits.py)."""
    def count(n: int) -> str:
        return f"{n:,}".replace(",", ".")
    return f"Tối đa {count(limit)} ký tự; nội dung đã nhập có {count(length)} ký tự."


def error_vi(error: DomainError) -> str:
    if isinstance(error, WebError):
        return error.message
    coded = error.as_message()
    if coded is not None:
        return render(coded, "vi")
    # Every refusal of the layers below names a code (tests/unit/test_refusal_codes.py).
    log.warning("a refusal with no catalogue code reached a page: %s", error.message)
    return "Không thể ghi nhận: dữ liệu chưa hợp lệ."
