-- Appending to an events table takes its EXCLUSIVE lock, so that notification ids are
-- issued in commit order and a reader following the log never skips an event. LOCK in that
-- mode needs UPDATE, DELETE or TRUNCATE on the table, which the service's restricted role
-- must never hold on events (docs: api/README.md). This function, owned by the owner and
-- run with its rights, takes that lock and nothing else, on events tables only.
CREATE OR REPLACE FUNCTION r57_lock_events(events_table regclass) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN IF events_table::text !~ '^(public\.)?(t_[a-z0-9_]+|r57_access)_events$' THEN RAISE EXCEPTION 'r57_lock_events: % is not an events table', events_table USING ERRCODE = '42501'; END IF; EXECUTE format('LOCK TABLE %s IN EXCLUSIVE MODE', events_table); END $$;
REVOKE ALL ON FUNCTION r57_lock_events(regclass) FROM PUBLIC;
