-- A tenant whose history is simulated for demonstration (`r57 demo`): every page, answer,
-- export and bundle of it says so.
ALTER TABLE r57_tenants ADD COLUMN simulated BOOLEAN NOT NULL DEFAULT FALSE;
