"""Signing in through the province's single sign-on (OpenID Connect). The provider's answer
is checked (state, signature, issuer, audience, nonce, expiry: service/sso.py) and the
identity must have been authorised by an administrator; each refusal is said in Vietnamese
and recorded in the sign-in journal, and signs nobody in."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.accounts import Refused
from service.sso import OidcClient, SsoRefused, Started
from web.auth import OPEN
from web.routes import Routes
from web.state import state
from web.views.account import accounts, begin_pending, journal, message
from web.views.session import safe_next

routes = Routes()
FLOW = "sso_flow"

SSO_MESSAGES = {
    "state": "Phản hồi đăng nhập một lần không khớp với yêu cầu đã gửi (state); có thể liên "
             "kết đã cũ hoặc bị giả mạo. Hãy đăng nhập lại từ đầu.",
    "nonce": "Mã định danh trong phản hồi không khớp với yêu cầu (nonce); phản hồi bị từ chối.",
    "signature": "Chữ ký của mã định danh không hợp lệ; phản hồi bị từ chối.",
    "malformed": "Mã định danh không đúng định dạng; phản hồi bị từ chối.",
    "aud": "Mã định danh không cấp cho hệ thống này (audience); phản hồi bị từ chối.",
    "iss": "Mã định danh do một nơi cấp khác với hệ thống đăng nhập đã cấu hình; phản hồi bị "
           "từ chối.",
    "expired": "Mã định danh đã hết hạn; hãy đăng nhập lại.",
    "no_email": "Hệ thống đăng nhập một lần không cho biết e-mail của bạn.",
    "email_unverified": "E-mail của bạn chưa được hệ thống đăng nhập một lần xác minh.",
    "provider_error": "Hệ thống đăng nhập một lần không hoàn tất việc đăng nhập.",
    "provider_unreachable": "Không liên lạc được với hệ thống đăng nhập một lần; hãy thử lại "
                            "sau hoặc đăng nhập bằng mật khẩu.",
    "token_exchange": "Không đổi được mã xác nhận với hệ thống đăng nhập một lần; hãy đăng "
                      "nhập lại.",
}


def sso_message(code: str) -> str:
    return SSO_MESSAGES.get(code, "Phản hồi đăng nhập một lần không hợp lệ; chưa đăng nhập.")


def _client() -> OidcClient:
    found = state().oidc
    if found is None:
        abort(404)
    return found


def _callback() -> str:
    return url_for("web.sso_callback", _external=True)


@routes.route("/sso/start", OPEN, ("POST",))
def sso_start() -> Response | tuple[str, int]:
    client = _client()
    try:
        started = client.start(_callback())
    except SsoRefused as refused:
        journal("", "", "oidc", f"sso_refused:{refused.code}")
        return _refused(refused.code), 502
    session[FLOW] = {"state": started.state, "nonce": started.nonce,
                     "verifier": started.verifier,
                     "next": safe_next(request.form.get("next"))}
    return redirect(started.url, 303)


def _refused(code: str) -> str:
    return render_template("web/sign_in.html", next=url_for("web.home"), form={},
                           errors={"sso": sso_message(code) if code in SSO_MESSAGES or code
                                   not in {"not_authorised", "other_identity"}
                                   else message(code)})


@routes.route("/sso/callback", OPEN)
def sso_callback() -> Response | tuple[str, int]:
    client = _client()
    flow = session.pop(FLOW, None)
    if not isinstance(flow, dict):
        flow = {}
    started = Started("", str(flow.get("state", "")), str(flow.get("nonce", "")),
                      str(flow.get("verifier", "")))
    params = {k: v[:2000] for k, v in request.args.items()}
    try:
        identity = client.finish(_callback(), params, started)
    except SsoRefused as refused:
        journal("", "", "oidc", f"sso_refused:{refused.code}")
        return _refused(refused.code), 422
    try:
        principal = accounts().sso_principal(identity.email, identity.issuer, identity.subject)
    except Refused as refused:
        known = accounts().view(identity.email) is not None
        journal(identity.email if known else "", identity.email, "oidc", refused.code)
        return _refused(refused.code), 403
    return begin_pending(principal, "oidc", str(flow.get("next") or url_for("web.home")))
