"""Signing in as a person: e-mail and password, then the second factor; one's own account
(password change, authenticator enrolment with a QR code and recovery codes); one-time links
to set a password. Every attempt is written to the sign-in journal; every refusal says why
in Vietnamese and changes nothing."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.accounts import MIN_PASSWORD, AccountService, Refused
from web import auth
from web.auth import OPEN, SignInRequired
from web.formatting import moment
from web.routes import Routes
from web.state import state
from web.views.notifications import store as reminder_store
from web.views.queue import landing

routes = Routes()
PENDING_SECONDS = 600  # between the password and the second factor
MAX_FIELD = 512

MESSAGES = {
    "bad_password": "E-mail hoặc mật khẩu không đúng.",
    "bad_code": "Mã xác thực không đúng hoặc đã hết hạn; hãy nhập mã đang hiện trên ứng dụng "
                "xác thực (6 chữ số), hoặc một mã dự phòng.",
    "replayed_code": "Mã xác thực này đã được dùng; hãy chờ ứng dụng hiện mã mới rồi nhập lại.",
    "no_second_factor": "Tài khoản chưa đăng ký xác thực hai lớp.",
    "no_account": "Không có tài khoản với e-mail này.",
    "password_short": f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.",
    "password_long": "Mật khẩu quá dài (tối đa 256 ký tự).",
    "password_like_login": "Mật khẩu không được chứa tên tài khoản (phần trước @ của e-mail).",
    "password_weak": "Mật khẩu quá đơn giản; hãy dùng nhiều ký tự khác nhau.",
    "password_same": "Mật khẩu mới phải khác mật khẩu hiện tại.",
    "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
    "bad_link": "Liên kết đặt mật khẩu không hợp lệ hoặc đã được dùng; hãy đề nghị quản trị "
                "viên cấp liên kết mới.",
    "expired_link": "Liên kết đặt mật khẩu đã hết hạn; hãy đề nghị quản trị viên cấp liên kết "
                    "mới.",
    "not_authorised": "Danh tính đăng nhập một lần này chưa được quản trị viên cho phép vào hệ "
                      "thống; hãy liên hệ quản trị viên của đơn vị.",
    "other_identity": "Tài khoản này đã gắn với một danh tính đăng nhập một lần khác.",
    "pending_expired": "Phiên đăng nhập dở dang đã hết hạn; hãy nhập lại e-mail và mật khẩu.",
}


def message(code: str) -> str:
    return MESSAGES.get(code, "Không đăng nhập được.")


def accounts() -> AccountService:
    return state().tenancy.accounts


def address() -> str:
    return request.remote_addr or ""


def journal(principal: str, login: str, method: str, outcome: str) -> None:
    state().journal.record(principal=principal, login=login, address=address(),
                           method=method, outcome=outcome)


def _now() -> float:
    return state().clock.now().timestamp()


def begin_pending(principal: str, method: str, target: str) -> Response:
    """The first factor is good: on to the second (or to enrolling one, when required)."""
    session.clear()
    session["pending"] = {"principal": principal, "method": method, "next": target,
                          "at": _now()}
    session[auth.CSRF_FIELD] = auth.new_csrf()
    if accounts().has_second_factor(principal):
        return redirect(url_for("web.second_factor"), 303)
    if accounts().second_factor_required(principal):
        flash("Vai trò của bạn cần xác thực hai lớp: hãy đăng ký ứng dụng xác thực để tiếp tục.",
              "info")
        return redirect(url_for("web.enrol"), 303)
    return finish(principal, method, target)


def pending() -> dict[str, Any] | None:
    found = session.get("pending")
    if not isinstance(found, dict) or not isinstance(found.get("principal"), str):
        return None
    if _now() - float(found.get("at", 0)) > PENDING_SECONDS:
        session.pop("pending", None)
        return None
    return found


def finish(principal: str, method: str, target: str) -> Response:
    view = state().tenancy.access.principal(principal)
    state().throttle.succeeded(address(), f"account:{principal}")
    auth.sign_in(view, method)
    journal(principal, principal, method, "ok")
    flash(f"Xin chào {view.display_name}.", "success")
    return redirect(landing(view.grants, target), 303)


def password_sign_in(target: str) -> Response | tuple[str, int]:
    login = request.form.get("login", "").strip().lower()[:254]
    password = request.form.get("password", "")[:MAX_FIELD]
    subject = f"account:{login}"
    wait = state().throttle.retry_after(address(), subject)
    form = {"login": login}
    if wait is not None:
        journal("", login, "password", "throttled")
        error = f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {wait} giây."
        return render_template("web/sign_in.html", next=target, form=form,
                               errors={"login": error}), 429
    try:
        principal = accounts().check_password(login, password)
    except Refused as refused:
        state().throttle.failed(address(), subject)
        known = accounts().view(login) is not None
        journal(login if known else "", login, "password", refused.code)
        return render_template("web/sign_in.html", next=target, form=form,
                               errors={"password": message(refused.code)}), 422
    return begin_pending(principal, "password", target)


@routes.route("/sign-in/second-factor", OPEN, ("GET", "POST"))
def second_factor() -> Response | tuple[str, int] | str:
    found = pending()
    if found is None or not accounts().has_second_factor(found["principal"]):
        flash(message("pending_expired"), "error")
        return redirect(url_for("web.sign_in"), 303)
    principal = found["principal"]
    if request.method == "GET":
        return render_template("web/second_factor.html", errors={})
    subject = f"account:{principal}"
    wait = state().throttle.retry_after(address(), subject)
    if wait is not None:
        journal(principal, principal, "second_factor", "throttled")
        error = f"Nhập sai quá nhiều lần; hãy thử lại sau {wait} giây."
        return render_template("web/second_factor.html", errors={"code": error}), 429
    try:
        how = accounts().verify_second_factor(principal, request.form.get("code", "")[:64])
    except Refused as refused:
        state().throttle.failed(address(), subject)
        journal(principal, principal, "second_factor", refused.code)
        return render_template("web/second_factor.html",
                               errors={"code": message(refused.code)}), 422
    return finish(principal, f"{found['method']}+{how}", str(found["next"]))


def _qr(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _enrolling() -> tuple[str, dict[str, Any] | None]:
    """Who enrols: the signed-in viewer, or a person half-way through signing in."""
    viewer = auth.viewer()
    if viewer is not None:
        return viewer.name, None
    found = pending()
    if found is None:
        raise SignInRequired
    return found["principal"], found


@routes.route("/account/second-factor", OPEN, ("GET", "POST"))
def enrol() -> Response | tuple[str, int] | str:
    principal, half_way = _enrolling()
    if accounts().has_second_factor(principal):
        flash("Tài khoản đã có xác thực hai lớp; muốn đổi thiết bị, hãy nhờ quản trị viên đặt "
              "lại.", "info")
        return redirect(url_for("web.account") if half_way is None else url_for("web.sign_in"),
                        303)
    secret = session.get("enrol_secret")
    if request.method == "GET" or not isinstance(secret, str):
        enrolment = accounts().begin_enrolment(principal)
        session["enrol_secret"] = enrolment.secret
        return render_template("web/enrol.html", qr=_qr(enrolment.uri),
                               secret=enrolment.secret, errors={}, codes=None)
    try:
        codes = accounts().enrol(principal, secret, request.form.get("code", "")[:64])
    except Refused as refused:
        journal(principal, principal, "enrol", refused.code)
        uri = accounts().begin_enrolment(principal, secret).uri
        return render_template("web/enrol.html", qr=_qr(uri), secret=secret,
                               errors={"code": message(refused.code)}, codes=None), 422
    session.pop("enrol_secret", None)
    journal(principal, principal, "enrol", "ok")
    if half_way is not None:  # enrolled while signing in: now signed in
        view = state().tenancy.access.principal(principal)
        auth.sign_in(view, f"{half_way['method']}+enrolled")
        state().throttle.succeeded(address(), f"account:{principal}")
        journal(principal, principal, str(half_way["method"]), "ok")
    return render_template("web/enrol.html", qr=None, secret=None, errors={}, codes=codes,
                           next=half_way["next"] if half_way else url_for("web.account"))


@routes.route("/account", OPEN, ("GET", "POST"))
def account() -> Response | tuple[str, int] | str:
    viewer = auth.viewer()
    if viewer is None:
        raise SignInRequired
    found = accounts().view(viewer.name)
    errors: dict[str, str] = {}
    if request.method == "POST":
        current = request.form.get("current_password", "")[:MAX_FIELD]
        new = request.form.get("new_password", "")[:MAX_FIELD]
        if new != request.form.get("confirm_password", "")[:MAX_FIELD]:
            errors["confirm_password"] = message("password_mismatch")
        else:
            try:
                accounts().change_password(viewer.name, current, new)
            except Refused as refused:
                field = "current_password" if refused.code == "bad_password" else "new_password"
                errors[field] = message(refused.code)
                journal(viewer.name, viewer.name, "password_change", refused.code)
        if not errors:
            journal(viewer.name, viewer.name, "password_change", "ok")
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for("web.account"), 303)
    history = state().journal.of(viewer.name, limit=20)
    status = 422 if errors else 200
    return render_template("web/account.html", account=found, errors=errors, history=history,
                           required=accounts().second_factor_required(viewer.name),
                           email_reminders=not reminder_store().opted_out(viewer.name)), status


@routes.route("/reset/<secret>", OPEN, ("GET", "POST"))
def reset(secret: str) -> Response | tuple[str, int] | str:
    try:
        principal = accounts().reset_link_holder(secret)
    except Refused as refused:
        journal("", "", "reset_link", refused.code)
        return render_template("web/reset.html", principal=None,
                               errors={"link": message(refused.code)}), 410
    if request.method == "GET":
        return render_template("web/reset.html", principal=principal, errors={})
    new = request.form.get("new_password", "")[:MAX_FIELD]
    errors: dict[str, str] = {}
    if new != request.form.get("confirm_password", "")[:MAX_FIELD]:
        errors["confirm_password"] = message("password_mismatch")
    else:
        try:
            accounts().redeem_reset_link(secret, new)
        except Refused as refused:
            errors["new_password"] = message(refused.code)
    if errors:
        journal(principal, principal, "reset_link", next(iter(errors)))
        return render_template("web/reset.html", principal=principal, errors=errors), 422
    journal(principal, principal, "reset_link", "ok")
    state().sessions.end_all(principal, "password_reset")
    flash("Đã đặt mật khẩu. Hãy đăng nhập bằng e-mail và mật khẩu mới.", "success")
    return redirect(url_for("web.sign_in"), 303)


METHODS_VI = {
    "password": "Mật khẩu", "token": "Mã truy cập", "oidc": "Đăng nhập một lần",
    "second_factor": "Mã xác thực hai lớp", "enrol": "Đăng ký xác thực hai lớp",
    "password_change": "Đổi mật khẩu", "reset_link": "Liên kết đặt mật khẩu",
}
OUTCOMES_VI = {
    "throttled": "Bị tạm chặn (sai nhiều lần)", "bad_token": "Mã truy cập sai",
    "bad_password": "Sai mật khẩu", "bad_code": "Sai mã xác thực",
    "replayed_code": "Mã xác thực dùng lại", "not_authorised": "Chưa được cho phép",
    "bad_link": "Liên kết không hợp lệ", "expired_link": "Liên kết hết hạn",
    "other_identity": "Danh tính khác", "sso_refused": "Phản hồi đăng nhập một lần không hợp lệ",
}


def _method_vi(method: str) -> str:
    parts = [METHODS_VI.get(p, p) for p in method.split("+")]
    return " + ".join(parts)


def _epoch(value: float) -> str:
    return moment(datetime.fromtimestamp(float(value), UTC))


def person(actor: str) -> str:
    """A principal's display name (the person, not their login); names of the seed and of
    systems that are not principals stay as they are."""
    names = g.get("web_display_names")
    if names is None:
        names = {p.name: p.display_name for p in state().tenancy.access.principals()}
        g.web_display_names = names
    return str(names.get(actor, actor))


def install_filters(bp: Blueprint) -> None:
    bp.add_app_template_filter(person, "person")
    bp.add_app_template_filter(account_event, "account_event")
    bp.add_app_template_filter(_method_vi, "sign_in_method")
    bp.add_app_template_filter(lambda code: OUTCOMES_VI.get(code, MESSAGES.get(code, code)),
                               "sign_in_outcome")
    bp.add_app_template_filter(_epoch, "vi_epoch")


ACCOUNT_EVENTS_VI = {
    "Opened": "Mở tài khoản (bởi {opened_by})",
    "PasswordSet": "Đặt mật khẩu ({how}; bởi {set_by})",
    "SecondFactorEnrolled": "Bật xác thực hai lớp",
    "SecondFactorReset": "Đặt lại xác thực hai lớp (bởi {reset_by})",
    "RecoveryCodeUsed": "Dùng một mã dự phòng (còn {codes_left})",
    "ResetLinkIssued": "Cấp liên kết đặt mật khẩu (bởi {issued_by})",
    "SsoAuthorised": "Cho phép đăng nhập một lần (bởi {authorised_by})",
    "SsoLinked": "Liên kết danh tính đăng nhập một lần",
}
HOW_VI = {"set": "lần đầu", "changed": "tự đổi", "reset_link": "qua liên kết"}


def account_event(e: Any) -> str:
    template = ACCOUNT_EVENTS_VI.get(type(e).__name__, type(e).__name__)
    fields = {k: person(v) if k.endswith("_by") else v for k, v in vars(e).items()}
    fields["how"] = HOW_VI.get(str(fields.get("how", "")), fields.get("how", ""))
    return template.format_map(_Missing(fields))


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
