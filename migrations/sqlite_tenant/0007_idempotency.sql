-- Idempotency keys of the tenant's commands, beside its events: a command's key and the
-- answer it gave are written in the transaction that records its events.
CREATE TABLE r57_idempotency_keys (
    tenant TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    headers TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant, idempotency_key)
);
CREATE INDEX r57_idempotency_keys_created_at ON r57_idempotency_keys (created_at);
