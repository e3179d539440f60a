"""End to end in headless Chromium: a lead agency requests completion with a PDF, the standing
body returns it, the agency resubmits, the standing body accepts; the public page counts the
task as done only then."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from tests.web.browser import after_navigation, screenshot
from tests.web.conftest import TENANT
from tests.web.test_browser_journey import (
    Site,
    counts,
    site,  # noqa: F401 (its module-scoped fixture)
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def done(web: Site) -> int:
    web.driver.delete_all_cookies()
    web.open(f"/p/{TENANT}")
    found = counts(web.driver)
    return found.get("done_on_time", 0) + found.get("done_late", 0)


def request_completion(web: Site, evidence: Path) -> str:
    web.sign_in(web.tokens.reporter)
    web.open(f"/t/{TENANT}/tasks/4")
    web.follow("Đề nghị hoàn thành")
    web.fill({"output_document": "45/QĐ-SNV ngày 20/05/2025", "completed_on": "20/05/2025"})
    web.driver.find_element(By.ID, "files").send_keys(str(evidence))
    return web.submit("Gửi đề nghị hoàn thành")


def decide(web: Site, note: str, button: str) -> str:
    web.sign_in(web.tokens.admin)
    web.open(f"/t/{TENANT}/tasks/4")
    web.driver.find_element(By.ID, "completion-note").send_keys(note)
    choice = web.driver.find_element(By.XPATH, f"//button[contains(., '{button}')]")
    return after_navigation(web.driver, choice.click)


def test_a_completion_reaches_the_public_page_only_once_accepted(
    site: Site, tmp_path: Path,  # noqa: F811 (the imported fixture)
) -> None:
    evidence = tmp_path / "quyet-dinh-45.pdf"
    evidence.write_bytes(PDF)
    before = done(site)

    asked = request_completion(site, evidence)
    assert "Đã gửi đề nghị xác nhận hoàn thành nhiệm vụ 4" in asked
    assert "Chờ xác nhận hoàn thành" in asked and "quyet-dinh-45.pdf" in asked
    screenshot(site.driver, "14-de-nghi-hoan-thanh")
    assert done(site) == before

    returned = decide(site, "Thiếu quyết định ban hành kèm theo", "Trả lại đề nghị")
    assert "Đã trả lại đề nghị hoàn thành nhiệm vụ 4" in returned
    assert "Thiếu quyết định ban hành kèm theo" in returned
    assert done(site) == before

    assert "Đã gửi đề nghị xác nhận hoàn thành" in request_completion(site, evidence)
    assert done(site) == before
    accepted = decide(site, "Đạt yêu cầu", "Xác nhận hoàn thành")
    assert "Đã xác nhận hoàn thành nhiệm vụ 4" in accepted
    screenshot(site.driver, "15-xac-nhan-hoan-thanh")
    assert done(site) == before + 1

    link = site.driver
    site.sign_in(site.tokens.reporter)
    site.open(f"/t/{TENANT}/tasks/4")
    href = link.find_element(By.LINK_TEXT, "quyet-dinh-45.pdf").get_attribute("href")
    assert href.endswith(f"/t/{TENANT}/files/" + href.rsplit("/", 1)[1])
