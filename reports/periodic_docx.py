"""The periodic report as a Word document laid out per Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import io

import docx
from docx.document import Document

from domain.status import StatusClass
from domain.text import printable
from reports import official
from reports.official import grid, line
from reports.periodic import FIVE, PeriodicReport
from reports.spreadsheet import SIMULATED
from reports.words import day, ended_note, moment_words, number, percent, period_words


def to_docx(report: PeriodicReport) -> bytes:
    document = docx.Document()
    official.set_up_pages(document)
    _properties(document, report)
    official.header_block(
        document, parent_body=report.parent_body, issuing_body=report.particulars.issuing_body,
        number=f"Số: {report.particulars.number or '      '}/{report.particulars.symbol}",
        place=report.place, day=report.on)
    if report.simulated:
        line(document, SIMULATED.upper(), bold=True, centre=True, before=12)
    line(document, "BÁO CÁO", bold=True, centre=True, before=12)
    line(document, title(report), bold=True, centre=True)
    official.rule(document, 40, official.TEXT_WIDTH_MM)
    line(document, f"Kính gửi: {report.addressee}", centre=True, before=6, after=12)
    _body(document, report)
    official.closing_block(document, report.recipients, report.particulars.signer_title,
                           report.particulars.signer_name)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def title(report: PeriodicReport) -> str:
    plans = "; ".join(
        f"Kế hoạch số {p.number}" + (f" ngày {day(p.issued_on)}" if p.issued_on else "")
        for p in report.plans) or "Kế hoạch"
    return (f"Kết quả thực hiện {plans} của UBND {report.province} triển khai Nghị quyết số "
            f"57-NQ/TW của Bộ Chính trị, {report.period.label}")


def _properties(document: Document, report: PeriodicReport) -> None:
    # Fixed by the data, not by the moment of writing: the same report is the same document.
    properties = document.core_properties
    properties.title = printable(title(report))
    properties.author = printable(report.particulars.issuing_body)
    properties.created = properties.modified = report.known_at.replace(tzinfo=None)
    properties.last_modified_by = printable(report.particulars.issuing_body)
    properties.revision = 1


def heading(document: Document, text: str) -> None:
    line(document, text, bold=True, justify=True, before=6, after=6, keep=True)


def para(document: Document, text: str, *, keep: bool = False) -> None:
    line(document, text, justify=True, indent=True, after=6, keep=keep)


def _body(document: Document, report: PeriodicReport) -> None:
    body = report.particulars.issuing_body
    para(document, f"Thực hiện {_plans_phrase(report)}, {body} báo cáo kết quả thực hiện "
         f"{report.period.label} "
         f"(từ ngày {day(report.period.start)} đến ngày {day(report.period.end)}; tình trạng "
         f"nhiệm vụ tính đến ngày {day(report.on)}) như sau:")
    _overall(document, report)
    _groups(document, report)
    _leads(document, report)
    _overdue(document, report)
    _changes(document, report)
    _indicators(document, report)
    _agencies(document, report)
    heading(document, "VIII. ĐỀ XUẤT, KIẾN NGHỊ")
    para(document, f"Đề nghị Ủy ban nhân dân {report.province} chỉ đạo các cơ quan chủ trì "
         "các nhiệm vụ quá hạn nêu tại mục IV khẩn trương hoàn thành, báo cáo kết quả; các cơ "
         "quan chưa báo cáo kỳ này gửi báo cáo theo quy định.")
    # The closing words stay on the page of the signature, never leave it alone.
    para(document, f"{body} kính báo cáo Ủy ban nhân dân {report.province}./.", keep=True)
    line(document, f"Số liệu trong báo cáo lấy từ Sổ theo dõi thực hiện Nghị quyết 57-NQ/TW "
         f"theo dữ liệu đã ghi nhận đến {moment_words(report.known_at)}; lập lại báo cáo với "
         "cùng thời điểm dữ liệu này cho đúng nội dung trên.", size=12, italic=True,
         justify=True, after=6, keep=True)


def _plans_phrase(report: PeriodicReport) -> str:
    return "; ".join(f"Kế hoạch số {p.number}" + (f" ngày {day(p.issued_on)}" if p.issued_on
                                                   else "") + f" của UBND {report.province}"
                     for p in report.plans) or "Kế hoạch của tỉnh"


def _share(count: int, total: int) -> str:
    return percent(count / total) if total else "0%"


def _overall(document: Document, report: PeriodicReport) -> None:
    heading(document, "I. TÌNH HÌNH THỰC HIỆN CHUNG")
    total = report.total
    done = report.count(StatusClass.DONE_ON_TIME) + report.count(StatusClass.DONE_LATE)
    para(document, f"Tổng số {total} nhiệm vụ; đã hoàn thành {done} nhiệm vụ "
         f"({_share(done, total)}), trong đó đúng hạn {report.count(StatusClass.DONE_ON_TIME)}"
         f"; chưa hoàn thành, quá hạn {report.count(StatusClass.OPEN_OVERDUE)} nhiệm vụ.")
    rows = [[c.label_vi, str(report.count(c)), _share(report.count(c), total)] for c in FIVE]
    rows.append(["Tổng số", str(total), "100%" if total else "0%"])
    for status in (StatusClass.CANCELLED, StatusClass.SUSPENDED):
        if report.count(status):
            rows.append([f"{status.label_vi} (không tính vào tổng số)",
                         str(report.count(status)), ""])
    grid(document, [["Tình trạng", "Số nhiệm vụ", "Tỷ lệ"]], rows, (95, 35, 35), (1, 2))


_COUNT_WIDTHS = (15.0, 16.0, 16.0, 16.0, 16.0, 18.0)
_COUNT_MERGED = (((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (0, 6)))


def _count_grid(document: Document, first: str, rows: list[list[str]]) -> None:
    headers = [[first, "Tổng số", "Hoàn thành", "", "Chưa hoàn thành", "", ""],
               ["", "", "Đúng hạn", "Quá hạn", "Trong hạn", "Quá hạn", "Chưa triển khai"]]
    grid(document, headers, rows,
         (official.TEXT_WIDTH_MM - sum(_COUNT_WIDTHS), *_COUNT_WIDTHS), range(1, 7),
         _COUNT_MERGED)


def _counts(counts: dict[str, int]) -> list[str]:
    return [str(sum(counts.get(c.value, 0) for c in FIVE)),
            *[str(counts.get(c.value, 0)) for c in FIVE]]


def _groups(document: Document, report: PeriodicReport) -> None:
    heading(document, "II. KẾT QUẢ THEO NHÓM NHIỆM VỤ")
    rows = [[report.summary.group_labels.get(key, key), *_counts(counts)]
            for key, counts in report.summary.by_group.items()]
    _count_grid(document, "Nhóm nhiệm vụ", rows)


def _leads(document: Document, report: PeriodicReport) -> None:
    heading(document, "III. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ")
    rows = [[agency, *_counts(counts)] for agency, counts in report.summary.by_lead.items()]
    _count_grid(document, "Cơ quan chủ trì", rows)
    _ended(document, report)


ENDED_TITLE = "Cơ quan đã được kế nhiệm, hợp nhất hoặc giải thể (không xếp hạng)"
ENDED_NOTE = ("Từ ngày kế nhiệm, các nhiệm vụ chưa hoàn thành của cơ quan được tính cho cơ "
              "quan kế nhiệm; kết quả dưới đây là của chính cơ quan đến ngày đó.")


def _ended(document: Document, report: PeriodicReport) -> None:
    if not report.ended:
        return
    line(document, f"{ENDED_TITLE}, năm {report.on.year}", bold=True, italic=True,
         justify=True, before=6, after=2, keep=True)
    para(document, ENDED_NOTE, keep=True)
    grid(document, [["Cơ quan", "Tình trạng", "Nhiệm vụ chủ trì", "Hoàn thành đúng hạn",
                     "Hoàn thành quá hạn", "Chưa hoàn thành, quá hạn", "Báo cáo đúng hạn"]], [
        [s.agency, ended_note(s), str(s.led), str(s.done_on_time), str(s.done_late),
         str(s.overdue), f"{s.reports_on_time}/{s.reports}"] for s in report.ended],
        (35, 40, 18, 18, 18, 18, 18), range(2, 7))


def _overdue(document: Document, report: PeriodicReport) -> None:
    heading(document, f"IV. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN ({len(report.overdue)})")
    if not report.overdue:
        para(document, "Không có nhiệm vụ quá hạn.")
        return
    grid(document, [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Hạn hoàn thành", "Số ngày quá hạn",
                     "Nguyên nhân"]], [
        [o.row.number, o.row.title, "; ".join(o.row.leads), day(o.row.due), str(o.days),
         o.reason] for o in report.overdue], (10, 50, 30, 24, 16, 35), (0, 3, 4))


def _changes(document: Document, report: PeriodicReport) -> None:
    changes = report.deadline_changes
    heading(document, f"V. ĐIỀU CHỈNH THỜI HẠN TRONG KỲ ({len(changes)})")
    if not changes:
        para(document, "Trong kỳ không có nhiệm vụ được điều chỉnh thời hạn.")
        return
    grid(document, [["Nhiệm vụ", "Thời hạn cũ → mới", "Lý do", "Văn bản", "Ngày hiệu lực"]], [
        [e.subject.removeprefix("task "),
         "; ".join(f"{old or '-'} → {new or '-'}" for old, new in e.changes.values()),
         e.reason, e.document, day(e.effective_on)] for e in changes],
        (18, 40, 52, 30, 25), (0, 4))


def _indicators(document: Document, report: PeriodicReport) -> None:
    heading(document, "VI. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    verdicts = {True: "Đạt", False: "Chưa đạt", None: "Chưa đánh giá"}
    grid(document, [["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"]], [
        [i.code, i.name + (f" ({i.unit})" if i.unit else ""), i.target,
         (f"{number(i.latest_value)} ({period_words(i.latest_period)})"
          if i.latest_value is not None else "Chưa có số liệu"), verdicts[i.met]]
        for i in report.indicators], (12, 78, 25, 28, 22), (0, 2, 3, 4))


def _agencies(document: Document, report: PeriodicReport) -> None:
    heading(document, "VII. KẾT QUẢ, KHÓ KHĂN, ĐỀ XUẤT CỦA CÁC CƠ QUAN")
    if not report.agency_reports:
        para(document, "Trong kỳ chưa có cơ quan nào gửi báo cáo có nội dung.")
        return
    current = None
    for found in sorted(report.agency_reports, key=lambda a: a.agency):
        if found.agency != current:
            current = found.agency
            line(document, found.agency, bold=True, italic=True, before=4, after=2)
        r = found.report
        para(document, f"- Nhiệm vụ {found.task} ({period_words(r.period)}, {r.percent}%): "
             f"{r.narrative or 'không nêu kết quả'}")
        if r.difficulties:
            para(document, f"Khó khăn, vướng mắc: {r.difficulties}")
        if r.proposals:
            para(document, f"Đề xuất, kiến nghị: {r.proposals}")
