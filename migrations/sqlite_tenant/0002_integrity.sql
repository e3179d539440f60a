-- Tamper evidence (integrity/README.md): the tenant's log bound into a hash chain and a
-- Merkle tree, and the signed checkpoints over it, beside the events in the tenant's file.
-- How far the chain has bound the log.
CREATE TABLE integrity_tracking (
    tenant TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    tree_size INTEGER NOT NULL,
    chain_hash BLOB NOT NULL
);
CREATE TABLE integrity_chain (
    tenant TEXT NOT NULL,
    position INTEGER NOT NULL,
    leaf_index INTEGER NOT NULL,
    leaf_hash BLOB NOT NULL,
    chain_hash BLOB NOT NULL,
    PRIMARY KEY (tenant, position),
    UNIQUE (tenant, leaf_index)
);
-- body is the signed text itself; the other columns repeat it for queries.
CREATE TABLE integrity_checkpoints (
    tenant TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    last_position INTEGER NOT NULL,
    root_hash BLOB NOT NULL,
    issued_at TEXT NOT NULL,
    body TEXT NOT NULL,
    signature BLOB NOT NULL,
    PRIMARY KEY (tenant, tree_size, key_id)
);
