-- Entries and their agency rows are derived data, written only by the projector in the
-- transaction that also moves the tenant's tracking row (which keeps its foreign key).
-- Per-row foreign-key checks made bulk catch-up and rebuild several times slower.
ALTER TABLE rm_entry_agencies DROP CONSTRAINT IF EXISTS rm_entry_agencies_tenant_position_fkey;
ALTER TABLE rm_entries DROP CONSTRAINT IF EXISTS rm_entries_tenant_fkey;
ALTER TABLE rm_views DROP CONSTRAINT IF EXISTS rm_views_tenant_fkey;
