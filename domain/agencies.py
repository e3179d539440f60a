"""Agency names as written in plan cells: display names, identity keys, and splitting a cell.

A cell names one or more agencies ("Sở Tài chính, Cục Thống kê") or collectives that stand for
a group of agencies ("Các Sở, ban, ngành"). Agency names themselves contain commas and "và"
("Sở Văn hóa, Thể thao và Du lịch"), so a cell is cut only where a new name visibly begins.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from domain.errors import DomainError
from domain.text import fold, nfc


@dataclass(frozen=True)
class AgencyName:
    name: str  # as written, NFC, whitespace collapsed, first letter upper-cased
    key: str  # identity: the same agency written differently has the same key
    is_collective: bool  # stands for a group of agencies, each owing its own part


# Folded abbreviation -> folded full form, so that both spellings share a key.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "ttdt": "thong tin dien tu",
    "pt-th": "phat thanh truyen hinh",
    "ptth": "phat thanh truyen hinh",
    "kkt": "khu kinh te",
    "kcn": "khu cong nghiep",
    "cntt": "cong nghe thong tin",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "vp": "van phong",
}
_ABBREVIATION = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
_WORD = re.compile(r"[a-z0-9]+")
_COLLECTIVE = re.compile(
    r"^(?:cac|nhung|moi) "
    r"|^uy ban nhan dan (?:cac|cap) "
    r"|^(?:so|ban|nganh)(?: (?:ban|nganh|dia phuong))+(?: |$)"
)
_UBND = re.compile(r"\buy ban nhan dan\b")
_EDGE_JUNK = " \t\n-–—+•*.,;:"


def normalise_agency(name: str, *, province: str = "") -> AgencyName:
    """One agency name as written -> its display name, key and kind.

    `province` is the plan's province ("Quảng Nam"): "Báo Quảng Nam" and "Báo tỉnh" then share
    a key. Pass it always or never within one tenant, or keys will differ.
    """
    display = nfc(name).strip(_EDGE_JUNK)
    if not display:
        raise DomainError("agency.name_empty", field="agency")
    first, _, rest = display.partition(" ")
    # Abbreviations are written in capitals ("UBND"), other names capitalise their first letter.
    first = first.upper() if fold(first) in _ABBREVIATIONS else first[0].upper() + first[1:]
    display = f"{first} {rest}" if rest else first
    key = _key(display, province)
    return AgencyName(display, key, bool(_COLLECTIVE.search(key)))


def agency_slug(name: AgencyName) -> str:
    """A short ASCII identifier for CLI use: 'so-khoa-hoc-va-cong-nghe'."""
    slug = "-".join(_WORD.findall(_UBND.sub("ubnd", name.key)))
    if slug and len(slug) <= 60:
        return slug
    # A cut name could collide with another sharing its first words: a digest keeps it unique.
    digest = hashlib.blake2b(name.key.encode(), digest_size=3).hexdigest()
    return f"{slug[:53].rstrip('-')}-{digest}" if slug else f"agency-{digest}"


def _key(display: str, province: str) -> str:
    folded = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], fold(display))
    words = _WORD.findall(folded)
    # "có liên quan" and "liên quan" name the same group.
    words = [w for i, w in enumerate(words) if not (w == "co" and words[i + 1 : i + 2] == ["lien"])]
    words = _drop_locality(words, _WORD.findall(fold(province)))
    return " ".join(words) or display.casefold()


def _drop_locality(words: list[str], province: list[str]) -> list[str]:
    """Drop a trailing 'tỉnh' or province name: in a provincial plan both are implied."""
    if province[:1] == ["tinh"]:
        province = province[1:]
    elif province[:2] == ["thanh", "pho"]:
        province = province[2:]
    if province and len(words) > len(province) and words[-len(province) :] == province:
        # "Báo Quảng Nam" is "Báo tỉnh"; "Sở Y tế tỉnh Quảng Nam" is "Sở Y tế tỉnh".
        words = words[: -len(province)]
        if words[-2:] == ["thanh", "pho"]:
            words = words[:-2]
        words = words if words[-1:] == ["tinh"] else [*words, "tinh"]
    # "Các tỉnh" is a group of provinces, and "Báo tỉnh" needs its "tỉnh" to be a name.
    if len(words) > 2 and words[-1] == "tinh" and words[-2] != "cac":
        words = words[:-1]
    return words


# Words that start an agency name when a name follows them ("Sở Y tế", not "Sở, ban").
_HEADS = {
    tuple(head.split())
    for head in (
        "sở|ban|văn phòng|ubnd|ủy ban|uỷ ban|hđnd|hội đồng|công an|đài|báo|cổng|cục|chi cục"
        "|ngân hàng|kho bạc|bộ|bộ chỉ huy|trung tâm|bệnh viện|viện|học viện|trường|hội"
        "|liên đoàn|liên minh|mặt trận|thanh tra|bảo hiểm|tòa án|toà án|tổng công ty|công ty"
        "|tập đoàn|đảng ủy|đảng uỷ"
    ).split("|")
}
# Heads complete on their own.
_WHOLE_HEADS = {("tỉnh", "đoàn"), ("tỉnh", "ủy"), ("tỉnh", "uỷ"), ("ubnd", "tỉnh")}
# Places start a name only with a proper name after them: "thị xã Điện Bàn", not "thị xã,".
_PLACE_HEADS = {("thành", "phố"), ("thị", "xã"), ("huyện",), ("xã",), ("phường",)}
# Generic words after a head make a phrase, not a name: "Ban ngành", "Báo cáo".
_NOT_NAMES = {"ngành", "ban", "sở", "cáo", "hành", "nghị", "thảo", "phận"}
_COLLECTIVE_STARTS = {"các", "những"}


@functools.lru_cache(maxsize=8192)
def split_agencies(cell: str, *, province: str = "") -> tuple[AgencyName, ...]:
    """The agencies a cell names, in order, each once (by key). Kept per process: tenants
    provisioned from the same plan document split the same cells."""
    seen: dict[str, AgencyName] = {}
    for part in _group(_pieces(cell)):
        if nfc(part).strip(_EDGE_JUNK):
            agency = normalise_agency(part, province=province)
            seen.setdefault(agency.key, agency)
    return tuple(seen.values())


_SEPARATOR = re.compile(r"\s+và\s+|[;,\n()]")


def _pieces(cell: str) -> list[tuple[str, str]]:
    """Cut a cell at each separator outside parentheses: (separator before, text) pairs."""
    pieces: list[tuple[str, str]] = []
    depth, start, before = 0, 0, ";"
    for match in _SEPARATOR.finditer(cell):
        mark = match.group()
        if mark in ("(", ")"):
            depth = max(0, depth + (1 if mark == "(" else -1))
        elif depth == 0:
            pieces.append((before, cell[start : match.start()]))
            before, start = mark, match.end()
    pieces.append((before, cell[start:]))
    return pieces


def _group(pieces: list[tuple[str, str]]) -> list[str]:
    """Join pieces back into names: a piece continues the name before it unless it starts one."""
    names: list[str] = []
    place = ""
    for separator, text in pieces:
        words = nfc(text).split()
        if place and _is_bare_place_name(words):
            names.append(f"{place} {' '.join(words)}")
        elif not names or separator == ";" or _starts_name(words):
            names.append(text)
            place = _place_prefix(words)
        else:
            names[-1] += separator + text
    return names


def _starts_name(words: list[str]) -> bool:
    lower = [w.casefold() for w in words]
    if len(lower) > 1 and lower[0] in _COLLECTIVE_STARTS:
        return True
    for size in (3, 2, 1):
        head, rest = tuple(lower[:size]), words[size:]
        if head in _WHOLE_HEADS:
            return True
        if head in _PLACE_HEADS:
            return bool(rest) and rest[0][:1].isupper()
        if head in _HEADS and rest and rest[0].casefold() not in _NOT_NAMES:
            # Lower-case heads are common nouns unless a proper name follows: "sở Tài chính".
            return words[0][:1].isupper() or rest[0][:1].isupper()
    return False


def _place_prefix(words: list[str]) -> str:
    """'Thành phố' for 'Thành phố Tam Kỳ': a list of towns may go on without it ('Hội An')."""
    for size in (2, 1):
        if tuple(w.casefold() for w in words[:size]) in _PLACE_HEADS and len(words) > size:
            return " ".join(words[:size])
    return ""


def _is_bare_place_name(words: list[str]) -> bool:
    """A short proper name with no head word, or with 'Hội', which also begins towns (Hội An)."""
    if not 0 < len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    return words[0].casefold() == "hội" or not _starts_name(words)
