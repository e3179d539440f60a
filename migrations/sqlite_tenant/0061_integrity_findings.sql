-- Acting on tampering (integrity/README.md): the latest live verification of the tenant's
-- log, which every read of that tenant consults to warn while it failed, and each integrity
-- command an operator ran despite a failed verification.
CREATE TABLE integrity_verifications (
    tenant TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    first_position INTEGER,
    first_reason TEXT NOT NULL
);
CREATE TABLE integrity_overrides (
    tenant TEXT NOT NULL,
    done_at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    failures INTEGER NOT NULL,
    first_position INTEGER,
    first_reason TEXT NOT NULL
);
CREATE INDEX integrity_overrides_by_tenant ON integrity_overrides (tenant, done_at);
