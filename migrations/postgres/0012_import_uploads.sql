-- Plan documents kept between an import's preview and its confirmation, per tenant, under
-- their SHA-256, so confirming never uploads the file again. Pruned after 24 hours.
CREATE TABLE r57_import_uploads (
    tenant TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    data BYTEA NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (tenant, sha256)
);
CREATE INDEX r57_import_uploads_uploaded_at ON r57_import_uploads (uploaded_at);
