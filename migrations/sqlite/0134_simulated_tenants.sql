-- A tenant whose history is simulated for demonstration (`r57 demo`): every page, answer,
-- export and bundle of it says so.
ALTER TABLE r57_tenants ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1));
