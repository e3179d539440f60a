"""An agency whose duties passed on (succession, merger, dissolution) is never ranked: the
public page and the periodic report (page and Word document) show it apart, saying to whom
and from when, as the scorecard page does."""

from __future__ import annotations

import io
from datetime import date

import docx
from flask.testing import FlaskClient

from service.commands import Context, ReportProgress, SucceedAgency
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, sign_in, text

HEALTH, SCIENCE = "Sở Y tế", "Sở Khoa học và Công nghệ"
APART = "Cơ quan đã được kế nhiệm, hợp nhất hoặc giải thể"
PASSED_ON = f"Đã được kế nhiệm bởi {SCIENCE} từ ngày 01/03/2025"
Q2 = "kind=Q2&year=2025&on=30/06/2025"


def health_succeeded_by_science(tenancy: Tenancy) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(task="45", period="2025-02", percent=10, narrative="Khảo sát"),
                  Context("setup", effective_on=date(2025, 2, 28), agency=HEALTH))
    ledger.handle(SucceedAgency(agency=HEALTH, successors=(SCIENCE,), reason="Thử",
                                decision_ref="1/QĐ-UBND"),
                  Context("setup", effective_on=date(2025, 3, 1)))


def test_the_public_page_ranks_the_successor_and_shows_the_succeeded_agency_apart(
    client: FlaskClient, tenancy: Tenancy
) -> None:
    before = text(client.get(f"/p/{TENANT}?year=2025"))
    assert APART not in before
    assert f'<th scope="row">{HEALTH}</th>' in before  # ranked while it carries its tasks
    health_succeeded_by_science(tenancy)
    page = text(client.get(f"/p/{TENANT}?year=2025"))  # no sign-in: the public page
    ranked, apart = page.split("Kết quả của các cơ quan năm 2025")[1].split(APART)
    assert f'<th scope="row">{SCIENCE}</th>' in ranked and HEALTH not in ranked
    row = apart.split(f'<th scope="row">{HEALTH}</th>')[1].split("</tr>")[0]
    assert PASSED_ON in row
    assert "không xếp hạng" in apart.split("</h2>")[0]


def test_the_periodic_report_shows_the_succeeded_agency_apart_on_its_page_and_in_word(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert APART not in text(client.get(f"/t/{TENANT}/periodic-report?{Q2}"))
    health_succeeded_by_science(tenancy)
    page = text(client.get(f"/t/{TENANT}/periodic-report?{Q2}"))
    _, apart = page.split("III. Kết quả theo cơ quan chủ trì")[1].split(APART)
    assert "IV. Nhiệm vụ chưa hoàn thành" in apart  # under III, before IV
    row = apart.split(f"<td>{HEALTH}</td>")[1].split("</tr>")[0]
    # its own record: the report it made (recorded today, so not on time)
    assert PASSED_ON in row and row.endswith('<td class="num">0/1</td>')
    response = client.get(f"/t/{TENANT}/periodic-report.docx?{Q2}")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Cơ quan"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [HEALTH, PASSED_ON] in [r[:2] for r in rows]
    assert [r[-1] for r in rows if r[0] == HEALTH] == ["0/1"]
    headings = [p.text for p in document.paragraphs]
    apart_at = next(i for i, p in enumerate(headings) if p.startswith(APART))
    assert headings[apart_at] == f"{APART} (không xếp hạng), năm 2025"
    assert next(i for i, p in enumerate(headings) if p.startswith("III.")) < apart_at < next(
        i for i, p in enumerate(headings) if p.startswith("IV."))
