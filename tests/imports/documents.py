"""Plan documents built the way ministries and provinces publish them, for the import tests.

Word files are made with python-docx; `convert` turns one into .doc, .odt or .pdf with
LibreOffice (`soffice --headless --convert-to`), as an office would save or print it.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from docx.table import Table

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
          "Sản phẩm"]


def letterhead(document: WordDocument, number: str = "123/KH-UBND") -> None:
    """The two-column block at the top: the committee and number left, motto and date right."""
    top = document.add_table(rows=2, cols=2)
    top.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM"
    top.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    top.cell(1, 0).text = f"Số: {number}"
    top.cell(1, 1).text = "Quảng Nam, ngày 15 tháng 10 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai nhiệm vụ chuyển đổi số năm 2026")


def signature_table(document: WordDocument) -> None:
    """'Nơi nhận' left, the signature block right, as a layout table at the end."""
    block = document.add_table(rows=1, cols=2)
    block.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    block.cell(0, 1).text = (
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nTrần Anh Tuấn")


def task_table(document: WordDocument, rows: Sequence[Sequence[str]],
               header: Sequence[str] = HEADER) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"  # ruled, as published plans are (and as PDF tables are found)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for cells in rows:
        row = table.add_row()  # type: ignore[no-untyped-call]
        if len(cells) == 1:  # a group heading merged across the whole row
            row.cells[0].merge(row.cells[-1]).text = cells[0]
            continue
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    return table


def save(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Numbering restarts in each group; group II's heading names its own lead and deadline; a
# row is split over two rows; group III's heading repeats its title in every cell.
RESTARTING_ROWS: list[list[str]] = [
    ["I", "HOÀN THIỆN THỂ CHẾ", "", "", "", ""],
    ["1", "Rà soát văn bản quy phạm", "Sở Tư pháp", "Các sở, ngành", "Quý II/2026", "Báo cáo"],
    ["2", "Ban hành quy chế dữ liệu", "Sở Khoa học và Công nghệ", "Sở Nội Vụ", "6/2026",
     "Quyết định"],
    ["3", "Xây dựng chính sách thu hút", "Sở Nội vụ", "", "Nhiệm vụ thường xuyên", "Nghị quyết"],
    ["II", "PHÁT TRIỂN HẠ TẦNG SỐ", "Sở Khoa học và Công nghệ", "", "2026 - 2030", ""],
    ["1", "Phủ sóng 5G các khu công nghiệp", "Ban Quản lý các KKT và KCN",
     "Các doanh nghiệp viễn thông", "2025 và những năm tiếp theo", "Hạ tầng"],
    ["2", "Nâng cấp trung tâm dữ liệu tỉnh, bảo đảm an toàn thông tin cấp độ 4 và kết nối",
     "Sở Khoa học", "Công an tỉnh", "Trước ngày 15/12", "Trung tâm"],
    ["", "với Trung tâm dữ liệu quốc gia", "và Công nghệ", "", "hằng năm", "dữ liệu"],
    ["III. CHUYỂN ĐỔI SỐ TRONG CƠ QUAN NHÀ NƯỚC"],
    ["1", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ngành",
     "Quý II và Quý IV hằng năm", "Kho dữ liệu"],
    ["2", "Triển khai họp không giấy", "Văn phòng UBND tỉnh", "", "Theo tiến độ của Trung ương",
     "Hệ thống"],
]


def restarting_plan() -> bytes:
    document = Document()
    letterhead(document)
    document.add_paragraph("PHỤ LỤC")
    task_table(document, RESTARTING_ROWS)
    signature_table(document)
    return save(document)


def appendix_only() -> bytes:
    """A ministry's appendix published as a file of its own: no 'Số:' of its own."""
    document = Document()
    document.add_paragraph("PHỤ LỤC I")
    document.add_paragraph("DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026")
    document.add_paragraph("(Ban hành kèm theo Quyết định số 2345/QĐ-BKHCN ngày 15/10/2026 "
                           "của Bộ trưởng Bộ Khoa học và Công nghệ)")
    task_table(document, [
        ["I", "THỂ CHẾ", "", "", "", ""],
        ["1", "Sửa đổi Thông tư 12", "Vụ Pháp chế", "Các đơn vị thuộc Bộ", "Quý III/2026",
         "Thông tư"],
        ["2", "Hướng dẫn đánh giá", "Vụ Kế hoạch - Tài chính", "", "Hằng năm", "Văn bản"],
        ["II", "HẠ TẦNG", "", "", "", ""],
        ["1", "Nền tảng dữ liệu ngành", "Cục Chuyển đổi số quốc gia", "", "12/2026", "Nền tảng"],
    ])
    return save(document)


def long_plan(tasks: int = 90) -> bytes:
    """A table long enough to run over several pages once printed, its header row repeated
    on each page and rows allowed to break across pages."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    letterhead(document)
    rows: list[list[str]] = [["I", "NHIỆM VỤ CHUNG", "", "", "", ""]]
    for number in range(1, tasks + 1):
        title = f"Nhiệm vụ số {number} về chuyển đổi số" + (
            ", triển khai trên toàn tỉnh theo hướng dẫn của Bộ Khoa học và Công nghệ, bảo đảm"
            " đồng bộ và liên thông dữ liệu giữa các cấp" * (3 if number % 10 == 0 else 0))
        rows.append([str(number), title, "Sở Nội vụ" if number % 2 else "Sở Tài chính",
                     "Các sở, ngành", f"{(number % 12) + 1}/2026", "Báo cáo"])
    table = task_table(document, rows)
    header = table.rows[0]._tr.get_or_add_trPr()
    from docx.oxml import OxmlElement  # noqa: PLC0415

    header.append(OxmlElement("w:tblHeader"))
    signature_table(document)
    return save(document)


def convert(data: bytes, suffix: str, target: str, workdir: Path) -> bytes:
    """`data` (a file ending in `suffix`) converted by LibreOffice to `target` ("pdf")."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"nguon{suffix}"
    source.write_bytes(data)
    profile = workdir / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         target, "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (workdir / f"nguon.{target.split(':', maxsplit=1)[0]}").read_bytes()
