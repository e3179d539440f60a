"""In headless Chromium: an agency reporter signs in and lands on its agency's tasks, sees the
report the standing body returned and why; the standing body follows the header's count to
what waits for its review, oldest first. Each page at 1400 px and 390 px, screenshots kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from api.config import ApiSettings
from server.app import create_app
from service.commands import Context, ReportProgress, RequestExtension, ReturnReport
from service.config import Settings
from service.container import build_tenancy
from service.tenancy import Tenancy
from tests.conftest import SEED
from tests.web.browser import (
    after_navigation,
    body_text,
    chromium,
    look_at_widths,
    serving,
    sign_in_with_token,
)
from tests.web.conftest import OTHER, REPORTER_AGENCY, TENANT, Tokens, issue_tokens, seed_tenant

WIDTHS = (1400, 390)
REPORTER = Context("noivu.minh", agency=REPORTER_AGENCY)
DOST = Context("dost.lan")


@dataclass
class Site:
    base: str
    tenancy: Tenancy
    tokens: Tokens
    driver: WebDriver

    def sign_in(self, token: str) -> str:
        self.driver.delete_all_cookies()
        self.driver.get(self.base + "/sign-in")
        return sign_in_with_token(self.driver, token)

    def header_count(self) -> int:
        return int(self.driver.find_element(By.CSS_SELECTOR, "[data-queue-count]").text)

    def look(self, name: str) -> None:
        look_at_widths(self.driver, f"work-queue/{name}", WIDTHS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser-queue")
    settings = Settings(database_url=f"sqlite:///{folder / 'data'}")
    tenancy = build_tenancy(settings)
    seed_tenant(tenancy, TENANT, "Quảng Nam", SEED)
    seed_tenant(tenancy, OTHER, "Đà Nẵng", SEED)
    tokens = issue_tokens(tenancy)
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(task="9", period="2025-Q1", percent=30,
                                 narrative="Đã dự thảo quy chế"), REPORTER)
    ledger.handle(ReturnReport(task="9", report=1,
                               reason="Chưa kèm dự thảo quy chế và số liệu"), DOST)
    ledger.handle(ReportProgress(task="5", period="2025-Q2", percent=60,
                                 narrative="Đã trình dự thảo"), REPORTER)
    ledger.handle(RequestExtension(task="8", deadline="31/12/2026",
                                   reason="Chờ hướng dẫn của Bộ Nội vụ"), REPORTER)
    with serving(create_app(settings, tenancy, ApiSettings())) as base, \
            chromium(folder / "profile") as driver:
        yield Site(base, tenancy, tokens, driver)
    tenancy.close()


def test_a_reporter_lands_on_its_tasks_and_sees_what_was_returned(site: Site) -> None:
    page = site.sign_in(site.tokens.reporter)
    assert site.driver.current_url.endswith(f"/t/{TENANT}/my-tasks")
    assert "Nhiệm vụ của đơn vị tôi" in page and "Nhiệm vụ đơn vị chủ trì (4)" in page
    assert "Lý do trả lại: Chưa kèm dự thảo quy chế và số liệu" in page
    assert "Quá hạn" in page and "ngày" in page
    site.look("nhiem-vu-cua-don-vi-toi")

    count = site.header_count()
    queue = after_navigation(site.driver, site.driver.find_element(
        By.CSS_SELECTOR, "a.queue-link").click)
    assert site.driver.current_url.endswith(f"/t/{TENANT}/queue")
    assert f"{count} việc" in queue
    assert "Báo cáo bị trả lại" in queue
    assert "Lý do: Chưa kèm dự thảo quy chế và số liệu" in queue
    site.look("viec-can-xu-ly-bao-cao")


def test_the_standing_body_follows_the_header_count_to_what_waits_for_review(
    site: Site
) -> None:
    site.sign_in(site.tokens.admin)
    site.driver.get(f"{site.base}/t/{TENANT}/")
    assert site.header_count() == 2
    after_navigation(site.driver, site.driver.find_element(
        By.CSS_SELECTOR, "a.queue-link").click)
    rows = site.driver.find_elements(By.CSS_SELECTOR, "#review-queue tbody tr.queue-item")
    assert [r.get_attribute("data-kind") for r in rows] == ["report", "extension"]
    assert "Quý II/2025: 60%" in rows[0].text and "Hôm nay" in rows[0].text
    assert "Đề nghị thời hạn mới: 31/12/2026" in rows[1].text
    assert "Chờ cơ quan thường trực xem xét (2)" in body_text(site.driver)
    site.look("viec-can-xu-ly-thuong-truc")

    site.driver.get(f"{site.base}/t/{TENANT}/")
    card = site.driver.find_element(By.CSS_SELECTOR, "a.card-link [data-status=open_overdue]")
    overdue = int(card.text)
    listed = after_navigation(site.driver, card.click)
    assert f"{overdue} nhiệm vụ, tình trạng tại ngày" in listed
    site.look("nhiem-vu-qua-han")
