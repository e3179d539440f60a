"""Who is signed in, what each page lets them do, and the CSRF token of their session.

The session cookie (signed, HttpOnly, SameSite=Lax; Secure behind HTTPS) holds the id of a
server-side session, the principal's name, the id of the token they signed in with (if they
did) and the session's CSRF token. Each request checks that the session is live (not signed
out, idle or too old) and the token still valid, so revoking either ends it at once. Form
posts from another origin are refused before the CSRF token is even looked at.

Every page declares its access with `page(...)`, as the API's views do; the blueprint is
refused at creation if one does not, and `_admit` judges each request before the view runs.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, request, session
from werkzeug.wrappers import Response

from domain.errors import NotFound
from domain.policy import AGENCY_BOUND, Action, Grant, is_allowed, role_allows, tenants_readable
from service.access import PrincipalView, token_id_of
from web.state import state

CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN = "open"  # anyone, signed in or not (the public page, sign-in, assets)
Access = Action | str
V = TypeVar("V", bound=Callable[..., Any])


class SignInRequired(Exception):
    """The page needs a signed-in principal; the handler sends them to the sign-in form."""


class UndeclaredPage(TypeError):
    """A page that does not say who may see it."""


@dataclass(frozen=True)
class Viewer:
    name: str
    display_name: str
    grants: frozenset[Grant]

    def can(self, action: Action, slug: str = "", agencies: Iterable[str] | None = None) -> bool:
        return is_allowed(self.grants, action, slug, agencies)

    def tenants(self, action: Action) -> set[str] | None:
        """Tenants where `action` is granted; None means all of them."""
        return tenants_readable(self.grants, action)


def page(access: Access) -> Callable[[V], V]:
    def declare(view: V) -> V:
        view.web_access = access  # type: ignore[attr-defined]
        return view

    return declare


def check_declared(bp: Blueprint, views: Iterable[Callable[..., Any]]) -> None:
    for view in views:
        access = getattr(view, "web_access", None)
        if not (isinstance(access, Action) or access == OPEN):
            raise UndeclaredPage(f"Page '{bp.name}.{view.__name__}' declares no access.")


def token_is_live(view: PrincipalView, token_id: str, now: datetime) -> bool:
    found = view.tokens.get(token_id)
    if found is None:
        return False
    _, expires_at, live = found
    return live and (expires_at is None or expires_at > now)


def sign_in(view: PrincipalView, method: str, token: str | None = None) -> None:
    """A fresh session (never the one offered before sign-in): no fixation. The cookie
    holds the session's id; the server keeps its hash and ends it on sign-out."""
    session.clear()
    session["sid"] = state().sessions.start(view.name, method, request.remote_addr or "")
    session["principal"] = view.name
    if token is not None:
        session["token_id"] = token_id_of(token)
    session[CSRF_FIELD] = new_csrf()


def sign_out() -> None:
    sid = session.get("sid")
    if isinstance(sid, str):
        state().sessions.end(sid)
    session.clear()


def load_viewer() -> None:
    g.web_viewer = None
    name, sid = session.get("principal"), session.get("sid")
    if not isinstance(name, str) or not isinstance(sid, str):
        return
    token_id = session.get("token_id")
    try:
        view: PrincipalView | None = state().tenancy.access.principal(name)
    except NotFound:
        view = None
    live = view is not None and state().sessions.check(sid) == name
    if live and isinstance(token_id, str):  # signed in with a token: it must still be live
        live = view is not None and token_is_live(view, token_id, state().clock.now())
    if view is None or not live:
        g.expired_principal = name  # whose form, if one was being sent, is kept
        for key in ("principal", "sid", "token_id"):
            session.pop(key, None)
        return
    g.web_viewer = Viewer(view.name, view.display_name, frozenset(view.grants))


def viewer() -> Viewer | None:
    found: Viewer | None = g.get("web_viewer")
    return found


def require(action: Action, slug: str = "", agencies: Iterable[str] | None = None) -> Viewer:
    """The signed-in viewer, if policy allows the action here; otherwise refuse. A tenant
    the viewer may not see answers as one that does not exist."""
    found = viewer()
    if found is None:
        raise SignInRequired
    if slug and not found.can(Action.TENANT_LIST, slug):
        raise NotFound("tenant.not_found", field="tenant", tenant=slug)
    if not found.can(action, slug, agencies):
        abort(403)
    return found


def _admit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    access = getattr(view, "web_access", None)
    if access == OPEN:
        return
    if not isinstance(access, Action):
        abort(404)
    slug = (request.view_args or {}).get("slug", "")
    if slug and access in AGENCY_BOUND:
        # The first gate only: the view judges the item by its agencies.
        found = require(Action.TENANT_LIST, slug)
        if not role_allows(found.grants, access, slug):
            abort(403)
        return
    if slug:
        require(access, slug)
        return
    anyone = viewer()
    if anyone is None:
        raise SignInRequired
    if anyone.tenants(access) == set():
        abort(403)


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def csrf_token() -> str:
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def _same_origin() -> bool:
    """A browser names the page a form was posted from; it must be this site. Clients that
    send no Origin (not a browser) still need the session's CSRF token."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == request.host_url.rstrip("/")


def _check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    if not _same_origin():
        abort(403, description="origin")
    expected = session.get(CSRF_FIELD)
    offered = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, offered):
        abort(400, description="csrf")


# Pages load nothing from elsewhere and run no inline script; nobody may frame them.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _policy() -> str:
    """The pages' policy; with single sign-on, a form may also lead to the provider (the
    sign-in button's answer is a redirect there, which form-action governs)."""
    client = state().oidc
    if client is None:
        return CSP
    parts = urlsplit(client.config.issuer)
    return CSP.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def _harden(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html" and viewer() is not None:
        # A signed-in page is nobody else's: not kept by the browser or any proxy.
        response.headers["Cache-Control"] = "no-store"
    return response


def install(bp: Blueprint) -> None:
    bp.before_request(load_viewer)
    bp.before_request(_check_csrf)
    bp.before_request(_admit)
    bp.after_request(_harden)
