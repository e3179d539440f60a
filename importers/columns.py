"""Map table header cells to plan fields by what they mean, whatever their order or wording.

Plans word their headers differently ("Cơ quan chủ trì", "Đơn vị chủ trì tham mưu", "Chủ trì")
and order columns as they like, so each header is matched against synonyms, ignoring case,
diacritics and punctuation. The same word can mean different fields in different tables:
"Kết quả" is the expected output of a task but the target of an indicator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from domain.messages import Message, message
from domain.text import fold, nfc

TableKind = Literal["task", "indicator"]

# A synonym starting with "=" only matches a whole header: a column headed "Đơn vị" holds
# units, but one headed "Đơn vị thực hiện" holds agencies.
_SYNONYMS: dict[TableKind, dict[str, tuple[str, ...]]] = {
    "task": {
        "number": ("TT", "STT", "Số TT", "Số thứ tự", "=Mã", "Mã nhiệm vụ"),
        "title": ("Tên nhiệm vụ", "Nhiệm vụ", "Nội dung nhiệm vụ", "Nội dung"),
        "leads": (
            "Cơ quan chủ trì",
            "Cơ quan chủ trì tham mưu/thực hiện",
            "Đơn vị chủ trì",
            "Chủ trì",
            "Cơ quan thực hiện",
            "Đơn vị thực hiện",
        ),
        "coordinators": ("Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp"),
        "expected_output": (
            "Kết quả",
            "Sản phẩm",
            "Kết quả/sản phẩm",
            "Sản phẩm đầu ra",
            "Hình thức văn bản",
        ),
        "deadline": (
            "Thời gian hoàn thành",
            "Thời hạn",
            "Thời hạn hoàn thành",
            "Tiến độ",
            "Thời gian thực hiện",
            "Thời gian",
        ),
        "group": ("Nhóm", "Nhóm nhiệm vụ", "Mã nhóm"),
        "group_title": ("Tên nhóm", "Tên nhóm nhiệm vụ"),
    },
    "indicator": {
        "code": ("TT", "STT", "Số TT", "=Mã", "Mã chỉ tiêu"),
        "name": ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu"),
        "unit": ("Đơn vị tính", "ĐVT", "=Đơn vị"),
        "target": ("Kết quả", "Mục tiêu", "Chỉ tiêu đến năm", "Giá trị mục tiêu"),
        "responsible": (
            "Cơ quan chủ trì theo dõi, đánh giá",
            "Cơ quan chủ trì theo dõi",
            "Cơ quan theo dõi",
            "Đơn vị chủ trì",
            "Cơ quan chủ trì",
            "Chủ trì",
        ),
        "horizon": ("Năm", "Mốc", "Mốc năm", "Giai đoạn"),
    },
}

# Labels used in messages, as a Vietnamese reader would name the column.
FIELD_LABELS: dict[str, str] = {
    "title": "Tên nhiệm vụ",
    "name": "Chỉ tiêu",
}
_REQUIRED: dict[TableKind, tuple[str, ...]] = {"task": ("title",), "indicator": ("name",)}

# Header cells are short; long cells are prose in a layout table, not column names.
_LONGEST_HEADER = 80
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_YEAR = re.compile(r"\b(19|20)\d\d\b")

WHOLE, LEADING, INSIDE = 3, 2, 1


def normal(text: str) -> str:
    """Header text reduced to bare lowercase words: 'Kết quả/ sản phẩm' -> 'ket qua san pham'."""
    return " ".join(_NOT_ALNUM.sub(" ", fold(text)).split())


def _rank(header: str, synonym: str) -> int:
    whole_only = synonym.startswith("=")
    words = normal(synonym.lstrip("="))
    if header == words:
        return WHOLE
    if whole_only:
        return 0
    if header.startswith(words + " "):
        return LEADING
    # Matching inside a header is only safe for phrases: "chủ trì" yes, "nhóm" no.
    if " " in words and f" {words} " in f" {header} ":
        return INSIDE
    return 0


def match_field(header: str, kind: TableKind) -> tuple[str, int] | None:
    """The field a header names in a table of `kind`, and how sure the match is (1-3)."""
    text = normal(header)
    if not text or len(text) > _LONGEST_HEADER:
        return None
    best: tuple[str, int] | None = None
    best_key = (0, 0)
    for name, synonyms in _SYNONYMS[kind].items():
        for synonym in synonyms:
            key = (_rank(text, synonym), len(synonym))
            if key[0] and key > best_key:
                best, best_key = (name, key[0]), key
    # "Chỉ tiêu đến 2030" / "Chỉ tiêu năm 2030" head the targets, not the names.
    if best and kind == "indicator" and best[0] == "name" and _YEAR.search(text):
        return ("target", best[1])
    return best


@dataclass(frozen=True)
class ColumnMap:
    """Where each field sits in a table's rows; unknown columns are kept as extras."""

    kind: TableKind
    headers: tuple[str, ...]
    fields: Mapping[str, int]
    extras: tuple[tuple[int, str], ...]  # (column index, header text as written)
    missing: tuple[str, ...]  # required fields with no column

    def has(self, name: str) -> bool:
        return name in self.fields

    def cell(self, cells: Sequence[str], name: str) -> str:
        index = self.fields.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    def extra_cells(self, cells: Sequence[str]) -> dict[str, str]:
        return {key: cells[i] if i < len(cells) else "" for i, key in self.extras}

    def missing_message(self) -> Message:
        names = ", ".join(f"'{FIELD_LABELS.get(name, name)}'" for name in self.missing)
        found = ", ".join(h for h in self.headers if h)
        return message("import.missing_columns", kind=self.kind, columns=names,
                       headers=found or message("import.no_headers"))


def map_columns(headers: Sequence[str], kind: TableKind) -> ColumnMap:
    """Assign each header to a field of `kind`; the first column naming a field wins."""
    cleaned = tuple(nfc(h) for h in headers)
    fields: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    for index, header in enumerate(cleaned):
        found = match_field(header, kind)
        if found and found[0] not in fields:
            fields[found[0]] = index
        else:
            extras.append((index, _extra_key(header, index, extras)))
    missing = tuple(name for name in _REQUIRED[kind] if name not in fields)
    return ColumnMap(kind, cleaned, fields, tuple(extras), missing)


def _extra_key(header: str, index: int, taken: list[tuple[int, str]]) -> str:
    key = header or f"Cột {index + 1}"
    used = {k for _, k in taken}
    suffix = 2
    candidate = key
    while candidate in used:
        candidate, suffix = f"{key} ({suffix})", suffix + 1
    return candidate


def classify(headers: Sequence[str]) -> ColumnMap | None:
    """The table a header row opens, or None when it does not look like a plan table.

    A task table has a lead-agency or deadline column; an indicator table has a unit or an
    indicator-name column. When a header row shows both, the complete reading wins.
    """
    task = map_columns(headers, "task")
    indicator = map_columns(headers, "indicator")
    task_like = _signals(task, ("leads", "deadline"))
    indicator_like = _signals(indicator, ("unit", "name"))
    if task_like and indicator_like:
        return _prefer(task, indicator)
    if task_like:
        return task
    return indicator if indicator_like else None


def _signals(columns: ColumnMap, telling: tuple[str, ...]) -> bool:
    return any(columns.has(name) for name in telling) and len(columns.fields) >= 2


def _prefer(task: ColumnMap, indicator: ColumnMap) -> ColumnMap:
    if indicator.missing and not task.missing:
        return task
    if task.missing and not indicator.missing:
        return indicator
    if task.has("deadline"):
        return task
    return indicator if indicator.has("unit") else task
