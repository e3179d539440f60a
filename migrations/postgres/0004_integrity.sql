-- Tamper evidence (integrity/README.md): each tenant's log bound into a hash chain and a
-- Merkle tree, and the signed checkpoints over it. Shared tables keyed by tenant.
-- How far the chain has bound the tenant's log; its row is the chain's per-tenant lock.
CREATE TABLE integrity_tracking (
    tenant TEXT PRIMARY KEY REFERENCES r57_tenants (slug),
    position BIGINT NOT NULL,
    tree_size BIGINT NOT NULL,
    chain_hash BYTEA NOT NULL
);
CREATE TABLE integrity_chain (
    tenant TEXT NOT NULL REFERENCES r57_tenants (slug),
    position BIGINT NOT NULL,
    leaf_index BIGINT NOT NULL,
    leaf_hash BYTEA NOT NULL,
    chain_hash BYTEA NOT NULL,
    PRIMARY KEY (tenant, position),
    UNIQUE (tenant, leaf_index)
);
-- body is the signed text itself; the other columns repeat it for queries.
CREATE TABLE integrity_checkpoints (
    tenant TEXT NOT NULL REFERENCES r57_tenants (slug),
    tree_size BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    last_position BIGINT NOT NULL,
    root_hash BYTEA NOT NULL,
    issued_at TEXT NOT NULL,
    body TEXT NOT NULL,
    signature BYTEA NOT NULL,
    PRIMARY KEY (tenant, tree_size, key_id)
);
