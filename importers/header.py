"""Plan metadata read from the lines of a plan: number, place and date, title, signature.

Text and Word plans follow the layout of Vietnamese administrative documents (Decree
30/2020/NĐ-CP): "Số: ..." and "<place>, ngày .. tháng .. năm ...." at the top, the kind of
document ("KẾ HOẠCH") over its title, the legal basis in the opening paragraph, and the
signature block "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / name at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.plan_document import PlanHeader
from domain.text import nfc
from importers.columns import normal

# Number, date and title sit at the top; a body line never starts like them.
_TOP_LINES = 25
_PREAMBLE_LINES = 30
_NUMBER = re.compile(r"^Số\s*:?\s*(\d+\s*[-/]\s*[\w\-./]*\w)", re.IGNORECASE)
# The place-and-date line, alone or beside the number ("Số: 12/KH-UBND<tab>Quảng Nam, ngày ...").
_DATE = re.compile(
    r"(?:^|(?<=\s))(?P<place>[^,\d\t:;()]{2,60}?),\s*ngày\s*(?P<day>\d{1,2})?\s*tháng"
    r"\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
# An appendix issued with a decision or plan: "(Ban hành kèm theo Quyết định số 123/QĐ-BKHCN
# ngày 15/10/2026 của Bộ trưởng Bộ Khoa học và Công nghệ)".
_ATTACHED = re.compile(
    r"^\(?\s*(?:ban hành\s+)?kèm theo\s+(?P<kind>[^\d(]{2,40}?)\s+số\s*:?\s*"
    r"(?P<number>\d+\s*[-/]\s*[\w\-./]*\w)"
    r"(?:\s*,?\s*ngày\s*(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|(?P<wd>\d{1,2})\s*tháng\s*(?P<wm>\d{1,2})\s*năm\s*(?P<wy>\d{4})))?"
    r"(?:\s*(?:của|do)\s+(?P<issuer>[^)]+?))?\s*\)?\s*$",
    re.IGNORECASE,
)
_DOC_NUMBER = r"\d+(?:/\d{4})?\s*[-/]\s*[A-ZĐ][\wĐđ]*(?:[-/][A-ZĐ][\wĐđ]*)*"
# Only documents that ground the plan count as its basis: a "Tờ trình" (the proposal that
# asked for the plan) is cited in the same paragraph but is not one of them.
_CITED = re.compile(
    r"(?i:nghị quyết|chương trình|quyết định|chỉ thị|kết luận|nghị định|thông tư|kế hoạch"
    r"|công văn|văn bản|thông báo|hướng dẫn|luật|hiến pháp)\s+(?:(?i:số)\s+)?"
    rf"({_DOC_NUMBER})"
)
_BARE_NUMBER = re.compile(_DOC_NUMBER)
_SECTION = re.compile(r"^[IVXLC]+\.\s")
# "TM. ỦY BAN NHÂN DÂN", "KT. BỘ TRƯỞNG", and the Party's "T/M BAN THƯỜNG VỤ".
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s+(.*)$")
_SIGNED = {"da ky", "ky ten", "ky", "da ky va dong dau"}
_OFFICES = {"chu tich": "Chủ tịch", "pho chu tich": "Phó Chủ tịch"}
# Centrally-run cities: their People's Committee is "UBND thành phố ...", not "UBND tỉnh ...".
_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
_COMMITTEE = ("uy ban nhan dan", "ubnd")
_LEVEL = re.compile(r"(?:^|\s)(tỉnh|thành phố)\s+(\S.*)$", re.IGNORECASE)
_CITY_PREFIX = re.compile(r"^(?:TP\.?|Thành phố)\s*", re.IGNORECASE)


def parse_header(lines: Sequence[str]) -> PlanHeader:
    """Read what the lines tell about the plan; fields not found stay empty."""
    top = list(lines[:_TOP_LINES])
    number = next((_document_number(line) for line in top if _NUMBER.match(line)), "")
    dated = next((found for line in top if (found := _DATE.search(line))), None)
    place = nfc(dated.group("place").strip()) if dated else ""
    title, body_start = _title(lines)
    authority, office, signer = _signature(lines)
    issued_on = _issued_on(dated)
    issuing_body = _issuing_body(top, authority, place)
    attached = attachment(lines)
    if attached and not number:
        # An appendix published on its own carries its parent document's number and date.
        number = attached.number
        issued_on = issued_on or attached.issued_on
        issuing_body = issuing_body or attached.issuer
        title = title or appendix_title(lines)
    return PlanHeader(
        number=number,
        title=title,
        issued_on=issued_on,
        place=place,
        issuing_body=issuing_body,
        signer=signer,
        signer_title=office,
        legal_basis=tuple(cited for cited in legal_basis(" ".join(_preamble(lines, body_start)))
                          if cited != number),
    )


@dataclass(frozen=True)
class Attachment:
    """What "(Ban hành kèm theo Quyết định số ... ngày ... của ...)" says."""

    kind: str  # "Quyết định"
    number: str
    issued_on: date | None
    issuer: str
    line: str


def attachment(lines: Sequence[str]) -> Attachment | None:
    """The first "kèm theo ..." line of an appendix, wherever it is."""
    for line in lines:
        found = _ATTACHED.match(line.strip())
        if not found:
            continue
        day = found.group("d") or found.group("wd")
        month = found.group("m") or found.group("wm")
        year = found.group("y") or found.group("wy")
        try:
            issued = date(int(year), int(month), int(day)) if day else None
        except ValueError:
            issued = None
        issuer = _ISSUER_OFFICE.sub("", (found.group("issuer") or "").strip())
        return Attachment(found.group("kind").strip(), _squeeze(found.group("number")), issued,
                          nfc(issuer), line)
    return None


# "của Bộ trưởng Bộ Khoa học và Công nghệ" / "của Chủ tịch UBND tỉnh": the body, not the office.
_ISSUER_OFFICE = re.compile(r"^(?:Bộ trưởng|Chủ tịch|Thủ tướng|Giám đốc)\s+(?=\S)", re.IGNORECASE)


def appendix_title(lines: Sequence[str]) -> str:
    """The upper-case lines under "PHỤ LỤC" (its own number line "PHỤ LỤC I" included)."""
    marker = next((i for i, line in enumerate(lines) if normal(line).startswith("phu luc")), None)
    if marker is None:
        return ""
    end = marker + 1
    while end < len(lines) and _is_upper(lines[end]) and not _ATTACHED.match(lines[end]):
        end += 1
    return " ".join(lines[marker + 1 : end]) or lines[marker]


def legal_basis(text: str) -> tuple[str, ...]:
    """Distinct document numbers cited as grounds, in order: ('57-NQ/TW', '03/NQ-CP')."""
    found = [_squeeze(match.group(1)) for match in _CITED.finditer(text)]
    return tuple(dict.fromkeys(found))


def document_number(text: str) -> str:
    """The document number inside `text` ('Nghị quyết số 60- CTr/TU' -> '60-CTr/TU'), else text."""
    found = _BARE_NUMBER.search(text)
    return _squeeze(found.group(0)) if found else nfc(text)


def _squeeze(number: str) -> str:
    # Extracted text often spaces the separators: "60- CTr/TU".
    return re.sub(r"\s+", "", number)


def _document_number(line: str) -> str:
    found = _NUMBER.match(line)
    return _squeeze(found.group(1)) if found else ""


def _issued_on(dated: re.Match[str] | None) -> date | None:
    if dated is None or not dated.group("day"):
        return None  # drafts leave the day blank until signing
    try:
        return date(int(dated.group("year")), int(dated.group("month")), int(dated.group("day")))
    except ValueError:
        return None


def _is_upper(line: str) -> bool:
    return any(ch.isalpha() for ch in line) and line == line.upper()


def _title(lines: Sequence[str]) -> tuple[str, int]:
    """The title under "KẾ HOẠCH" and the index of the first body line after it."""
    marker = next(
        (i for i, line in enumerate(lines[:_TOP_LINES]) if normal(line) == "ke hoach"), None
    )
    if marker is None:
        return "", 0
    end = marker + 1
    while end < len(lines) and _is_upper(lines[end]):
        end += 1
    if end == marker + 1 and end < len(lines) and _looks_like_subtitle(lines[end]):
        end += 1  # a title set in sentence case, as many Word plans do
    return " ".join(lines[marker + 1 : end]), end


def _looks_like_subtitle(line: str) -> bool:
    opening = normal(line).startswith("can cu") or line.rstrip().endswith((":", ";"))
    return not opening and len(line) < 400


def _preamble(lines: Sequence[str], start: int) -> list[str]:
    """The opening paragraphs, up to the first numbered section."""
    kept: list[str] = []
    for line in lines[start : start + _PREAMBLE_LINES]:
        if _SECTION.match(line):
            break
        kept.append(line)
    return kept


def _signature(lines: Sequence[str]) -> tuple[str, str, str]:
    """(authority signed for, office of the signer, signer) from the signature block."""
    start = next((i for i, line in enumerate(lines) if _AUTHORITY.match(line)), None)
    if start is None:
        # No "TM."/"KT." line: the block starts at the office itself ("CHỦ TỊCH").
        office_at = next((i for i, line in enumerate(lines) if normal(line) in _OFFICES), None)
        return (
            ("", *_office_and_signer(lines, office_at)) if office_at is not None else ("", "", "")
        )
    found = _AUTHORITY.match(lines[start])
    authority = found.group(2) if found and found.group(1) == "TM" else ""
    return (authority, *_office_and_signer(lines, start + 1))


def _office_and_signer(lines: Sequence[str], index: int) -> tuple[str, str]:
    """Upper-case lines name the office (the last one counts), the next line the signer."""
    office = ""
    while index < len(lines) and (_is_upper(lines[index]) or _AUTHORITY.match(lines[index])):
        if not _AUTHORITY.match(lines[index]):
            office = lines[index]
        index += 1
    while index < len(lines) and normal(lines[index]) in _SIGNED:
        index += 1
    return _office(office), lines[index] if index < len(lines) else ""


def _office(text: str) -> str:
    """'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch': office names are written in sentence case."""
    if not text:
        return ""
    return _OFFICES.get(normal(text)) or _sentence_case(text)


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def _issuing_body(top: Sequence[str], authority: str, place: str) -> str:
    """'TM. ỦY BAN NHÂN DÂN' signed in Quảng Nam -> 'UBND tỉnh Quảng Nam'.

    The committee's own name at the top ("ỦY BAN NHÂN DÂN / TỈNH QUẢNG NAM") is the surest
    source; without it, the place in the date line names the province or city."""
    named = _named_committee(top)
    if named:
        return f"UBND {named}"
    committees = [normal(line) for line in (authority, *top) if normal(line).startswith(_COMMITTEE)]
    if not committees:
        return _sentence_case(authority) if authority else ""
    named_place = _CITY_PREFIX.sub("", place)
    if not named_place:
        return "UBND"
    is_city = named_place != place or normal(named_place) in _CITIES
    return f"UBND {'thành phố' if is_city else 'tỉnh'} {named_place}"


def _named_committee(top: Sequence[str]) -> str:
    """'tỉnh Quảng Nam' from 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM', possibly over two lines."""
    for index, line in enumerate(top):
        if not normal(line).startswith(_COMMITTEE):
            continue
        following = top[index + 1] if index + 1 < len(top) else ""
        found = _LEVEL.search(line) or _LEVEL.match(following)
        if found:
            level = "tỉnh" if normal(found.group(1)) == "tinh" else "thành phố"
            name = found.group(2).strip()
            return f"{level} {name.title() if _is_upper(name) else name}"
    return ""
