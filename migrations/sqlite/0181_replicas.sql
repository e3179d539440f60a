-- Tenants replicated from another deployment (service/replication.py): where the source
-- is, the keys pinned when the replica was added, how far its log was copied and how far
-- it was verified against the source's signed checkpoints, and why it stopped if it did.
CREATE TABLE r57_replicas (
    slug TEXT PRIMARY KEY,
    source_url TEXT NOT NULL,
    source_tenant TEXT NOT NULL,
    token TEXT NOT NULL,
    public_keys TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    tree_size BIGINT NOT NULL DEFAULT 0,
    recorded_at TEXT,
    verified_size BIGINT NOT NULL DEFAULT 0,
    verified_position BIGINT NOT NULL DEFAULT 0,
    verified_checkpoint TEXT,
    source_position BIGINT NOT NULL DEFAULT 0,
    source_recorded_at TEXT,
    synced_at TEXT,
    refused_at TEXT,
    refusal TEXT,
    created_at TEXT NOT NULL
);
