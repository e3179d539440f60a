"""Importing a plan document: upload, preview what will be created and the rows that could
not be read, then confirm. The preview carries the file itself, so any worker can confirm."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.deadlines import DeadlineKind, parse_deadline
from domain.errors import DomainError
from domain.plan_document import PlanDocument
from domain.policy import Action
from importers import SUPPORTED_SUFFIXES, ImportFormatError
from importers.isolation import read_isolated
from service.ledger import Context, ImportRefused
from web.auth import require
from web.forms import field_errors, submit_once
from web.messages import WebError
from web.routes import Routes
from web.state import ledger, queries

routes = Routes()
_FILENAME = re.compile(r"^[^/\\\x00]{1,200}$")
_FORMAT_VI = [
    (re.compile(r"the file is empty"), "Tệp trống."),
    (re.compile(r"cannot import .*not supported.*"),
     "Không nhập được loại tệp này; hãy dùng " + ", ".join(SUPPORTED_SUFFIXES) + "."),
    (re.compile(r".*old \.xls format.*"),
     "Tệp ở định dạng cũ (.xls); hãy lưu lại thành .xlsx rồi nhập."),
    (re.compile(r"the plan number was not found.*"), "Không tìm thấy số hiệu kế hoạch."),
    (re.compile(r".*not UTF-8 text.*"), "Tệp văn bản không ở bảng mã UTF-8."),
]


_LIMIT_VI = {
    "file_bytes": "dung lượng tệp", "decompressed_bytes": "dung lượng sau giải nén",
    "part_bytes": "dung lượng một phần của tệp", "zip_parts": "số phần của tệp",
    "rows": "số dòng", "columns": "số cột", "cells": "số ô", "blocks": "số đoạn văn",
    "pages": "số trang", "text_chars": "độ dài một ô", "tasks": "số nhiệm vụ",
    "indicators": "số chỉ tiêu",
}


def _by_code_vi(error: ImportFormatError) -> str | None:
    params = error.params
    if error.code == "import.limit_exceeded":
        limit = str(params.get("limit", ""))
        return (f"Tệp vượt giới hạn {_LIMIT_VI.get(limit, limit)} ({params.get('maximum')}); "
                "hãy tách kế hoạch thành các tệp nhỏ hơn.")
    return {
        "import.budget_exceeded": "Đọc tệp cần nhiều bộ nhớ hoặc thời gian hơn mức cho phép "
                                  "của một lần nhập; hãy tách kế hoạch thành các tệp nhỏ hơn.",
        "import.converter_missing": "Máy chủ chưa cài LibreOffice (gói libreoffice-writer-nogui)"
                                    " để đọc tệp .doc/.odt; hãy lưu tệp thành .docx rồi nhập.",
        "import.not_convertible": "Không chuyển đổi được tệp .doc/.odt (tệp hỏng hoặc không "
                                  "đúng định dạng); hãy mở và lưu lại thành .docx rồi nhập.",
        "import.pdf_without_text": "Tệp PDF là bản quét, không có lớp chữ; hãy nhập tệp Word "
                                   "gốc hoặc tệp PDF xuất từ Word.",
        "import.not_pdf": "Không mở được tệp PDF (tệp hỏng hoặc không phải PDF).",
        "import.parser_failed": "Không đọc được tệp; hãy mở bằng phần mềm văn phòng, lưu lại "
                                "rồi nhập bản đã lưu.",
    }.get(error.code)


def format_error_vi(error: ImportFormatError) -> str:
    by_code = _by_code_vi(error)
    if by_code:
        return by_code
    for pattern, message in _FORMAT_VI:
        if pattern.fullmatch(error.message):
            return message
    return f"Không đọc được tệp kế hoạch ({error.message})."


def _read(data: bytes, filename: str) -> PlanDocument:
    try:
        return read_isolated(data, filename)
    except ImportFormatError as error:
        raise WebError(format_error_vi(error), field="file") from None


def _render(slug: str, **context: object) -> str:
    plans = queries(slug).state().plans.values()
    return render_template("web/import.html", existing=[p.number for p in plans],
                           suffixes=", ".join(SUPPORTED_SUFFIXES), **context)


@routes.route("/t/<slug>/import", Action.PLAN_IMPORT)
def upload_form(slug: str) -> str:
    return _render(slug, errors={}, document=None)


@routes.route("/t/<slug>/import/preview", Action.PLAN_IMPORT, ("POST",))
def preview(slug: str) -> str | tuple[str, int]:
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise WebError("Hãy chọn tệp kế hoạch để nhập.", field="file")
        data = upload.read()
        document = _read(data, upload.filename)
    except DomainError as error:
        return _render(slug, errors=field_errors(error, ("file",)), document=None), 422
    unparsed = [t for t in document.tasks
                if parse_deadline(t.deadline).kind is DeadlineKind.UNPARSED]
    return _render(slug, errors={}, document=document, unparsed=unparsed,
                   filename=upload.filename, sha256=hashlib.sha256(data).hexdigest(),
                   payload=base64.b64encode(data).decode())


def _uploaded() -> tuple[bytes, str]:
    filename = request.form.get("filename", "")
    try:
        data = base64.b64decode(request.form.get("payload", ""), validate=True)
    except (ValueError, binascii.Error):
        data = b""
    if not data or not _FILENAME.fullmatch(filename) or (
            hashlib.sha256(data).hexdigest() != request.form.get("sha256")):
        raise WebError("Không còn tệp đã xem trước; hãy tải tệp lên lại.", field="file")
    return data, filename


@routes.route("/t/<slug>/import/confirm", Action.PLAN_IMPORT, ("POST",))
def confirm(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)

    def record() -> str:
        data, filename = _uploaded()
        document = _read(data, filename)
        result = ledger(slug).import_plan(
            document, hashlib.sha256(data).hexdigest(), Context(viewer.name),
            accept_problems=request.form.get("accept_problems") == "yes")
        if result.recorded:
            flash(f"Đã nhập kế hoạch {result.plan_number}: {result.tasks} nhiệm vụ, "
                  f"{result.indicators} chỉ tiêu, {result.new_agencies} cơ quan mới.", "success")
        else:
            flash(f"Kế hoạch {result.plan_number} đã được nhập từ chính tệp này trước đó; "
                  "không ghi nhận gì thêm.", "info")
        return url_for("web.dashboard", slug=slug)

    try:
        return submit_once(slug, record)
    except ImportRefused as refused:
        return _render(slug, errors=field_errors(refused, ("file",)), document=None,
                       refused=refused.problems), 422
    except DomainError as error:
        return _render(slug, errors=field_errors(error, ("file",)), document=None), 422
