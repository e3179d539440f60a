"""Administration in the web: a tenant's administrator invites officers (name, e-mail,
agency, role), changes and revokes their grants, resets a second factor, makes a one-time
link to set a password, ends sessions, sees each person's sign-in history, and keeps the
API tokens of systems; the system administrator creates, renames and archives tenants and
names their first administrator.

Every change goes through the access service, so it is an event of the access log. Secrets
(links, tokens) are shown once, on the page that answers the form. A tenant's administrator
acts only on grants of their tenant, and resets the password or second factor only of
people who work nowhere else.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.access import TENANT_ROLES, Role
from domain.errors import AlreadyExists, DomainError, NotFound
from domain.policy import Action
from domain.text import nfc, sort_key
from service.access import PrincipalView
from service.accounts import people_of
from service.merger import TenantMerger
from web.auth import Viewer, require
from web.formatting import parse_day
from web.messages import error_vi
from web.routes import Routes
from web.state import queries, state
from web.views.account import accounts, journal

routes = Routes()
_EMAIL = re.compile(r"^[a-z0-9][a-z0-9._-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$")
_SYSTEM_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,40}$")
ROLE_LABELS = {Role.TENANT_ADMIN: "Quản trị (cơ quan thường trực)",
               Role.AGENCY_REPORTER: "Cán bộ báo cáo của cơ quan",
               Role.AUDITOR: "Kiểm toán", Role.INSPECTOR: "Thanh tra",
               Role.NATIONAL_MONITOR: "Giám sát cấp quốc gia"}
TENANT_ROLE_ORDER = [Role.TENANT_ADMIN, Role.AGENCY_REPORTER, Role.AUDITOR, Role.INSPECTOR]


def _agencies(slug: str) -> list[tuple[str, str]]:
    try:
        found = queries(slug).state().agencies
    except DomainError:
        return []
    return sorted(found.items(), key=lambda item: sort_key(item[1]))


def _is_system_admin(viewer: Viewer) -> bool:
    return any(g.role is Role.SYSTEM_ADMIN for g in viewer.grants)


def _person(slug: str, name: str) -> PrincipalView:
    """A principal holding a grant on this tenant (anyone else is not found here)."""
    try:
        found = state().tenancy.access.principal(name)
    except DomainError:
        raise NotFound("person.not_found", field="name") from None
    if not any(g.tenant == slug for g in found.grants):
        raise NotFound("person.not_found", field="name")
    return found


def _may_reset(viewer: Viewer, slug: str, person: PrincipalView) -> bool:
    """Password, second factor, tokens and sessions: only of people working only here,
    unless the viewer administers the whole service."""
    return _is_system_admin(viewer) or all(g.tenant == slug for g in person.grants)


def _role(value: str) -> Role:
    try:
        role = Role(value)
    except ValueError:
        abort(400)
    if role not in TENANT_ROLES:
        abort(400)
    return role


def _page(slug: str, viewer: Viewer, *, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None, shown_once: dict[str, str] | None = None,
          status: int = 200) -> tuple[str, int]:
    people = people_of(state().tenancy.access, slug)
    rows = []
    for person in people:
        account = accounts().view(person.name)
        last = state().journal.of(person.name, limit=1)
        rows.append({"person": person, "account": account,
                     "grants": sorted((g for g in person.grants if g.tenant == slug),
                                      key=lambda g: g.role),
                     "last": last[0] if last else None})
    agencies = dict(_agencies(slug))
    return render_template(
        "web/people.html", rows=rows, errors=errors or {}, form=form or {},
        agencies=list(agencies.items()), agency_names=agencies, role_choices=TENANT_ROLE_ORDER,
        role_labels=ROLE_LABELS, shown_once=shown_once,
        second_factor_for_all=state().tenancy.access.tenant_requires_second_factor(slug),
    ), status


@routes.route("/t/<slug>/people", Action.PEOPLE_MANAGE)
def people(slug: str) -> tuple[str, int]:
    return _page(slug, require(Action.PEOPLE_MANAGE, slug))


def invite_person(slug: str, viewer: Viewer, form: dict[str, str]) -> tuple[dict[str, str],
                                                                           dict[str, str]]:
    """Open (or reuse) the person's account and grant the role; returns (errors, shown)."""
    errors: dict[str, str] = {}
    email = form.get("email", "").strip().lower()
    display = nfc(form.get("display_name", ""))[:120]
    role_value = form.get("role", "")
    agency = form.get("agency", "")
    if not _EMAIL.fullmatch(email) or len(email) > 64:
        errors["email"] = "Hãy nhập e-mail công vụ hợp lệ (tối đa 64 ký tự, chữ không dấu)."
    if not display:
        errors["display_name"] = "Hãy nhập họ tên."
    if role_value not in {r.value for r in TENANT_ROLES}:
        errors["role"] = "Hãy chọn vai trò."
    elif (role_value == Role.AGENCY_REPORTER.value) != bool(agency):
        errors["agency"] = ("Cán bộ báo cáo cần chọn đúng một cơ quan; các vai trò khác không "
                            "chọn cơ quan.")
    if errors:
        return errors, {}
    access = state().tenancy.access
    shown: dict[str, str] = {}
    if accounts().view(email) is None:
        accounts().open(email, display, viewer.name)
    try:
        access.grant(email, role_value, slug, agency, viewer.name)
    except AlreadyExists:
        raise
    except DomainError:
        errors["role"] = "Người này đã có vai trò này tại đơn vị."
        return errors, {}
    if form.get("sso"):
        accounts().authorise_sso(email, viewer.name)
    found = accounts().view(email)
    if found is not None and not found.has_password:
        secret = accounts().issue_reset_link(email, viewer.name)
        shown = {"who": display, "email": email,
                 "link": url_for("web.reset", secret=secret, _external=True)}
    return errors, shown


@routes.route("/t/<slug>/people/invite", Action.PEOPLE_MANAGE, ("POST",))
def invite(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PEOPLE_MANAGE, slug)
    form = {k: request.form.get(k, "")[:200] for k in
            ("display_name", "email", "role", "agency", "sso")}
    errors, shown = invite_person(slug, viewer, form)
    if errors:
        return _page(slug, viewer, errors=errors, form=form, status=422)
    flash(f"Đã cấp quyền cho {form['display_name']} ({form['email']}).", "success")
    if shown:
        return _page(slug, viewer, shown_once=shown)
    return redirect(url_for("web.people", slug=slug), 303)


@routes.route("/t/<slug>/people/policy", Action.PEOPLE_MANAGE, ("POST",))
def policy(slug: str) -> Response:
    viewer = require(Action.PEOPLE_MANAGE, slug)
    required = request.form.get("second_factor_for_all") == "1"
    accounts().require_second_factor(slug, required, viewer.name)
    flash("Đã bắt buộc xác thực hai lớp cho mọi người của đơn vị." if required else
          "Xác thực hai lớp chỉ còn bắt buộc với quản trị viên.", "success")
    return redirect(url_for("web.people", slug=slug), 303)


def _person_page(slug: str, viewer: Viewer, person: PrincipalView, *,
                 shown_once: dict[str, str] | None = None,
                 errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    events = state().tenancy.access.account_events(person.name)
    return render_template(
        "web/person.html", person=person, account=accounts().view(person.name),
        grants=sorted((g for g in person.grants if g.tenant == slug), key=lambda g: g.role),
        elsewhere=sorted({g.tenant or "*" for g in person.grants if g.tenant != slug}),
        may_reset=_may_reset(viewer, slug, person), history=state().journal.of(person.name),
        sessions=state().sessions.of(person.name, limit=10), events=events,
        tokens=[(k, exp, live) for k, (_, exp, live) in person.tokens.items()],
        agencies=_agencies(slug), agency_names=dict(_agencies(slug)),
        role_choices=TENANT_ROLE_ORDER,
        role_labels=ROLE_LABELS, shown_once=shown_once, errors=errors or {},
    ), status


@routes.route("/t/<slug>/people/<name>", Action.PEOPLE_MANAGE)
def person(slug: str, name: str) -> tuple[str, int]:
    viewer = require(Action.PEOPLE_MANAGE, slug)
    return _person_page(slug, viewer, _person(slug, name))


@routes.route("/t/<slug>/people/<name>/grants", Action.PEOPLE_MANAGE, ("POST",))
def change_grant(slug: str, name: str) -> Response | tuple[str, int]:
    viewer = require(Action.PEOPLE_MANAGE, slug)
    found = _person(slug, name)
    role = _role(request.form.get("role", ""))
    agency = request.form.get("agency", "")[:200]
    access = state().tenancy.access
    try:
        if request.form.get("do") == "revoke":
            access.revoke(name, role.value, slug, agency, viewer.name)
            flash(f"Đã thu hồi vai trò {ROLE_LABELS[role]}.", "success")
        else:
            access.grant(name, role.value, slug, agency, viewer.name)
            flash(f"Đã cấp vai trò {ROLE_LABELS[role]}.", "success")
    except DomainError:
        return _person_page(slug, viewer, found, status=422, errors={
            "role": "Không thay đổi được: vai trò đã có (hoặc không có) tại đơn vị, hoặc cán "
                    "bộ báo cáo chưa chọn đúng một cơ quan."})
    if not any(g.tenant == slug for g in access.principal(name).grants):
        return redirect(url_for("web.people", slug=slug), 303)
    return redirect(url_for("web.person", slug=slug, name=name), 303)


def _resettable(slug: str, name: str) -> tuple[Viewer, PrincipalView]:
    viewer = require(Action.PEOPLE_MANAGE, slug)
    found = _person(slug, name)
    if not _may_reset(viewer, slug, found):
        abort(403)
    return viewer, found


@routes.route("/t/<slug>/people/<name>/second-factor/reset", Action.PEOPLE_MANAGE, ("POST",))
def reset_second_factor(slug: str, name: str) -> Response:
    viewer, _ = _resettable(slug, name)
    accounts().reset_second_factor(name, viewer.name)
    state().sessions.end_all(name, "second_factor_reset")
    journal(name, name, "second_factor_reset", f"by:{viewer.name}")
    flash("Đã đặt lại xác thực hai lớp; người này sẽ đăng ký lại ở lần đăng nhập tới.",
          "success")
    return redirect(url_for("web.person", slug=slug, name=name), 303)


@routes.route("/t/<slug>/people/<name>/reset-link", Action.PEOPLE_MANAGE, ("POST",))
def reset_link(slug: str, name: str) -> tuple[str, int]:
    viewer, found = _resettable(slug, name)
    if accounts().view(name) is None:
        abort(404)
    secret = accounts().issue_reset_link(name, viewer.name)
    link = url_for("web.reset", secret=secret, _external=True)
    return _person_page(slug, viewer, found, shown_once={"link": link})


@routes.route("/t/<slug>/people/<name>/sessions/end", Action.PEOPLE_MANAGE, ("POST",))
def end_sessions(slug: str, name: str) -> Response:
    _resettable(slug, name)
    ended = state().sessions.end_all(name, "ended_by_admin")
    flash(f"Đã kết thúc {ended} phiên đăng nhập.", "success")
    return redirect(url_for("web.person", slug=slug, name=name), 303)


@routes.route("/t/<slug>/people/<name>/tokens", Action.PEOPLE_MANAGE, ("POST",))
def tokens(slug: str, name: str) -> Response | tuple[str, int]:
    viewer, found = _resettable(slug, name)
    access = state().tenancy.access
    revoke = request.form.get("revoke", "")
    if revoke:
        access.revoke_token(name, revoke[:40], viewer.name)
        flash(f"Đã thu hồi mã truy cập {revoke[:40]}.", "success")
        return redirect(url_for("web.person", slug=slug, name=name), 303)
    issued = access.issue_token(name, viewer.name)
    del found
    return _person_page(slug, viewer, access.principal(name),
                        shown_once={"token": issued.token})


@routes.route("/t/<slug>/systems", Action.PEOPLE_MANAGE, ("POST",))
def add_system(slug: str) -> Response | tuple[str, int]:
    """A system (an integration, a replica) holding a role here and a token, shown once."""
    viewer = require(Action.PEOPLE_MANAGE, slug)
    name = request.form.get("system_name", "").strip().lower()[:60]
    display = nfc(request.form.get("system_display_name", ""))[:120]
    role = _role(request.form.get("system_role", ""))
    form = {"system_name": name, "system_display_name": display}
    errors: dict[str, str] = {}
    if not _SYSTEM_NAME.fullmatch(name):
        errors["system_name"] = ("Tên hệ thống: 2-41 chữ thường không dấu, số, dấu chấm hoặc "
                                 "gạch nối.")
    if role is Role.AGENCY_REPORTER or role is Role.TENANT_ADMIN:
        errors["system_role"] = "Hệ thống chỉ được cấp vai trò Kiểm toán hoặc Thanh tra."
    if not display:
        errors["system_display_name"] = "Hãy nhập tên hiển thị của hệ thống."
    access = state().tenancy.access
    if not errors:
        try:
            access.create_principal(name, display, viewer.name)
        except DomainError:
            errors["system_name"] = "Tên này đã được dùng."
    if errors:
        return _page(slug, viewer, errors=errors, form=form, status=422)
    access.grant(name, role.value, slug, "", viewer.name)
    issued = access.issue_token(name, viewer.name)
    flash(f"Đã thêm hệ thống {display}.", "success")
    return _page(slug, viewer, shown_once={"who": display, "token": issued.token})


# -- the system administrator: tenants -------------------------------------------------------


def _tenants_page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
                  shown_once: dict[str, str] | None = None, status: int = 200
                  ) -> tuple[str, int]:
    tenants = state().tenancy.registry.list(include_archived=True)
    active = [(t.slug, t.display_name) for t in tenants if t.status == "active"]
    return render_template("web/tenants_admin.html", tenants=tenants, errors=errors or {},
                           form=form or {}, shown_once=shown_once, active=active), status


@routes.route("/admin/tenants", Action.TENANT_ADMINISTER, ("GET", "POST"))
def tenants_admin() -> Response | tuple[str, int]:
    viewer = require(Action.TENANT_ADMINISTER)
    if request.method == "GET":
        return _tenants_page()
    form: dict[str, Any] = {k: request.form.get(k, "")[:200].strip() for k in
                            ("slug", "display_name", "admin_code", "admin_name", "admin_email")}
    errors: dict[str, str] = {}
    if not form["admin_name"] or not _EMAIL.fullmatch(form["admin_email"].lower()):
        errors["admin_email"] = "Hãy nhập họ tên và e-mail công vụ của quản trị viên đầu tiên."
    if not errors:
        try:
            state().tenancy.create_tenant(form["slug"], form["display_name"],
                                          form["admin_code"] or None)
        except DomainError as error:
            errors[error.field or "slug"] = _tenant_error(error)
    if errors:
        return _tenants_page(errors, form, status=422)
    invite_errors, shown = invite_person(form["slug"], viewer, {
        "email": form["admin_email"], "display_name": form["admin_name"],
        "role": Role.TENANT_ADMIN.value, "agency": ""})
    flash(f"Đã tạo đơn vị {form['display_name']}.", "success")
    return _tenants_page(errors=invite_errors, shown_once=shown or None)


def _tenant_error(error: DomainError) -> str:
    if isinstance(error, AlreadyExists):
        return "Mã đơn vị này đã có."
    if error.field == "slug":
        return ("Mã đơn vị: 1-40 chữ thường không dấu, số và gạch nối đơn ở giữa (ví dụ "
                "quang-nam).")
    if error.field == "admin_code":
        return "Mã đơn vị hành chính gồm 2 chữ số (ví dụ 49)."
    return "Hãy nhập tên đơn vị."


@routes.route("/admin/tenants/<slug>/rename", Action.TENANT_ADMINISTER, ("POST",))
def rename_tenant(slug: str) -> Response | tuple[str, int]:
    require(Action.TENANT_ADMINISTER)
    try:
        state().tenancy.registry.rename(slug, request.form.get("display_name", "")[:200])
    except DomainError:
        return _tenants_page({"display_name": "Hãy nhập tên đơn vị."}, status=422)
    flash("Đã đổi tên đơn vị.", "success")
    return redirect(url_for("web.tenants_admin"), 303)


@routes.route("/admin/tenants/merge", Action.TENANT_ADMINISTER, ("POST",))
def merge_tenant() -> Response | tuple[str, int]:
    """Provinces merged into a city: each old tenant an archive, the new one carrying on."""
    viewer = require(Action.TENANT_ADMINISTER)
    form: dict[str, Any] = {k: request.form.get(k, "")[:500].strip()
                            for k in ("into", "merged_on", "decision_ref", "grants")}
    form["olds"] = [slug[:100].strip() for slug in request.form.getlist("old")][:50]
    try:
        on = parse_day(form["merged_on"], "merged_on")
        assert on is not None  # required
        results = TenantMerger(state().tenancy).merge(
            form["olds"], form["into"], on, actor=viewer.name,
            decision_ref=form["decision_ref"], grants=form["grants"] or "keep")
    except DomainError as error:
        field = error.field if error.field in _MERGE_FIELDS else "old"
        return _tenants_page({field: error_vi(error)}, form, status=422)
    names = {t.slug: t.display_name for t in state().tenancy.registry.list(True)}
    for result in results:
        flash(f"Đã sáp nhập {names[result.old]} vào {names[result.into]} từ ngày "
              f"{result.merged_on:%d/%m/%Y}: {result.tasks} nhiệm vụ được chuyển, "
              f"{result.grants} quyền được cấp lại.", "success")
        if result.skipped_grants:
            people = state().tenancy.access
            skipped = "; ".join(
                f"{people.principal(s.principal).display_name} (cán bộ báo cáo của {s.agency})"
                for s in result.skipped_grants)
            flash(f"Không cấp lại {len(result.skipped_grants)} quyền báo cáo vì cơ quan chưa "
                  f"có trong danh mục của {names[result.into]}: {skipped}. Hãy đăng ký cơ "
                  "quan rồi cấp quyền mới.", "info")
    return redirect(url_for("web.tenants_admin"), 303)


_MERGE_FIELDS = ("old", "into", "merged_on", "decision_ref", "grants")


@routes.route("/admin/tenants/<slug>/archive", Action.TENANT_ADMINISTER, ("POST",))
def archive_tenant(slug: str) -> Response:
    require(Action.TENANT_ADMINISTER)
    state().tenancy.registry.archive(slug)
    flash("Đã lưu trữ đơn vị: dữ liệu được giữ nguyên, không ghi nhận thêm.", "success")
    return redirect(url_for("web.tenants_admin"), 303)
