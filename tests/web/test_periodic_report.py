"""The periodic report as the province files it: an administrative document per Decree
30/2020/NĐ-CP (A4, header, number, place and date, Kính gửi, Nơi nhận, signer, page
numbers from the second page), for a chosen period, made again identically later."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.shared import Mm
from flask.testing import FlaskClient

from service.commands import ChangeDeadline, Context, ReportProgress
from service.tenancy import Tenancy
from tests.web.conftest import REPORTER_AGENCY, TENANT, Tokens, sign_in, text

T = f"/t/{TENANT}"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
Q2 = "kind=Q2&year=2025&on=30/06/2025"


def record_quarter(tenancy: Tenancy) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ChangeDeadline(
        task="5", deadline="9/2025", reason="Chờ hướng dẫn của Bộ Nội vụ",
        decision_ref="123/QĐ-UBND"), Context("dost.lan", effective_on=date(2025, 4, 10)))
    ledger.handle(ReportProgress(
        task="4", period="2025-Q2", percent=40, narrative="Đã dự thảo kế hoạch",
        difficulties="Thiếu nhân lực chuyên trách",
        proposals="Bổ sung 02 biên chế"), Context("noivu.minh", agency=REPORTER_AGENCY))


def word(client: FlaskClient, query: str) -> Document:
    response = client.get(f"{T}/periodic-report.docx?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return docx.Document(io.BytesIO(response.data))


def all_text(document: Document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_is_laid_out_as_an_administrative_document(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    record_quarter(tenancy)
    sign_in(client, province.admin)
    document = word(client, Q2 + "&number=45&signer_name=Nguyễn Văn An")
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin,
             section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(Mm(0) + s.mm) for s in sizes if s is not None] == [210, 297, 20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header.paragraphs[0]._p.xml
    assert document.styles["Normal"].font.name == "Times New Roman"
    head = [c.text for c in document.tables[0].rows[0].cells]
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in head[0] and "Số: 45/BC-SKHCN" in head[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in head[1]
    assert "Quảng Nam, ngày 30 tháng 6 năm 2025" in head[1]
    content = all_text(document)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Nam" in content
    for part in ("I. TÌNH HÌNH THỰC HIỆN CHUNG", "II. KẾT QUẢ THEO NHÓM NHIỆM VỤ",
                 "III. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ", "IV. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
                 "V. ĐIỀU CHỈNH THỜI HẠN TRONG KỲ (1)", "VI. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                 "VII. KẾT QUẢ, KHÓ KHĂN, ĐỀ XUẤT CỦA CÁC CƠ QUAN", "Nơi nhận:",
                 "GIÁM ĐỐC", "Nguyễn Văn An", "Chờ hướng dẫn của Bộ Nội vụ",
                 "Khó khăn, vướng mắc: Thiếu nhân lực chuyên trách", "quý II năm 2025"):
        assert part in content, part


def test_a_chosen_period_bounds_the_changes_and_reports_it_lists(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    record_quarter(tenancy)
    sign_in(client, province.admin)
    first_quarter = all_text(word(client, "kind=Q1&year=2025&on=31/03/2025"))
    assert "V. ĐIỀU CHỈNH THỜI HẠN TRONG KỲ (0)" in first_quarter
    assert "Thiếu nhân lực" not in first_quarter
    dates = all_text(word(client, "kind=dates&from=01/04/2025&to=15/04/2025&on=15/04/2025"))
    assert "từ ngày 01/04/2025 đến ngày 15/04/2025" in dates
    assert "V. ĐIỀU CHỈNH THỜI HẠN TRONG KỲ (1)" in dates
    half = all_text(word(client, "kind=H1&year=2025&on=30/06/2025"))
    assert "6 tháng đầu năm 2025" in half and "Thiếu nhân lực" in half


def test_the_same_report_is_made_again_from_what_was_known_then(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"{T}/periodic-report?{Q2}"))
    again = page.split('href="')[1:]
    link = next(h.split('"')[0] for h in again if "periodic-report.docx" in h)
    first = all_text(docx.Document(io.BytesIO(client.get(link.replace("&amp;", "&")).data)))
    record_quarter(tenancy)  # recorded after the report was made
    second = all_text(docx.Document(io.BytesIO(client.get(link.replace("&amp;", "&")).data)))
    assert first == second
    assert "lập lại báo cáo với cùng thời điểm dữ liệu" in first
    assert "Chờ hướng dẫn của Bộ Nội vụ" not in second


def test_the_pdf_is_a4_numbered_from_the_second_page_and_rendered_for_review(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.fail("LibreOffice and poppler-utils are needed: run scripts/install-office.sh",
                    pytrace=False)
    record_quarter(tenancy)
    sign_in(client, province.admin)
    response = client.get(f"{T}/periodic-report.pdf?{Q2}&number=45&signer_name=Nguyễn Văn An")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "bao-cao-quy-II-2025.pdf"
    pdf.write_bytes(response.data)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                          capture_output=True, text=True).stdout
    sizes = [line for line in info.splitlines() if "size:" in line and "Page" in line]
    pages = len(sizes)
    assert pages >= 2 and all("595.3" in s and "841.8" in s for s in sizes), info
    for page in range(1, pages + 1):
        top = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout",
                              str(pdf), "-"], check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()[0].strip()
        if page == 1:
            assert top.startswith("UBND TỈNH QUẢNG NAM")
        else:
            assert top == str(page)
    for old in ARTIFACTS.glob("trang-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / "trang")],
                   check=True)
    assert len(list(ARTIFACTS.glob("trang-*.png"))) == pages
