"""In headless Chromium: a standing body's administrator signs in with a password, enrols
an authenticator from the QR page, invites an officer, looks at each new page at desk width
(1400 px) and phone width (390 px) without sideways scrolling; an officer signs in through
the province's single sign-on (a real OpenID provider on loopback)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.conftest import SEED
from tests.oidc.loopback import CLIENT_ID, CLIENT_SECRET, _free_port, provider
from tests.web.browser import after_navigation, body_text, chromium, screenshot, sign_in_with_token
from tests.web.conftest import OTHER, TENANT, Tokens, issue_tokens, seed_tenant

ADMIN = "admin.qn@skhcn.quangnam.gov.vn"
OFFICER = "sso.officer@stttt.quangnam.gov.vn"
PASSWORD = "Phố cổ Hội An lên đèn 2025"
WIDTHS = (1400, 390)


@dataclass(frozen=True)
class Site:
    base: str
    tenancy: Tenancy
    tokens: Tokens
    driver: WebDriver

    def open(self, path: str) -> str:
        self.driver.get(self.base + path)
        return body_text(self.driver)

    def type(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            field = self.driver.find_element(By.ID, f"f-{name}")
            field.clear()
            field.send_keys(value)

    def press(self, label: str) -> str:
        button = next(b for b in self.driver.find_elements(By.CSS_SELECTOR, "main button")
                      if label in b.text)
        return after_navigation(self.driver, button.click)

    def fits(self) -> bool:
        return bool(self.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1;"))

    def look(self, name: str) -> None:
        """The page at each width: a screenshot, and no sideways scrolling."""
        for width in WIDTHS:
            self.driver.set_window_size(width, 900)
            self.driver.refresh()
            assert self.fits(), f"{name} scrolls sideways at {width} px"
            screenshot(self.driver, f"accounts-{name}-{width}")
        self.driver.set_window_size(1400, 900)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser-accounts")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    tenancy.accounts.open(ADMIN, "Nguyễn Thị Quản Trị", "setup")
    tenancy.access.grant(ADMIN, "tenant_admin", TENANT, "", "setup")
    tenancy.accounts.set_password(ADMIN, PASSWORD, "set", "setup")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with provider(f"{base}/sso/callback") as issuer, \
            pytest.MonkeyPatch.context() as env:
        env.setenv("R57_OIDC_ISSUER", issuer)
        env.setenv("R57_OIDC_CLIENT_ID", CLIENT_ID)
        env.setenv("R57_OIDC_CLIENT_SECRET", CLIENT_SECRET)
        env.setenv("R57_OIDC_NAME", "Cổng đăng nhập tỉnh")
        env.setenv("R57_DATA_DIR", str(folder / "web"))
        app = create_app(settings, tenancy, ApiSettings())
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with chromium(folder / "profile") as driver:
                yield Site(base, tenancy, tokens, driver)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
    tenancy.close()


def test_an_administrator_enrols_a_second_factor_and_invites_an_officer(site: Site) -> None:
    site.open("/sign-in")
    site.look("sign-in")
    site.type({"login": ADMIN, "password": PASSWORD})
    page = site.press("Đăng nhập")
    assert "Đăng ký xác thực hai lớp" in page  # required of administrators
    assert site.driver.find_element(By.CSS_SELECTOR, "img.qr").size["width"] > 100
    site.look("enrol")
    secret = site.driver.find_element(By.CSS_SELECTOR, "code.secret").text
    site.type({"code": pyotp.TOTP(secret).now()})
    page = site.press("Bật xác thực hai lớp")
    assert "Mã dự phòng" in page and len(re.findall(r"\d{5}-\d{5}", page)) == 10
    screenshot(site.driver, "accounts-recovery-codes-1400")
    page = after_navigation(site.driver, site.driver.find_element(
        By.LINK_TEXT, "Tiếp tục").click)
    assert "Nguyễn Thị Quản Trị" in page

    site.open("/account")
    site.look("account")
    page = site.open(f"/t/{TENANT}/people")
    assert "Mời cán bộ" in page
    site.look("people")
    site.type({"display_name": "Cán bộ SSO", "email": OFFICER})
    site.driver.find_element(By.CSS_SELECTOR, "#f-role option[value=auditor]").click()
    site.driver.find_element(By.CSS_SELECTOR, "input[name=sso]").click()
    page = site.press("Mời và cấp quyền")
    assert "Chỉ hiện một lần" in page and "/reset/" in page
    assert site.fits()
    screenshot(site.driver, "accounts-invited-1400")
    page = site.open(f"/t/{TENANT}/people/{OFFICER}")
    assert "Lịch sử đăng nhập" in page
    site.look("person")
    site.driver.find_element(By.CSS_SELECTOR, "header form button").click()


def test_the_system_administrators_tenant_page(site: Site) -> None:
    site.driver.delete_all_cookies()
    site.open("/sign-in")
    sign_in_with_token(site.driver, site.tokens.system)
    page = site.open("/admin/tenants")
    assert "Tạo đơn vị" in page and "quang-nam" in page
    site.look("tenants")


def test_an_authorised_officer_signs_in_through_the_provinces_single_sign_on(
    site: Site,
) -> None:
    site.driver.delete_all_cookies()
    site.open("/sign-in")
    page = site.press("Đăng nhập qua Cổng đăng nhập tỉnh")  # the provider's own page
    site.driver.find_element(By.NAME, "login").send_keys(OFFICER)
    site.driver.find_element(By.NAME, "password").send_keys("any")
    after_navigation(site.driver, site.driver.find_element(
        By.CSS_SELECTOR, "button[type=submit]").click)
    page = after_navigation(site.driver, site.driver.find_element(
        By.CSS_SELECTOR, "button[type=submit]").click)  # consent
    assert "Xin chào Cán bộ SSO." in page
    assert site.driver.current_url.startswith(site.base)
    page = site.open("/account")
    assert "Đăng nhập một lần" in page
    site.look("account-sso")
