"""The layout of an administrative document under Decree 30/2020/NĐ-CP, Appendix I: A4
portrait; margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman; the
two-column header (issuing body and number; Quốc hiệu, Tiêu ngữ, place and date); page
numbers centred in the top margin from the second page; the closing "Nơi nhận" and
signature block. Sizes are the Appendix's: Quốc hiệu 12 pt capitals bold, Tiêu ngữ 13 pt
bold with a rule its length beneath, issuing body 12-13 pt capitals, number 13 pt, place and
date 14 pt italic, document type and title 14 pt bold, body 14 pt, "Nơi nhận" 12 pt bold
italic with its list in 11 pt, signer 14 pt capitals bold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from domain.text import printable

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the left and right margins


def set_up_pages(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on the first page
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    # East Asian and complex-script text fall back to the same face, not the theme's.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def line(container: Document | _Cell, text: str = "", *, size: float = BODY_PT,
         bold: bool = False, italic: bool = False, centre: bool = False,
         justify: bool = False, indent: bool = False, after: float = 0,
         before: float = 0, keep: bool = False) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if centre else
                           WD_ALIGN_PARAGRAPH.JUSTIFY if justify else WD_ALIGN_PARAGRAPH.LEFT)
    form = paragraph.paragraph_format
    form.space_after, form.space_before = Pt(after), Pt(before)
    form.keep_with_next = keep or None
    if indent:
        form.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(printable(text))  # stored history never breaks the document
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def rule(container: Document | _Cell, width_mm: float, within_mm: float) -> None:
    """A short solid rule, centred, `width_mm` long: under the issuing body and Tiêu ngữ."""
    paragraph = line(container, size=2)
    side = Mm(max(0.0, (within_mm - width_mm) / 2))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def date_line(place: str, day: date) -> str:
    """'Quảng Nam, ngày 05 tháng 02 năm 2025': days below 10 and months 1 and 2 take a 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def borderless(document: Document, widths_mm: Sequence[float]) -> Table:
    table: Table = document.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths_mm)
    for cell in table.rows[0].cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def header_block(document: Document, *, parent_body: str, issuing_body: str, number: str,
                 place: str, day: date) -> None:
    left_mm, right_mm = 70.0, TEXT_WIDTH_MM - 70.0
    table = borderless(document, (left_mm, right_mm))
    left, right = table.rows[0].cells
    line(left, parent_body.upper(), size=12, centre=True)
    line(left, issuing_body.upper(), size=12, bold=True, centre=True)
    rule(left, 22, left_mm)
    line(left, number, size=13, centre=True, before=4)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, centre=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, centre=True)
    rule(right, 58, right_mm)
    line(right, date_line(place, day), size=14, italic=True, centre=True, before=4)


Span = tuple[tuple[int, int], tuple[int, int]]  # (row, column) of two corners to merge


def grid(document: Document, headers: Sequence[Sequence[str]], rows: Sequence[Sequence[str]],
         widths_mm: Sequence[float], numeric: Sequence[int] = (),
         merged: Sequence[Span] = ()) -> Table:
    """A bordered table in 12 pt. `headers` are its heading rows (with `merged` cells),
    repeated on every page it runs onto; no row is split across two pages."""
    table: Table = document.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for values in headers:
        row = table.add_row()  # type: ignore[no-untyped-call]
        _flag(row._tr, "w:tblHeader")
        _cells(row.cells, values, bold=True, centred=range(len(values)))
    for values in rows:
        row = table.add_row()  # type: ignore[no-untyped-call]
        _flag(row._tr, "w:cantSplit")
        _cells(row.cells, values, bold=False, centred=numeric)
    _widths(table, widths_mm)
    for (top, left), (bottom, right) in merged:
        text = table.cell(top, left).text
        cell = table.cell(top, left).merge(table.cell(bottom, right))
        for paragraph in cell.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        cell.paragraphs[0].runs[0].text = text
        for run in cell.paragraphs[0].runs[1:]:
            run._r.getparent().remove(run._r)
    line(document, size=6)
    return table


def _flag(row: object, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row.get_or_add_trPr().append(element)  # type: ignore[attr-defined]


def _cells(cells: Sequence[_Cell], values: Sequence[str], *, bold: bool,
           centred: Sequence[int] | range) -> None:
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        if index in centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(printable(value))
        run.font.size, run.bold = Pt(TABLE_PT), bold


def closing_block(document: Document, recipients: Sequence[str], signer_title: str,
                  signer_name: str) -> None:
    table = borderless(document, (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2))
    left, right = table.rows[0].cells
    line(left, "Nơi nhận:", size=12, bold=True, italic=True, before=6)
    for recipient in recipients:
        line(left, f"- {recipient}", size=11)
    line(right, signer_title.upper(), size=14, bold=True, centre=True, before=6)
    for _ in range(4):  # room for the signature and the seal
        line(right, size=14)
    line(right, signer_name, size=14, bold=True, centre=True)
