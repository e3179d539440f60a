-- The agencies a change concerns, inline as '|key|key|': the change log filters them within
-- one tenant's changes, and a row per agency cost more to write than it saved to read.
ALTER TABLE rm_entries ADD COLUMN agencies TEXT NOT NULL DEFAULT '';
UPDATE rm_entries e SET agencies = '|' || a.keys || '|'
    FROM (SELECT tenant, position, string_agg(agency, '|' ORDER BY agency) AS keys
          FROM rm_entry_agencies GROUP BY tenant, position) a
    WHERE a.tenant = e.tenant AND a.position = e.position;
DROP TABLE rm_entry_agencies;
