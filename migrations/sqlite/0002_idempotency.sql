-- Idempotency keys of commands, per tenant (the empty tenant is the registry itself).
-- A retried request with the same key gets the stored response and records nothing new.
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
