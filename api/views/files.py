"""Evidence files: upload one (reports and requests then cite its SHA-256), download one."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app

from api import scope
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.files import FileUploadFormSchema, StoredFileSchema
from domain.errors import NotFound
from domain.evidence import EvidenceFile
from domain.policy import Action
from service.downloads import attachment_headers

bp = ApiBlueprint("files", __name__, url_prefix=TENANT_PREFIX + "/files")


@bp.operation("", "POST", action=Action.FILE_UPLOAD, status=201, form=FileUploadFormSchema(),
              response=StoredFileSchema())
def upload_file(form: dict[str, Any]) -> EvidenceFile:
    """Store an evidence file once per content; the answer's sha256 is what commands cite."""
    upload = form["file"]
    return scope.ledger().files.put(upload.read(), upload.filename or "")


@bp.operation("/<sha256>", action=Action.READ_STATUS)
def download_file(sha256: str) -> Response:
    """Download an evidence file of the tenant, as an attachment of its sniffed type."""
    store = scope.ledger().files
    described = store.describe(sha256.lower())
    content = store.content(sha256.lower()) if described else None
    if described is None or content is None:
        raise NotFound("file.not_found", field="sha256", sha256=sha256[:64])
    return current_app.response_class(content, headers=attachment_headers(described))
