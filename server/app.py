"""The application factory: settings in, one Flask app serving the API and the web pages.

The API and the web interface never import each other; this module is the only one that
knows both, and it is what the WSGI entry, the tests and the benchmarks build.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

import web
from api.app import create_api
from api.config import ApiSettings
from api.errors import http_problem
from api.guard import check_declared
from api.services import EXTENSION, Services
from domain.text import refused_character
from service.config import Settings
from service.tenancy import Tenancy

# The service's own endpoints answer problem details; every other path is a page.
_API_PATHS = ("/api", "/metrics", "/healthz", "/readyz")


def create_app(settings: Settings | None = None, tenancy: Tenancy | None = None,
               api_settings: ApiSettings | None = None) -> Flask:
    """The API, then the pages beside it, sharing the API's tenancy and failed-attempt
    throttle. Building refuses a route that declares no access."""
    app = create_api(settings, tenancy, api_settings)
    services: Services = app.extensions[EXTENSION]
    app.register_blueprint(web.create_blueprint(tenancy=services.tenancy,
                                                throttle=services.throttle))
    app.url_value_preprocessor(_refuse_unstorable_path)
    app.register_error_handler(404, _unrouted)
    app.register_error_handler(405, _unrouted)
    check_declared(app, judged_elsewhere={"web"})
    return app


def _refuse_unstorable_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A path segment holding what no stored name can hold (a NUL, a control character, an
    unpaired surrogate) names nothing: not found, before any query sees it."""
    for value in (values or {}).values():
        if isinstance(value, str) and refused_character(value) is not None:
            abort(404)


def _unrouted(error: HTTPException) -> ResponseReturnValue:
    """An address no route serves: problem details under the API, a page elsewhere."""
    if request.path.startswith(_API_PATHS):
        return http_problem(error)
    return web.unrouted_page(error)
