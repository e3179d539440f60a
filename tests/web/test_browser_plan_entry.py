"""In headless Chromium: the standing body types in a plan that has no table (a Party
committee's plan), with a group, two tasks and an indicator, through the web pages; each
page looked at on a desktop (1400 px) and a phone (390 px), with screenshots kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from api.config import ApiSettings
from server.app import create_app
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.conftest import SEED
from tests.web.browser import (
    after_navigation,
    body_text,
    chromium,
    screenshot,
    serving,
    sign_in_with_token,
)
from tests.web.conftest import OTHER, TENANT, Tokens, issue_tokens, seed_tenant

WIDTHS = (1400, 390)
NUMBER = "15-KH/TU"


@dataclass(frozen=True)
class Site:
    base: str
    tenancy: Tenancy
    tokens: Tokens
    driver: WebDriver

    def open(self, path: str) -> str:
        self.driver.get(self.base + path)
        return body_text(self.driver)

    def sign_in(self, token: str) -> None:
        self.open("/sign-in")
        assert "Xin chào" in sign_in_with_token(self.driver, token)

    def type(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            field = self.driver.find_element(By.ID, f"f-{name}")
            if field.tag_name == "select":
                Select(field).select_by_visible_text(value)
            else:
                field.clear()
                field.send_keys(value)

    def choose(self, name: str, *agencies: str) -> None:
        """Agencies picked from the register's list, as with Ctrl held."""
        chosen = Select(self.driver.find_element(By.ID, f"f-{name}"))
        for agency in agencies:
            chosen.select_by_visible_text(agency)

    def press(self, label: str) -> str:
        button = next(b for b in self.driver.find_elements(By.CSS_SELECTOR, "main form button")
                      if label in b.text)
        return after_navigation(self.driver, button.click)

    def follow(self, link: str) -> str:
        return after_navigation(self.driver,
                                self.driver.find_element(By.LINK_TEXT, link).click)

    def look(self, name: str) -> None:
        """The page as it stands at each width: a screenshot, and no sideways scrolling."""
        for width in WIDTHS:
            self.driver.set_window_size(width, 900)
            fits = self.driver.execute_script(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;")
            assert fits, f"{name} scrolls sideways at {width} px"
            screenshot(self.driver, f"plan-entry-{name}-{width}")
        self.driver.set_window_size(1400, 900)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser-plan-entry")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)  # its agencies fill the register
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    with serving(create_app(settings, tenancy, ApiSettings())) as base, \
            chromium(folder / "profile") as driver:
        yield Site(base, tenancy, tokens, driver)
    tenancy.close()


def test_a_plan_without_a_table_is_typed_in_with_a_group_two_tasks_and_an_indicator(
    site: Site,
) -> None:
    site.sign_in(site.tokens.admin)
    site.open(f"/t/{TENANT}/import")
    page = site.follow("Nhập kế hoạch bằng tay")
    assert "Dành cho kế hoạch không có bảng" in page
    site.type({"number": NUMBER, "issued_on": "05/03/2025", "issuer": "Tỉnh ủy Quảng Nam",
               "title": "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
               "legal_basis": "57-NQ/TW"})
    site.look("plan")
    page = site.press("Tạo kế hoạch")
    assert f"Đã tạo kế hoạch {NUMBER}" in page and "0 nhóm, 0 nhiệm vụ, 0 chỉ tiêu" in page

    site.follow("Thêm nhóm")
    site.type({"code": "I", "title": "Chuyển đổi số trong các cơ quan đảng"})
    assert "Đã thêm nhóm I." in site.press("Thêm nhóm")

    site.follow("Thêm nhiệm vụ")
    site.type({"number": "1", "title": "Ban hành quy chế quản lý, khai thác dữ liệu",
               "coordinators_typed": "Ban Tổ chức Tỉnh ủy", "expected_output": "Quy chế",
               "deadline": "Quý III/2025"})
    site.choose("leads", "Sở Nội vụ")
    page = site.press("Thêm nhiệm vụ")
    assert "Đã thêm nhiệm vụ 1 (nhóm I)." in page
    assert "Đã thêm vào danh mục cơ quan: Ban Tổ chức Tỉnh ủy." in page

    site.type({"number": "2", "deadline": "Hằng năm"})
    page = site.press("Thêm nhiệm vụ")  # no title, no lead: refused, each beside its field
    assert "Hãy nhập tên nhiệm vụ." in page
    assert "Hãy chọn hoặc nhập ít nhất một cơ quan chủ trì." in page
    site.look("task-refused")
    site.type({"title": "Bảo đảm an toàn thông tin mạng", "leads_typed": "Văn phòng Tỉnh ủy"})
    assert "Đã thêm nhiệm vụ 2 (nhóm I)." in site.press("Thêm nhiệm vụ")

    site.follow("Thêm chỉ tiêu")
    site.type({"code": "1", "name": "Tỉ lệ văn bản điện tử có chữ ký số", "unit": "%",
               "target": "≥ 95", "horizon_year": "2030"})
    site.choose("responsible", "Văn phòng Tỉnh ủy")
    site.look("indicator")
    assert "Đã thêm chỉ tiêu 1." in site.press("Thêm chỉ tiêu")

    page = site.follow(f"← Kế hoạch {NUMBER}")
    assert "1 nhóm, 2 nhiệm vụ, 1 chỉ tiêu" in page
    assert "hạn 30/09/2025" in page or "30/09/2025" in page
    site.look("editor")
    state = site.tenancy.queries(TENANT).state()
    plan = next(p for p in state.plans.values() if p.number == NUMBER)
    tasks = sorted((t for t in state.tasks.values() if t.plan_id == plan.id),
                   key=lambda t: t.number)
    assert [(t.number, t.leads_text, t.deadline.text) for t in tasks] == [
        ("1", "Sở Nội vụ", "Quý III/2025"), ("2", "Văn phòng Tỉnh ủy", "Hằng năm")]
