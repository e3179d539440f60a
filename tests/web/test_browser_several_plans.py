"""In headless Chromium: a province holding two plans that both number group I and task 1.
The dashboard counts each plan's groups apart, its plan selector narrows the page to one
plan, and the change log's link to the second plan's task 1 opens that task; on a phone
the change log's entries are cards, with nothing to scroll sideways. Screenshots
kept under test-artifacts/screenshots/several-plans/."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from api.config import ApiSettings
from importers import read_plan_document
from server.app import create_app
from service.commands import ChangeDeadline, Context, ImportPlan
from service.config import Settings
from service.container import build_tenancy
from tests.conftest import SEED
from tests.web.browser import (
    after_navigation,
    at_width,
    chromium,
    screenshot,
    serving,
    sign_in_with_token,
)
from tests.web.conftest import OTHER, TENANT, Tokens, issue_tokens, seed_tenant
from tests.web.test_several_plans import PLAN_A, PLAN_B, TITLE_B, plan_b_workbook


@dataclass
class Site:
    base: str
    tokens: Tokens
    driver: WebDriver

    def sign_in(self, token: str) -> str:
        self.driver.delete_all_cookies()
        self.driver.get(self.base + "/sign-in")
        return sign_in_with_token(self.driver, token)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser-plans")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    second = folder / "88.xlsx"
    second.write_bytes(plan_b_workbook())
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ImportPlan(document=read_plan_document(second),
                             sha256=hashlib.sha256(second.read_bytes()).hexdigest()),
                  Context("setup"))
    ledger.handle(ChangeDeadline(task="1", deadline="6/2026", reason="Chờ kinh phí",
                                 decision_ref="12/QĐ-UBND", plan=PLAN_B), Context("dost.lan"))
    with serving(create_app(settings, tenancy, ApiSettings())) as base, \
            chromium(folder / "profile") as driver:
        yield Site(base, tokens, driver)
    tenancy.close()


def test_the_dashboard_counts_each_plans_groups_and_narrows_to_one_plan(site: Site) -> None:
    site.sign_in(site.tokens.admin)
    driver = site.driver
    page = after_navigation(driver, lambda: driver.get(f"{site.base}/t/{TENANT}/"))
    table = driver.find_element(By.CSS_SELECTOR, "#theo-nhom ~ details")
    driver.execute_script("arguments[0].open = true;", table)
    page = driver.find_element(By.TAG_NAME, "body").text
    assert f"Kế hoạch {PLAN_B} · I. Dữ liệu" in page and f"Kế hoạch {PLAN_A} · I." in page
    screenshot(driver, "several-plans/tong-quan-hai-ke-hoach")

    Select(driver.find_element(By.ID, "f-plan")).select_by_value(PLAN_B)
    narrowed = after_navigation(driver, driver.find_element(
        By.CSS_SELECTOR, "form.filters button[type=submit]").click)
    assert f"plan={PLAN_B.replace('/', '%2F')}" in driver.current_url
    assert f"Kế hoạch {PLAN_A} · I." not in narrowed
    screenshot(driver, "several-plans/tong-quan-ke-hoach-88")

    listed = after_navigation(driver, lambda: driver.get(
        f"{site.base}/t/{TENANT}/tasks?plan={PLAN_B}"))
    assert TITLE_B in listed and "1 nhiệm vụ" in listed
    screenshot(driver, "several-plans/danh-sach-ke-hoach-88")


def test_the_change_log_link_opens_the_second_plans_task_1(site: Site) -> None:
    site.sign_in(site.tokens.admin)
    driver = site.driver
    after_navigation(driver, lambda: driver.get(f"{site.base}/changes?tenant={TENANT}"))
    screenshot(driver, "several-plans/nhat-ky-thay-doi")
    at_width(driver, 390)  # a phone: each entry a card, nothing to scroll sideways
    assert driver.execute_script(
        "const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth;")
    screenshot(driver, "several-plans/nhat-ky-thay-doi-390")
    at_width(driver, None)
    link = driver.find_element(By.LINK_TEXT, f"Nhiệm vụ 1 (Kế hoạch {PLAN_B})")
    task = after_navigation(driver, link.click)
    assert TITLE_B in task and PLAN_B in task
    assert "6/2026" in task
    screenshot(driver, "several-plans/nhiem-vu-1-ke-hoach-88")
