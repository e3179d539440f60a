-- Evidence files, content-addressed within a tenant: events name a file by its SHA-256, so the
-- hash chain covers the content; the same file uploaded twice is stored once.
CREATE TABLE evidence_files (
    tenant TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, sha256)
);
