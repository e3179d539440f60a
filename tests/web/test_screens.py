"""Every page looked at as a person would, on a desktop (1400 px) and a phone (390 px):
screenshots kept in test-artifacts/screenshots/pages/; on the phone no page scrolls
sideways, the header takes at most a quarter of the first screen and tasks are cards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from api.config import ApiSettings
from domain.agencies import normalise_agency
from server.app import create_app
from service.commands import ChangeDeadline, Context, ReportProgress
from service.config import Settings
from service.container import build_tenancy
from tests.conftest import SEED
from tests.web.browser import chromium, screenshot, serving, sign_in_with_token
from tests.web.conftest import OTHER, REPORTER_AGENCY, TENANT, Tokens, issue_tokens, seed_tenant

T = f"/t/{TENANT}"
DISTRICTS_KEY = quote(normalise_agency("UBND các huyện, thị xã, thành phố").key)
WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}
PAGES = {  # name: (who signs in, path)
    "trang-chu": ("admin", "/"),
    "tong-quan": ("admin", f"{T}/"),
    "nhiem-vu": ("admin", f"{T}/tasks"),
    "nhiem-vu-tim-kiem": ("admin", f"{T}/tasks?q=Sở+Y+tế"),
    "nhiem-vu-5": ("auditor", f"{T}/tasks/5"),
    "viec-can-xu-ly": ("admin", f"{T}/queue"),
    "viec-can-xu-ly-kiem-toan": ("auditor", f"{T}/queue"),
    "nhiem-vu-cua-don-vi-toi": ("reporter", f"{T}/my-tasks"),
    "dieu-chinh-thoi-han": ("admin", f"{T}/tasks/5/deadline"),
    "giao-lai": ("admin", f"{T}/tasks/5/reassign"),
    "huy-nhiem-vu": ("admin", f"{T}/tasks/5/cancel"),
    "dieu-kien": ("admin", f"{T}/tasks/5/trigger"),
    "bao-cao-tien-do": ("reporter", f"{T}/tasks/4/report"),
    "hoan-thanh": ("reporter", f"{T}/tasks/4/complete"),
    "xac-nhan-bao-cao": ("admin", f"{T}/tasks/4/reports/1/review"),
    "chi-tieu": ("admin", f"{T}/indicators"),
    "chi-tieu-7-8": ("admin", f"{T}/indicators/7.8"),
    "so-lieu-chi-tieu": ("reporter", f"{T}/indicators/7.8/values"),
    "muc-tieu-chi-tieu": ("admin", f"{T}/indicators/7.8/target"),
    "xep-hang": ("admin", f"{T}/scorecard?year=2025"),
    "danh-muc-co-quan": ("admin", f"{T}/agencies"),
    "ke-nhiem-co-quan": ("admin", f"{T}/agencies/{DISTRICTS_KEY}/succeed"),
    "gop-ten-goi": ("admin", f"{T}/agencies/{DISTRICTS_KEY}/alias?into={DISTRICTS_KEY}"),
    "giao-tung-co-quan": ("admin", f"{T}/tasks/10/expand"),
    "trach-nhiem-theo-ngay": ("admin", f"{T}/tasks/10?on=15/07/2025"),
    "theo-thoi-diem": ("auditor", f"{T}/time-travel"),
    "so-sanh": ("auditor", f"{T}/diff?before=01/03/2025&after=30/06/2025"),
    "nhat-ky-thay-doi": ("inspector", "/changes"),
    "nhap-ke-hoach": ("admin", f"{T}/import"),
    "bao-cao-dinh-ky": ("admin", f"{T}/periodic-report?kind=Q2&year=2025&on=30/06/2025"),
    "cong-khai": ("", f"/p/{TENANT}"),
    "dang-nhap": ("", "/sign-in"),
    "tai-khoan": ("admin", "/account"),
    "nguoi-dung": ("admin", f"{T}/people"),
    "nguoi-dung-mot-nguoi": ("admin", f"{T}/people/noivu.minh"),
    "quan-tri-don-vi": ("system", "/admin/tenants"),
    "khong-tim-thay": ("", "/khong-co-trang-nay"),
}


@dataclass
class Browser:
    base: str
    tokens: Tokens
    driver: WebDriver
    who: str = ""

    def as_(self, who: str) -> None:
        if who == self.who:
            return
        self.driver.delete_all_cookies()
        self.who = who
        if not who:
            return
        self.driver.get(self.base + "/sign-in")
        sign_in_with_token(self.driver, getattr(self.tokens, who))

    def size(self, width: int, height: int) -> None:
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 640})


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    folder = tmp_path_factory.mktemp("screens")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ChangeDeadline(
        task="5", deadline="9/2025", reason="Chờ hướng dẫn của Bộ Nội vụ",
        decision_ref="123/QĐ-UBND"), Context("dost.lan", effective_on=date(2025, 4, 10)))
    ledger.handle(ReportProgress(
        task="4", period="2025-Q2", percent=40, narrative="Đã dự thảo kế hoạch",
        difficulties="Thiếu nhân lực"), Context("noivu.minh", agency=REPORTER_AGENCY))
    with serving(create_app(settings, tenancy, ApiSettings())) as base, \
            chromium(folder / "profile") as driver:
        yield Browser(base, tokens, driver)
    tenancy.close()


def _measure(driver: WebDriver) -> dict[str, float]:
    found: dict[str, float] = driver.execute_script("""
        const nav = document.querySelector('nav.tenant') || document.querySelector('header.site');
        const rows = [...document.querySelectorAll('table.task-list tbody tr')];
        return {
          scroll: document.documentElement.scrollWidth, width: window.innerWidth,
          height: window.innerHeight, header: nav.getBoundingClientRect().bottom + scrollY,
          cards: rows.filter(r => getComputedStyle(r).display === 'block').length,
          rows: rows.length,
          filters: (document.querySelector('details.filter-box') || {}).open ? 1 : 0,
        };""")
    return found


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_is_looked_at_on_a_desktop_and_a_phone(browser: Browser, device: str
                                                        ) -> None:
    width, height = WIDTHS[device]
    problems = []
    for name, (who, path) in PAGES.items():
        browser.as_(who)
        browser.size(width, height)
        browser.driver.get(browser.base + path)
        screenshot(browser.driver, f"pages/{device}/{name}")
        shape = _measure(browser.driver)
        if shape["scroll"] > shape["width"] + 1:
            problems.append(f"{name}: scrolls sideways ({shape['scroll']} > {shape['width']})")
        if name == "nhiem-vu" and (shape["filters"] > 0) != (device == "desktop"):
            problems.append(f"{name}: filters should show on a desktop, fold on a phone")
        if device == "phone":
            if shape["header"] > shape["height"] / 4:
                problems.append(f"{name}: header ends at {shape['header']} px")
            if shape["rows"] and shape["cards"] != shape["rows"]:
                problems.append(f"{name}: tasks are not cards")
    assert not problems, "\n".join(problems)
