-- Only the change log filters by actor and effective date, and it reads changes only:
-- indexing every other entry slowed catch-up and rebuild for nothing.
DROP INDEX rm_entries_actor;
DROP INDEX rm_entries_effective;
CREATE INDEX rm_entries_actor ON rm_entries (tenant, actor, position)
    WHERE change_type IS NOT NULL;
CREATE INDEX rm_entries_effective ON rm_entries (tenant, effective_on, position)
    WHERE change_type IS NOT NULL;
