"""Importing a plan document: upload, preview what will be created and the rows that could
not be read, supply what the document does not say, then confirm. The uploaded file is kept
in the service's database under its SHA-256 (`service.uploads`), so any worker can confirm
without the file being sent again."""

from __future__ import annotations

import re

from flask import flash, render_template, request, url_for
from werkzeug.wrappers import Response

from domain.errors import DomainError
from domain.plan_document import PlanDocument, PlanHeader
from domain.policy import Action
from i18n import render
from importers import SUPPORTED_SUFFIXES, ImportFormatError
from importers.isolation import read_isolated
from importers.limits import LIMITS
from service.commands import Context, ImportPlan, ImportResult
from service.handlers import ImportRefused
from service.import_preview import build_preview
from service.uploads import UploadStore
from web.auth import require
from web.formatting import parse_day
from web.forms import field_errors, submit_once
from web.messages import WebError
from web.routes import Routes
from web.state import dispatch, queries, tenancy

routes = Routes()
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HEADER_FIELDS = ("number", "issued_on", "issuer", "title")


def format_error_vi(error: ImportFormatError) -> str:
    return render(error.as_message(), "vi")


def read_document(data: bytes, filename: str, header: PlanHeader | None = None, *,
          require_number: bool = True) -> PlanDocument:
    try:
        return read_isolated(data, filename, header=header, require_number=require_number)
    except ImportFormatError as error:
        raise WebError(format_error_vi(error), field="file") from None


def _uploads() -> UploadStore:
    return UploadStore(tenancy().storage.database)


def keep_upload(slug: str, data: bytes, filename: str) -> str:
    """Keep an uploaded document between its preview and its confirmation (the import's
    and the revision's); returns the SHA-256 the confirming form names it by."""
    return _uploads().put(slug, data, filename)


def _render(slug: str, **context: object) -> str:
    plans = queries(slug).state().plans.values()
    return render_template("web/plan_import.html", existing=[p.number for p in plans],
                           suffixes=", ".join(SUPPORTED_SUFFIXES),
                           max_mb=LIMITS.file_bytes // (1024 * 1024), **context)


def _preview_page(slug: str, document: PlanDocument, filename: str, sha256: str,
                  form: dict[str, str], errors: dict[str, str]) -> str:
    header = document.header
    found = {"number": header.number, "title": header.title, "issuer": header.issuing_body,
             "issued_on": header.issued_on.strftime("%d/%m/%Y") if header.issued_on else ""}
    preview = build_preview(document, queries(slug).state().agencies)
    return _render(slug, errors=errors, document=document, preview=preview, filename=filename,
                   sha256=sha256, found=found, form={**found, **form})


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
        filename = upload.filename[-200:]
        document = read_document(data, filename, require_number=False)
    except DomainError as error:
        return _render(slug, errors=field_errors(error, ("file",)), document=None), 422
    sha256 = keep_upload(slug, data, filename)
    return _preview_page(slug, document, filename, sha256, {}, {})


def stored_upload(slug: str) -> tuple[bytes, str, str]:
    sha256 = request.form.get("sha256", "")
    stored = _uploads().get(slug, sha256) if _SHA256.fullmatch(sha256) else None
    if stored is None:
        raise WebError("Không còn tệp đã xem trước; hãy tải tệp lên lại.", field="file")
    return stored[0], stored[1], sha256


def _given() -> tuple[PlanHeader, dict[str, str]]:
    form = {name: request.form.get(name, "").strip() for name in _HEADER_FIELDS}
    issued = parse_day(form["issued_on"], "issued_on", required=False)
    return PlanHeader(number=form["number"], title=form["title"], issued_on=issued,
                      issuing_body=form["issuer"]), form


@routes.route("/t/<slug>/import/confirm", Action.PLAN_IMPORT, ("POST",))
def confirm(slug: str) -> Response | tuple[str, int]:
    viewer = require(Action.PLAN_IMPORT, slug)
    fields = ("file", *_HEADER_FIELDS)

    def record() -> str:
        data, filename, sha256 = stored_upload(slug)
        given, _ = _given()
        document = read_document(data, filename, given, require_number=False)
        if not document.header.number:
            raise WebError("Tài liệu không ghi số hiệu; hãy nhập số hiệu kế hoạch.",
                           field="number")
        result = dispatch(slug, ImportPlan(
            document=document, sha256=sha256,
            accept_problems=request.form.get("accept_problems") == "yes"), Context(viewer.name))
        assert isinstance(result, ImportResult)
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
        return _again(slug, field_errors(error, fields)), 422


def _again(slug: str, errors: dict[str, str]) -> str:
    """The preview again, with what was typed and what was wrong, when the file is still kept."""
    try:
        data, filename, sha256 = stored_upload(slug)
        document = read_document(data, filename, require_number=False)
    except DomainError:
        return _render(slug, errors=errors or {"file": "Hãy tải tệp lên lại."}, document=None)
    form = {name: request.form.get(name, "").strip() for name in _HEADER_FIELDS}
    return _preview_page(slug, document, filename, sha256, form, errors)
