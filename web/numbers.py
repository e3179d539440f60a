"""Numbers as Vietnamese write them: "." groups thousands, "," marks the decimals.

The rule, so that no typed value is read two ways:
- "1234", "1234,5", "1.234.567", "1.234,5", "1 234,5" and "-3,25" are read as written;
- a dot followed by other than three digits ("62.5", "1.23") is refused: it can only be
  an English decimal point, and Vietnamese decimals take a comma ("62,5");
- a single dot before exactly three digits and no comma ("1.234") is refused as
  ambiguous: one thousand two hundred thirty-four to a Vietnamese reader, one point two
  three four to an English one; "1234" or "1,234" says which;
- a comma before a dot ("1,234.5", English grouping) is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal

from web.messages import WebError

_PLAIN = re.compile(r"^-?\d+(?:,\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_AMBIGUOUS = re.compile(r"^-?\d{1,3}\.\d{3}$")


class NumberRefused(WebError):
    """A typed value that is not a number, or that could be read two ways."""


def parse_number(text: str, field: str = "value") -> Decimal:
    typed = text.strip()
    compact = re.sub(r"[\s\u00a0\u202f]", "", typed)
    if _AMBIGUOUS.fullmatch(compact):
        whole = compact.replace(".", "")
        decimal = compact.replace(".", ",")
        raise NumberRefused(
            f"'{typed}' có thể hiểu hai cách: nếu là {whole} hãy nhập {whole}; nếu là số "
            f"thập phân hãy nhập {decimal} (dấu phẩy ngăn phần thập phân).", field=field)
    if _PLAIN.fullmatch(compact) or _GROUPED.fullmatch(compact):
        return Decimal(compact.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+\.\d+", compact):
        raise NumberRefused(
            f"'{typed}' dùng dấu chấm làm dấu thập phân; hãy nhập {compact.replace('.', ',')}"
            " (dấu phẩy ngăn phần thập phân, dấu chấm ngăn hàng nghìn).", field=field)
    raise NumberRefused(
        f"'{typed}' không phải là số; hãy nhập ví dụ 62,5 hoặc 1.234,5 (dấu phẩy ngăn phần "
        "thập phân, dấu chấm ngăn hàng nghìn).", field=field)
