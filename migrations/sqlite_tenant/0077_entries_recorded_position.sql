-- The entries by recording time carry their position, as on PostgreSQL: a read as known at
-- a time finds the last position recorded by then, and the first after it, from the index
-- alone instead of reading every entry's row on either side of that time.
DROP INDEX rm_entries_recorded;
CREATE INDEX rm_entries_recorded ON rm_entries (tenant, recorded_at, position);
