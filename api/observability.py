"""Around every request: its id (X-Request-Id, honoured or made), metrics and an access log."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request, request_started

from api.services import services

REQUEST_ID_HEADER = "X-Request-Id"
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
_REQUEST_ID = re.compile(REQUEST_ID_PATTERN)
log = logging.getLogger("r57.http")


def _start(sender: Flask, **extra: Any) -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    route = request.url_rule.rule if request.url_rule else "<unmatched>"
    services().metrics.observe_request(request.method, route, response.status_code, seconds)
    log.info("request", extra={"request_id": g.get("request_id"), "fields": {
        "method": request.method, "path": request.path, "route": route,
        "status": response.status_code, "duration_ms": round(seconds * 1000, 2),
    }})
    return response


def install(app: Flask) -> None:
    # request_started fires before the URL value preprocessors (which resolve the tenant and
    # may refuse it), so even those refusals carry the request id and are timed.
    request_started.connect(_start, app, weak=False)
    app.after_request(_finish)
