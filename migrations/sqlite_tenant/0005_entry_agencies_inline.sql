-- The agencies a change concerns, inline as '|key|key|': the change log filters them within
-- one tenant's changes, and a row per agency cost more to write than it saved to read.
ALTER TABLE rm_entries ADD COLUMN agencies TEXT NOT NULL DEFAULT '';
UPDATE rm_entries SET agencies = COALESCE((
    SELECT '|' || group_concat(a.agency, '|') || '|' FROM rm_entry_agencies a
    WHERE a.tenant = rm_entries.tenant AND a.position = rm_entries.position), '');
DROP TABLE rm_entry_agencies;
