-- Each task's status row (what the status list and the summary show and judge its status
-- from), kept by the projector beside the task's view, in the same transaction as the
-- tracking position. Existing read models have no rows yet, so every tenant's read models
-- are emptied and brought back to position 0: the next catch-up rebuilds them.
CREATE TABLE rm_task_rows (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    number TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX rm_task_rows_number ON rm_task_rows (tenant, number);
DELETE FROM rm_entries;
DELETE FROM rm_views;
UPDATE rm_tracking SET position = 0;
