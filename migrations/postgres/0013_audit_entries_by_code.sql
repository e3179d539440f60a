-- Audit entries keep a message code and its parameters instead of an English summary.
-- Entries written before say it only in English, so every tenant's read models are
-- emptied and brought back to position 0: the next catch-up rebuilds them from the events.
DELETE FROM rm_entries;
DELETE FROM rm_views;
UPDATE rm_tracking SET position = 0;
