-- As on PostgreSQL: the change-type index serves the change log, which reads changes only.
DROP INDEX rm_entries_change;
CREATE INDEX rm_entries_change ON rm_entries (tenant, change_type, position)
    WHERE change_type IS NOT NULL;
