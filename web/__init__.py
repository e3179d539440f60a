"""The web interface in Vietnamese: server-rendered pages for provinces' standing bodies,
agency reporters, auditors and inspectors, and a public page per province."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from domain.clock import Clock
from domain.errors import DomainError, NotFound
from domain.policy import Action
from domain.text import refused_character
from integrity.findings import Finding
from service.replicas import Replica
from service.security import AuthThrottle, SessionPolicy, SessionStore, SignInJournal
from service.sso import OidcClient
from service.tenancy import Tenancy, TenantArchived
from tenants.availability import RETRY_AFTER_SECONDS, unavailable_reason
from tenants.idempotency import IdempotencyStore
from tenants.registry import Tenant
from web import auth, formatting
from web.config import WebConfig, secret_key
from web.forms import new_form_token
from web.kept_forms import keep_posted_form
from web.messages import WebError, error_vi
from web.routes import Routes
from web.schemas import LIMITS
from web.state import EXTENSION, WebState, state, tenant_record
from web.views import (
    account,
    agencies,
    changes,
    commands,
    dashboard,
    exports,
    imports,
    indicator_forms,
    insight,
    manage,
    national,
    notifications,
    people,
    plan_entry,
    queue,
    review,
    revisions,
    session,
    sso,
    tasks,
)

log = logging.getLogger("r57.web")
MODULES: tuple[Routes, ...] = (
    session.routes, dashboard.routes, tasks.routes, commands.routes, manage.routes,
    insight.routes, indicator_forms.routes, changes.routes, imports.routes,
    exports.routes, account.routes, people.routes, sso.routes, review.routes,
    plan_entry.routes, queue.routes, notifications.routes, national.routes, agencies.routes,
    revisions.routes,
)
_TITLES = {400: "Yêu cầu không hợp lệ", 403: "Không có quyền truy cập",
           404: "Không tìm thấy", 405: "Thao tác không được hỗ trợ", 409: "Không thể ghi nhận",
           413: "Tệp quá lớn", 422: "Dữ liệu chưa hợp lệ", 500: "Lỗi máy chủ",
           503: "Tạm thời không phục vụ được"}


def create_blueprint(config: WebConfig | None = None, *, tenancy: Tenancy,
                     clock: Clock | None = None,
                     throttle: AuthThrottle | None = None) -> Blueprint:
    """The pages, under `/`, over the given tenancy. Failed sign-ins are counted by the
    given throttle (the one the API counts tokens with) or by one of their own."""
    config = config or WebConfig.from_env()
    bp = Blueprint("web", __name__, template_folder="templates")

    @bp.record_once
    def install(setup: BlueprintSetupState) -> None:
        app = setup.app
        found = tenancy
        now = clock or found.clock
        database = found.storage.database
        app.extensions[EXTENSION] = WebState(
            found, config, IdempotencyStore(database), now,
            throttle=throttle or AuthThrottle(database, clock=lambda: now.now().timestamp()),
            sessions=SessionStore(database, SessionPolicy(
                idle_seconds=config.session_idle_minutes * 60,
                absolute_seconds=config.session_hours * 3600),
                clock=lambda: now.now().timestamp()),
            journal=SignInJournal(database, clock=lambda: now.now().timestamp()),
            oidc=OidcClient(config.oidc) if config.oidc else None)
        if not app.secret_key:
            storage_dir: Path | None = getattr(found.storage, "data_dir", None)
            app.secret_key = secret_key(config, storage_dir)
        app.config["SESSION_COOKIE_HTTPONLY"] = True
        app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
        if config.secure_cookies:  # only ever sent over HTTPS, to this host, for every path
            app.config["SESSION_COOKIE_SECURE"] = True
            app.config["SESSION_COOKIE_NAME"] = "__Host-r57-session"
            app.config["SESSION_COOKIE_PATH"] = "/"

    bp.before_request(_refuse_unstorable_text)
    auth.install(bp)
    formatting.install(bp)
    account.install_filters(bp)
    bp.context_processor(_page_context)
    # These pages judge access themselves (web/auth.py); the API's guard judges its own.
    views = [route.view for module in MODULES for route in module.items]
    auth.check_declared(bp, views)
    for module in MODULES:
        for route in module.items:
            bp.add_url_rule(route.rule, route.endpoint, route.view, methods=route.methods)
    _register_error_pages(bp)
    return bp


def _refuse_unstorable_text() -> None:
    """Text the ledger does not store (control characters, unpaired surrogates) is refused
    at the door, naming the field, before any page reads it."""
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            char = refused_character(value)
            if char is not None:
                raise WebError(f"Trường '{name}' chứa ký tự không hợp lệ (U+{ord(char):04X}); "
                               "hãy xóa ký tự đó rồi gửi lại.", field=name)


def _tenant() -> Tenant | None:
    slug = (request.view_args or {}).get("slug")
    return tenant_record(slug) if slug else None


def _simulated() -> bool:
    """Whether the page shows a simulated tenant (the pages of one tenant, and the change
    log filtered to one): each such page carries the banner that says so."""
    tenant = _tenant()
    if tenant is not None:
        return tenant.simulated
    if request.endpoint != "web.change_log":
        return False
    viewer, chosen = auth.viewer(), request.args.get("tenant", "")
    if viewer is None:
        return False
    return any(t.simulated and viewer.can(Action.READ_CHANGES, t.slug)
               for t in state().tenancy.registry.list(include_archived=True)
               if not chosen or t.slug == chosen)


def _merged_into() -> Tenant | None:
    """The tenant the page's tenant was merged into: its pages say where it went."""
    tenant = _tenant()
    if tenant is None or tenant.merged_into is None:
        return None
    try:
        return state().tenancy.registry.get(tenant.merged_into)
    except DomainError:
        return None


def _merged_from() -> list[Tenant]:
    """The tenants merged into the page's tenant, earliest merger first."""
    slug = _tenant_slug()
    if slug is None:
        return []
    merged = state().tenancy.registry.merged_into(slug)
    return sorted(merged, key=lambda t: (t.merged_on or date.min, t.slug))


def _tenant_slug() -> str | None:
    found = _tenant()
    return found.slug if found is not None else None


def _sso_name() -> str | None:
    client = state().oidc
    return client.config.name if client is not None else None
def _integrity_failed() -> Finding | None:
    """The tenant's failed live verification, shown on each of its pages."""
    tenant = _tenant()
    if tenant is None:
        return None
    try:
        return state().tenancy.integrity.failed(tenant.slug)
    except (sqlite3.Error, psycopg.Error, PersistenceError):
        log.warning("could not read the integrity finding of %s", tenant.slug, exc_info=True)
        return None


def _replica() -> Replica | None:
    """The tenant's replication state, when it is a replica of another deployment's."""
    if "web_replica" not in g:
        slug = _tenant_slug()
        try:
            g.web_replica = state().tenancy.replicas.find(slug) if slug else None
        except (sqlite3.Error, psycopg.Error):
            log.warning("could not read the replication state of %s", slug, exc_info=True)
            g.web_replica = None
    found: Replica | None = g.web_replica
    return found


_READS = frozenset({Action.TENANT_LIST, Action.READ_STATUS, Action.READ_HISTORY,
                    Action.READ_CHANGES, Action.READ_FEED, Action.READ_ACCESS,
                    Action.READ_NATIONAL})


def _page_context() -> dict[str, Any]:
    viewer = auth.viewer()
    replica = _replica()
    return {
        "viewer": viewer, "Action": Action, "csrf_token": auth.csrf_token,
        "form_token": new_form_token, "today": state().today(), "tenant": _tenant(),
        "simulated": _simulated(),
        "merged_into": _merged_into(),
        "merged_from": _merged_from,  # called by the pages that name them
        "sso_name": _sso_name(),
        "integrity_failed": _integrity_failed(),
        "queue_badge": lambda: queue.queue_badge(viewer, _tenant_slug()),
        "unread_reminders": notifications.unread_count,  # called by the header only
        "show_changes": viewer is not None and viewer.tenants(Action.READ_CHANGES) != set(),
        "can": lambda action, slug="", agencies=None: bool(
            viewer and viewer.can(action, slug, agencies)
            # nothing is recorded into a replica: its pages offer no form
            and not (replica is not None and action not in _READS
                     and slug == replica.slug)),
        "replica": replica,
        "limits": LIMITS,  # the longest text each task form field takes
        "show_national": viewer is not None
        and viewer.tenants(Action.READ_NATIONAL) != set(),
    }


def _error_page(status: int, message: str) -> tuple[str, int]:
    return render_template("web/error.html", status=status, title=_TITLES.get(status, "Lỗi"),
                           message=message), status


def _on_http(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    if status == 403 and error.description == "origin":
        return _error_page(403, "Biểu mẫu được gửi từ một trang khác, không phải từ hệ thống "
                                "này; yêu cầu đã bị từ chối.")
    messages = {
        400: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang rồi "
             "gửi lại." if error.description == "csrf" else "Yêu cầu không hợp lệ.",
        403: "Vai trò của bạn không cho phép thao tác này tại đơn vị này.",
        404: "Không tìm thấy trang hoặc dữ liệu yêu cầu.",
        413: "Tệp tải lên vượt quá dung lượng cho phép.",
    }
    return _error_page(status, messages.get(status, _TITLES.get(status, "Đã xảy ra lỗi.")))


def unrouted_page(error: HTTPException) -> ResponseReturnValue:
    """The page for an address no route serves (the app's 404 and 405 outside the API)."""
    if "web_viewer" not in g:
        auth.load_viewer()
    status = error.code or 404
    message = ("Địa chỉ này không có trong Sổ theo dõi. Hãy kiểm tra lại đường dẫn, hoặc "
               "quay về trang chủ để chọn đơn vị và kế hoạch cần xem." if status == 404
               else _TITLES.get(status, "Đã xảy ra lỗi."))
    return render_template("web/error.html", **_page_context(), status=status,
                           title=_TITLES.get(status, "Lỗi"), message=message), status


def _on_domain(error: DomainError) -> tuple[str, int]:
    if isinstance(error, NotFound):
        return _error_page(404, error_vi(error))
    return _error_page(409 if isinstance(error, TenantArchived) else 422, error_vi(error))


def _on_sign_in_required(_: auth.SignInRequired) -> Response:
    slug = (request.view_args or {}).get("slug")
    if request.method == "POST" and slug and request.form:
        # Signed out while filling it in: what was typed waits for its author.
        back = keep_posted_form(slug, g.get("expired_principal", ""))
        return redirect(url_for("web.sign_in", next=back), 303)
    return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))


def _on_unexpected(error: Exception) -> tuple[str, int] | Response:
    reason = unavailable_reason(error)
    if reason is not None:
        log.warning("store unavailable (%s) for a page: %s", reason, error)
        page, status = _error_page(503, "Cơ sở dữ liệu tạm thời không sẵn sàng; hãy thử lại "
                                        "sau giây lát.")
        return Response(page, status, {"Retry-After": str(RETRY_AFTER_SECONDS)},
                        mimetype="text/html")
    log.exception("unhandled error in a page", exc_info=error)
    return _error_page(500, "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại.")


def _register_error_pages(bp: Blueprint) -> None:
    bp.register_error_handler(auth.SignInRequired, _on_sign_in_required)
    bp.register_error_handler(HTTPException, _on_http)
    bp.register_error_handler(DomainError, _on_domain)
    bp.register_error_handler(Exception, _on_unexpected)
