-- A report's period and state beside its document: a catch-up after a report reads the
-- task's latest report of the same period (was the period reported before?) instead of
-- every report the task has, and the work queue finds the reports that wait for a decision
-- without decoding the others. Existing rows take them from their documents.
ALTER TABLE rm_task_reports ADD COLUMN period TEXT NOT NULL DEFAULT '';
ALTER TABLE rm_task_reports ADD COLUMN state TEXT NOT NULL DEFAULT 'submitted';
UPDATE rm_task_reports SET
    period = (doc::jsonb)->>'period',
    state = COALESCE((doc::jsonb)->>'state', 'submitted');
CREATE INDEX rm_task_reports_period ON rm_task_reports (tenant, task_id, period, number);
CREATE INDEX rm_task_reports_state ON rm_task_reports (tenant, state, task_id);
