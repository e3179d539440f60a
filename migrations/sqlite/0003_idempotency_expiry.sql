-- Idempotency keys expire (24 hours by default); pruning finds the expired ones by age.
CREATE INDEX r57_idempotency_keys_created_at ON r57_idempotency_keys (created_at);
