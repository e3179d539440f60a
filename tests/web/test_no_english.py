"""No English in the Vietnamese interface: every page a province's users reach, the refusals
its forms answer and the spreadsheets it exports are crawled for the English catalogue's
texts and for message codes shown raw (a code with no Vietnamese text)."""

from __future__ import annotations

import html
import io
import re
from collections import deque
from datetime import date

import openpyxl
from flask.testing import FlaskClient

from i18n import catalogue
from service.commands import (
    ChangeDeadline,
    CompleteTask,
    Context,
    RecordDirection,
    ReportProgress,
    RequestExtension,
    ReturnCompletion,
    ReturnReport,
)
from service.tenancy import Tenancy
from tests.web.conftest import REPORTER_AGENCY, TENANT, Tokens, form_fields, sign_in, text

T = f"/t/{TENANT}"
MAX_PAGES = 160
# A catalogue code shown as it is: "task.not_found", "audit.deadline_changed".
RAW_CODE = re.compile(r"\b(?:audit|task|report|plan|import|web|api|field|validation|change_type|"
                      r"change_state|deadline|agency|indicator|completion|extension|direction|"
                      r"file|reminder|queue)\.[a-z_]{3,}\b")
# Technical details (versions, ids, hashes, the raw codes an auditor may quote) are apart.
_TECHNICAL = re.compile(r'<details class="tech".*?</details>', re.S)
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def english_fragments() -> set[str]:
    """The fixed parts of every English text of the catalogue that say something in words
    (at least three words): what a leaked English message would show."""
    found = set()
    for message in catalogue("en"):
        if not message.id or not isinstance(message.string, str):
            continue
        for part in _PLACEHOLDER.split(message.string):
            words = re.findall(r"[A-Za-z']+", part)
            whole = part == message.string  # a label with no values: "Deadline changed"
            if (len(words) >= 3 and len(part.strip()) >= 14) or (whole and len(words) >= 2):
                found.add(part.strip(" .,;:'\"()"))
    return found


def visible_text(page: str) -> str:
    page = _TECHNICAL.sub(" ", _HIDDEN.sub(" ", page))
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", page)))


def english_in(content: str, fragments: set[str]) -> list[str]:
    leaks = [f for f in fragments if f in content]
    leaks += RAW_CODE.findall(content)
    return leaks


def with_history(tenancy: Tenancy) -> None:
    """A province whose pages show every kind of entry the web words: changes, reports,
    returns, a returned completion, an extension request and a direction."""
    ledger = tenancy.ledger(TENANT, for_writing=True)
    dost = Context("dost.lan", effective_on=date(2025, 5, 15))
    reporter = Context("noivu.minh", agency=REPORTER_AGENCY)
    ledger.handle(ChangeDeadline(task="5", deadline="9/2025", reason="Chờ Trung ương",
                                 decision_ref="20/QĐ-UBND"), dost)
    ledger.handle(ReportProgress(task="4", period="2025-Q1", percent=30,
                                 narrative="Đã xây dựng dự thảo"), reporter)
    ledger.handle(ReturnReport(task="4", report=1, reason="Thiếu số liệu"), dost)
    ledger.handle(CompleteTask(task="5", completed_on=date(2025, 6, 1),
                               output_document="Báo cáo số 12/BC-SNV"), reporter)
    ledger.handle(ReturnCompletion(task="5", request=1, reason="Chưa có văn bản kèm theo"),
                  dost)
    ledger.handle(RequestExtension(task="4", deadline="12/2025", reason="Chờ hướng dẫn"),
                  reporter)
    ledger.handle(RecordDirection(task="4", text="Khẩn trương hoàn thành"), dost)


def crawl(client: FlaskClient, start: list[str]) -> dict[str, str]:
    """Pages reachable from `start` within the web interface (GET only, no sign-out)."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        page = (response.get_data(as_text=True)
                if response.status_code == 200 and response.mimetype == "text/html" else "")
        response.close()
        seen[path] = page
        for href in re.findall(r'href="(/[^"#]*)"', page):
            target = html.unescape(href)
            if target.startswith(("/api", "/static", "/sign-out", "/docs", "/metrics")):
                continue
            if target not in seen:
                queue.append(target)
    return seen


def test_no_page_of_the_province_shows_english(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    with_history(tenancy)
    fragments = english_fragments()
    assert len(fragments) > 100  # the catalogue is read, so the check can fail
    leaks: dict[str, list[str]] = {}
    for token in (province.admin, province.reporter, province.auditor):
        sign_in(client, token)
        pages = crawl(client, ["/", f"{T}/", f"{T}/tasks", f"{T}/changes", f"{T}/tasks/4",
                               f"{T}/tasks/5"])
        assert sum(1 for page in pages.values() if page) >= 15
        for path, page in pages.items():
            found = english_in(visible_text(page), fragments)
            if found:
                leaks[path] = found
        client.post("/sign-out", data={"csrf_token": form_fields(
            client.get(f"{T}/").get_data(as_text=True))["csrf_token"]})
    assert leaks == {}


def test_refusals_of_the_forms_are_in_vietnamese(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    fragments = english_fragments()
    sign_in(client, province.admin)
    form = client.get(f"{T}/tasks/5/deadline").get_data(as_text=True)
    refused = client.post(f"{T}/tasks/5/deadline", data={
        **form_fields(form), "deadline": "không rõ", "reason": "", "decision_ref": ""})
    page = visible_text(text(refused))
    assert refused.status_code in (200, 422)
    assert english_in(page, fragments) == []
    assert "thời hạn" in page.lower()


def test_exports_hold_no_english(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    with_history(tenancy)
    fragments = english_fragments()
    sign_in(client, province.admin)
    checked = 0
    for path in (f"{T}/tasks.xlsx", f"{T}/scorecard.xlsx", f"/changes.xlsx?tenant={TENANT}"):
        response = client.get(path)
        if response.status_code != 200:
            continue
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
        cells = " ".join(str(value) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
        assert english_in(cells, fragments) == [], path
        checked += 1
    assert checked == 3
