"""Evidence files: the upload form and what the store answers."""

from __future__ import annotations

from marshmallow import fields

from api.schemas.common import Strict, Upload


class FileUploadFormSchema(Strict):
    file = Upload(required=True, metadata={
        "description": "PDF, DOCX, XLSX, ODT/ODS, PNG, JPEG, GIF or WEBP; the type is read "
                       "from the content."})


class StoredFileSchema(Strict):
    sha256 = fields.String(required=True, metadata={
        "description": "Cite it in a command's `files` list."})
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
