"""Administration in the web: the standing body invites officers, changes and revokes their
grants, resets a second factor, makes one-time links and system tokens (shown once), sees
sign-in history; the system administrator creates, renames and archives tenants with a first
administrator. Every change is an event of the access log; the guard and CSRF hold."""

from __future__ import annotations

import re
from datetime import date

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from service.commands import Context, RegisterAgency
from service.tenancy import Tenancy
from tests.web.conftest import OTHER, TENANT, Tokens, csrf_of, sign_in, text

NEW = "pham.van.d@noivu.quangnam.gov.vn"
PASSWORD = "Cù Lao Chàm 2025 biển"


def _agency_key(tenancy: Tenancy) -> str:
    return tenancy.ledger(TENANT).agency("Sở Nội vụ").key


def invite(client: FlaskClient, tenancy: Tenancy, **extra: str) -> object:
    page = text(client.get(f"/t/{TENANT}/people"))
    return client.post(f"/t/{TENANT}/people/invite", data={
        "csrf_token": csrf_of(page), "display_name": "Phạm Văn D", "email": NEW,
        "role": "agency_reporter", "agency": _agency_key(tenancy), **extra})


def test_the_standing_body_invites_an_officer_who_sets_a_password_through_the_link(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, web_app: Flask
) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/people"))
    assert "Mời cán bộ" in page and "Dost Lan" in page
    answered = invite(client, tenancy)
    body = text(answered)
    assert answered.status_code == 200 and "Chỉ hiện một lần" in body  # type: ignore[attr-defined]
    link = re.search(r'id="shown-link">([^<]+)<', body)
    assert link
    assert "Phạm Văn D" in text(client.get(f"/t/{TENANT}/people"))
    assert link[1] not in text(client.get(f"/t/{TENANT}/people"))  # shown once
    officer = web_app.test_client()
    path = link[1].split("localhost", 1)[1]
    form = text(officer.get(path))
    done = officer.post(path, data={"csrf_token": csrf_of(form), "new_password": PASSWORD,
                                    "confirm_password": PASSWORD})
    assert done.status_code == 303
    form = text(officer.get("/sign-in"))
    signed = officer.post("/sign-in", data={"csrf_token": csrf_of(form), "login": NEW,
                                            "password": PASSWORD})
    assert signed.status_code == 303
    assert officer.get(f"/t/{TENANT}/tasks/5/report").status_code == 200
    kinds = [type(e).__name__ for e in tenancy.access.account_events(NEW)]
    assert kinds == ["Opened", "ResetLinkIssued", "PasswordSet"]
    grants = tenancy.access.grant_history(TENANT)
    assert grants[-1]["principal"] == NEW and grants[-1]["by"] == "dost.lan"


def test_bad_invitations_are_refused_in_vietnamese_and_record_nothing(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    before = len(tenancy.access.grant_history(TENANT))
    bad = invite(client, tenancy, email="không phải e-mail")
    assert bad.status_code == 422 and "e-mail công vụ hợp lệ" in text(bad)  # type: ignore[attr-defined]
    no_agency = invite(client, tenancy, agency="")
    assert no_agency.status_code == 422 and "đúng một cơ quan" in text(no_agency)  # type: ignore[attr-defined]
    assert len(tenancy.access.grant_history(TENANT)) == before
    assert tenancy.access.account(NEW) is None


def test_grants_change_and_revoke_and_a_second_factor_is_reset(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    invite(client, tenancy)
    accounts = tenancy.accounts
    enrolment = accounts.begin_enrolment(NEW)
    accounts.enrol(NEW, enrolment.secret, pyotp.TOTP(enrolment.secret).now())
    page = text(client.get(f"/t/{TENANT}/people/{NEW}"))
    assert "Lịch sử đăng nhập" in page and "Bật xác thực hai lớp" in page
    csrf = csrf_of(page)
    assert client.post(f"/t/{TENANT}/people/{NEW}/grants", data={
        "csrf_token": csrf, "do": "grant", "role": "auditor"}).status_code == 303
    assert client.post(f"/t/{TENANT}/people/{NEW}/second-factor/reset",
                       data={"csrf_token": csrf}).status_code == 303
    assert not accounts.has_second_factor(NEW)
    assert client.post(f"/t/{TENANT}/people/{NEW}/grants", data={
        "csrf_token": csrf, "do": "revoke", "role": "agency_reporter",
        "agency": _agency_key(tenancy)}).status_code == 303
    roles = {g.role.value for g in tenancy.access.principal(NEW).grants}
    assert roles == {"auditor"}
    events = [e["event"] for e in tenancy.access.grant_history(TENANT) if e["principal"] == NEW]
    assert events == ["Granted", "Granted", "Revoked"]
    forged = client.post(f"/t/{TENANT}/people/{NEW}/grants", data={
        "do": "grant", "role": "auditor"})
    assert forged.status_code == 400  # no CSRF token


def test_a_tenant_administrator_cannot_reach_another_tenant_or_grant_system_roles(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert client.get(f"/t/{OTHER}/people").status_code == 404
    assert client.get(f"/t/{TENANT}/people/danang.admin").status_code == 404
    page = text(client.get(f"/t/{TENANT}/people"))
    refused = client.post(f"/t/{TENANT}/people/dost.lan/grants", data={
        "csrf_token": csrf_of(page), "do": "grant", "role": "system_admin"})
    assert refused.status_code == 400
    assert client.get("/admin/tenants").status_code == 403
    # The inspector works in two provinces: only the system administrator resets them.
    person = text(client.get(f"/t/{TENANT}/people/thanhtra.binh"))
    assert "quản trị viên hệ thống thực hiện" in person
    assert client.post(f"/t/{TENANT}/people/thanhtra.binh/reset-link",
                       data={"csrf_token": csrf_of(person)}).status_code == 403
    reporter = client.application.test_client()
    sign_in(reporter, province.reporter)
    assert reporter.get(f"/t/{TENANT}/people").status_code == 403


def test_a_system_token_is_made_and_revoked_from_the_same_pages(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, web_app: Flask
) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/people"))
    made = client.post(f"/t/{TENANT}/systems", data={
        "csrf_token": csrf_of(page), "system_name": "lgsp.quangnam",
        "system_display_name": "Trục LGSP Quảng Nam", "system_role": "auditor"})
    token = re.search(r'id="shown-token">([^<]+)<', text(made))
    assert token and token[1].startswith("r57_")
    api = web_app.test_client()
    auth = {"Authorization": f"Bearer {token[1]}"}
    assert api.get(f"/api/v1/tenants/{TENANT}/summary", headers=auth).status_code == 200
    person = text(client.get(f"/t/{TENANT}/people/lgsp.quangnam"))
    token_id = token[1].split("_")[1]
    assert client.post(f"/t/{TENANT}/people/lgsp.quangnam/tokens", data={
        "csrf_token": csrf_of(person), "revoke": token_id}).status_code == 303
    assert api.get(f"/api/v1/tenants/{TENANT}/summary", headers=auth).status_code == 401


def test_the_system_administrator_creates_renames_and_archives_a_tenant(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.system)
    page = text(client.get("/admin/tenants"))
    assert "Tạo đơn vị" in page
    bad = client.post("/admin/tenants", data={
        "csrf_token": csrf_of(page), "slug": "Hà Nội", "display_name": "Hà Nội",
        "admin_name": "A", "admin_email": "a@hanoi.gov.vn"})
    assert bad.status_code == 422 and "Mã đơn vị" in text(bad)
    made = client.post("/admin/tenants", data={
        "csrf_token": csrf_of(page), "slug": "ha-noi", "display_name": "Hà Nội",
        "admin_code": "01", "admin_name": "Ngô Thị E", "admin_email": "ngo.thi.e@hanoi.gov.vn"})
    assert made.status_code == 200 and 'id="shown-link"' in text(made)
    holder = tenancy.access.principal("ngo.thi.e@hanoi.gov.vn")
    assert {(g.role.value, g.tenant) for g in holder.grants} == {("tenant_admin", "ha-noi")}
    assert client.post("/admin/tenants/ha-noi/rename", data={
        "csrf_token": csrf_of(page), "display_name": "Thành phố Hà Nội"}).status_code == 303
    assert client.post("/admin/tenants/ha-noi/archive", data={
        "csrf_token": csrf_of(page)}).status_code == 303
    tenant = tenancy.registry.get("ha-noi")
    assert tenant.display_name == "Thành phố Hà Nội" and tenant.status == "archived"


def test_the_system_administrator_merges_a_province_and_its_pages_say_where_it_went(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    tenancy.create_tenant("thanh-pho", "Thành phố mới", "48")
    sign_in(client, province.system)
    page = text(client.get("/admin/tenants"))
    assert "Sáp nhập đơn vị" in page
    form = {"csrf_token": csrf_of(page), "old": TENANT, "merged_on": "01/07/2025",
            "decision_ref": "Nghị quyết 1659/NQ-UBTVQH15", "grants": "move"}
    taken = client.post("/admin/tenants/merge", data={**form, "into": OTHER})
    assert taken.status_code == 422 and "đã có kế hoạch 1534/KH-UBND" in text(taken)
    assert tenancy.registry.get(TENANT).status == "active"
    merged = client.post("/admin/tenants/merge", data={**form, "into": "thanh-pho"})
    assert merged.status_code == 303
    assert "Đã sáp nhập vào thanh-pho từ 01/07/2025" in text(client.get("/admin/tenants"))
    # The public page of the archive points to the city; a carried task to its origin.
    public = text(client.get(f"/p/{TENANT}"))
    assert "Đã sáp nhập vào Thành phố mới từ 01/07/2025" in words(public)
    assert 'href="/p/thanh-pho"' in public
    city = words(text(client.get("/p/thanh-pho")))
    assert "Tiếp nhận kế hoạch của Quảng Nam khi sáp nhập từ ngày 01/07/2025" in city
    auditor = client.application.test_client()
    sign_in(auditor, province.auditor)  # its grant on Quảng Nam was re-issued on the city
    task = text(auditor.get("/t/thanh-pho/tasks/3"))
    assert "Chuyển từ Quảng Nam (nhiệm vụ 3) khi sáp nhập ngày 01/07/2025" in words(task)
    assert f'href="/t/{TENANT}/tasks/3' in task
    archive = text(auditor.get(f"/t/{TENANT}/tasks/3"))
    assert "Đã sáp nhập vào Thành phố mới" in words(archive)
    assert 'href="/t/thanh-pho/"' in archive


def test_several_provinces_merge_at_once_and_grants_not_reissued_are_listed(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    tenancy.create_tenant("thanh-pho", "Thành phố mới", "48")
    tenancy.create_tenant("hoi-an", "Hội An", None)
    centre = "Trung tâm Phục vụ hành chính công"  # registered, named by no plan
    tenancy.ledger(TENANT, for_writing=True).handle(
        RegisterAgency(name=centre), Context("setup", effective_on=date(2025, 6, 30)))
    tenancy.access.create_principal("trung.tam", "Cán bộ Trung tâm", "setup")
    tenancy.access.grant("trung.tam", "agency_reporter", TENANT, centre, "setup")
    sign_in(client, province.system)
    page = text(client.get("/admin/tenants"))
    assert 'name="old" value="hoi-an"' in page and 'name="old" value="thanh-pho"' in page
    form = {"csrf_token": csrf_of(page), "into": "thanh-pho", "merged_on": "01/07/2025",
            "grants": "move"}
    none = client.post("/admin/tenants/merge", data=form)
    assert none.status_code == 422 and 'id="f-old-error"' in text(none)
    merged = client.post("/admin/tenants/merge", data={**form, "old": [TENANT, "hoi-an"]})
    assert merged.status_code == 303
    page = words(text(client.get("/admin/tenants")))
    assert "Đã sáp nhập Quảng Nam vào Thành phố mới từ ngày 01/07/2025" in page
    assert "Đã sáp nhập Hội An vào Thành phố mới từ ngày 01/07/2025" in page
    assert ("Không cấp lại 1 quyền báo cáo vì cơ quan chưa có trong danh mục của Thành phố "
            f"mới: Cán bộ Trung tâm (cán bộ báo cáo của {centre})") in page
    assert {t.merged_into for t in tenancy.registry.list(True)
            if t.slug in (TENANT, "hoi-an")} == {"thanh-pho"}


def words(page: str) -> str:
    """A page's text without its markup."""
    return re.sub(r"<[^>]+>", "", page)
