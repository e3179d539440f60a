-- The whole plan state as folded up to a log position, taken every few thousand events by
-- the projector (in the transaction that moves the tracking position) and by a rebuild: a
-- read "as known at" a past time starts from the latest checkpoint that time has seen and
-- folds only the events after it.
CREATE TABLE rm_checkpoints (
    tenant TEXT NOT NULL,
    position INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (tenant, position)
);
