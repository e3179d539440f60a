"""The home page, signing in and out, and the pages' own assets."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, send_from_directory, url_for
from werkzeug.wrappers import Response

from domain.policy import Action
from service.access import token_id_of
from web import auth
from web.auth import OPEN
from web.routes import Routes
from web.state import state
from web.views.account import password_sign_in
from web.views.queue import landing

routes = Routes()
STATIC = Path(__file__).resolve().parents[1] / "static"
MAX_TOKEN_LENGTH = 512


@routes.route("/", OPEN)
def home() -> str:
    """Signed in: the provinces one may follow. Otherwise: sign in, or read a public page."""
    tenants = state().tenancy.registry.list(include_archived=True)
    viewer = auth.viewer()
    readable = viewer.tenants(Action.READ_STATUS) if viewer else set()
    mine = [t for t in tenants if readable is None or t.slug in (readable or set())]
    return render_template("web/home.html", tenants=tenants, mine=mine,
                           changes=bool(viewer and viewer.tenants(Action.READ_CHANGES) != set()))


def safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if not target:
        return url_for("web.home")
    if any(ch < " " or ch in {"\x7f", "\\"} for ch in target):
        return url_for("web.home")  # a header can hold no line break; browsers read \ as /
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.home")
    return target


@routes.route("/sign-in", OPEN, ("GET", "POST"))
def sign_in() -> Response | tuple[str, int] | str:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("web/sign_in.html", next=target, errors={}, form={})
    if "token" not in request.form:
        return password_sign_in(target)
    token = request.form.get("token", "").strip()
    fits = 0 < len(token) <= MAX_TOKEN_LENGTH
    token_id = token_id_of(token) if fits else None
    address, subject = request.remote_addr or "", f"token:{token_id}" if token_id else ""
    wait = state().throttle.retry_after(address, subject)
    if wait is not None:
        state().journal.record(principal="", login=subject, address=address, method="token",
                               outcome="throttled")
        error = f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {wait} giây."
        return render_template("web/sign_in.html", next=target, errors={"token": error},
                               form={}, token_open=True), 429
    principal = state().tenancy.access.authenticate(token) if fits else None
    if principal is None:
        state().throttle.failed(address, subject)
        state().journal.record(principal="", login=subject, address=address, method="token",
                               outcome="bad_token")
        error = "Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi."
        return render_template("web/sign_in.html", next=target, errors={"token": error},
                               form={}, token_open=True), 422
    state().journal.record(principal=principal.name, login=subject, address=address,
                           method="token", outcome="ok")
    auth.sign_in(principal, "token", token)
    flash(f"Xin chào {principal.display_name}.", "success")
    return redirect(landing(principal.grants, target), 303)


@routes.route("/sign-out", OPEN, ("POST",))
def sign_out() -> Response:
    auth.sign_out()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("web.home"), 303)


@routes.route("/assets/<path:filename>", OPEN)
def asset(filename: str) -> Response:
    return send_from_directory(STATIC, filename, max_age=3600)
