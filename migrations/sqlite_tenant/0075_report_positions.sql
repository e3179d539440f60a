-- The log positions that made each report what it is: submitted at `position`, decided
-- (verified or returned) first at `decided_from` and last at `decided`. A report as known
-- at a past position is then read from its row, and the fold checkpoints keep no report:
-- their size stays that of the plan, not of its history. The read models are emptied and
-- brought back to position 0: the next catch-up rebuilds them with the positions.
ALTER TABLE rm_task_reports ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rm_task_reports ADD COLUMN decided_from INTEGER;
ALTER TABLE rm_task_reports ADD COLUMN decided INTEGER;
DELETE FROM rm_entries;
DELETE FROM rm_views;
DELETE FROM rm_task_rows;
DELETE FROM rm_task_reports;
DELETE FROM rm_checkpoints;
UPDATE rm_tracking SET position = 0;
