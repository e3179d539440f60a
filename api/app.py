"""The API's application factory: settings in, a Flask app holding the API's services out.
The web pages are mounted beside it by the composition root (server/app.py)."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from api import integrity_warning, observability, openapi
from api.config import ApiSettings
from api.errors import register_error_handlers
from api.guard import check_declared
from api.metrics import Metrics
from api.scope import take_tenant
from api.services import EXTENSION, Services
from api.views import BLUEPRINTS
from service.config import Settings
from service.container import build_tenancy
from service.request_reads import RequestReader
from service.security import AuthThrottle
from service.tenancy import Tenancy
from tenants.idempotency import IdempotencyStore


class Utf8Response(Response):
    """Text bodies encoded so that a character UTF-8 cannot hold (an unpaired surrogate in
    history stored before input was canonical) is replaced, never a failed answer."""

    def set_data(self, value: bytes | str) -> None:
        super().set_data(value.encode("utf-8", "replace") if isinstance(value, str) else value)


def create_api(settings: Settings | None = None, tenancy: Tenancy | None = None,
               api_settings: ApiSettings | None = None) -> Flask:
    """Build the app. Web workers never run DDL: migrations run once, before they start.
    Building refuses a route that declares no action (api/guard.py)."""
    api_settings = api_settings or ApiSettings.from_env()
    if tenancy is None:
        tenancy = build_tenancy(settings or Settings.from_env(), migrate=False)
    app = Flask(__name__, static_folder=None)  # every route is declared, none implied
    app.response_class = Utf8Response
    app.config["MAX_CONTENT_LENGTH"] = api_settings.max_upload_bytes
    metrics = Metrics(api_settings.metrics_multiprocess_dir)
    app.extensions[EXTENSION] = Services(
        tenancy=tenancy,
        api_settings=api_settings,
        idempotency=IdempotencyStore(tenancy.storage.database),
        metrics=metrics,
        throttle=AuthThrottle(tenancy.storage.database, api_settings.throttle_policy(),
                              on_lock=metrics.authentication_locked),
        reads=RequestReader(tenancy.storage.request_database(),
                            tenancy.storage.access_events),
    )
    if api_settings.trusted_proxies > 0:
        # Only the configured number of proxies is believed about the client and the scheme.
        n = api_settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    register_error_handlers(app)
    observability.install(app)
    integrity_warning.install(app)
    app.url_value_preprocessor(take_tenant)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_blueprint(openapi.bp)
    check_declared(app)  # a route that does not say who may call it is never served
    return app
