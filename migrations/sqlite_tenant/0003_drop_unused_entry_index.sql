-- Audit trails are read by subject; no query reads entries by aggregate id, and every
-- index slows the bulk writes of catch-up and rebuild.
DROP INDEX rm_entries_aggregate;
