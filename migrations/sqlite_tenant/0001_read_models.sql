-- Read models of one tenant, beside its events in the tenant's own file.
-- Timestamps are UTC ISO 8601 strings with microseconds, so text order is time order.
CREATE TABLE rm_tracking (
    tenant TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);
CREATE TABLE rm_views (
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, kind, id)
);
CREATE TABLE rm_entries (
    tenant TEXT NOT NULL,
    position INTEGER NOT NULL,
    aggregate_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    event TEXT NOT NULL,
    change_type TEXT,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    effective_on TEXT,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, position)
);
CREATE INDEX rm_entries_aggregate ON rm_entries (tenant, aggregate_id, position);
CREATE INDEX rm_entries_change ON rm_entries (tenant, change_type, position);
CREATE INDEX rm_entries_subject ON rm_entries (tenant, subject, position);
CREATE INDEX rm_entries_actor ON rm_entries (tenant, actor, position);
CREATE INDEX rm_entries_recorded ON rm_entries (tenant, recorded_at);
CREATE INDEX rm_entries_effective ON rm_entries (tenant, effective_on);
CREATE TABLE rm_entry_agencies (
    tenant TEXT NOT NULL,
    agency TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant, agency, position)
);
