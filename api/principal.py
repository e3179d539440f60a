"""Who is acting. The one place that decides it: token authentication will replace it."""

from __future__ import annotations

import re

from flask import request

from api import i18n
from api.errors import BadHeader

HEADER = "X-R57-Actor"
ANONYMOUS = "anonymous"
PATTERN = r"^[A-Za-z0-9._:@-]{1,100}$"  # ASCII only: header bytes arrive as latin-1
_ACTOR = re.compile(PATTERN)


def current_actor() -> str:
    """The X-R57-Actor header, validated; "anonymous" when absent."""
    value = request.headers.get(HEADER, "")
    if not value:
        return ANONYMOUS
    if not _ACTOR.fullmatch(value):
        message = i18n.text("An actor is 1-100 letters, digits or . _ - : @ characters.")
        raise BadHeader(message, errors={HEADER: [message]})
    return value
