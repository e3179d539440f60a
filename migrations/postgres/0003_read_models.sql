-- Read models of every tenant, in shared tables keyed by tenant, so an inspector's
-- query across the tenants it oversees is one indexed query.
CREATE TABLE rm_tracking (
    tenant TEXT PRIMARY KEY REFERENCES r57_tenants (slug),
    position BIGINT NOT NULL
);
CREATE TABLE rm_views (
    tenant TEXT NOT NULL REFERENCES r57_tenants (slug),
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, kind, id)
);
CREATE TABLE rm_entries (
    tenant TEXT NOT NULL REFERENCES r57_tenants (slug),
    position BIGINT NOT NULL,
    aggregate_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    event TEXT NOT NULL,
    change_type TEXT,
    actor TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    effective_on DATE,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, position)
);
CREATE INDEX rm_entries_aggregate ON rm_entries (tenant, aggregate_id, position);
CREATE INDEX rm_entries_change ON rm_entries (tenant, change_type, position)
    WHERE change_type IS NOT NULL;
CREATE INDEX rm_entries_subject ON rm_entries (tenant, subject, position);
CREATE INDEX rm_entries_actor ON rm_entries (tenant, actor, position);
CREATE INDEX rm_entries_recorded ON rm_entries (tenant, recorded_at, position);
CREATE INDEX rm_entries_effective ON rm_entries (tenant, effective_on, position);
CREATE TABLE rm_entry_agencies (
    tenant TEXT NOT NULL,
    agency TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (tenant, agency, position),
    FOREIGN KEY (tenant, position) REFERENCES rm_entries (tenant, position)
);
