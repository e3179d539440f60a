-- A tenant's reminder schedule; a tenant without a row follows the defaults
-- (domain/reminders.py).
CREATE TABLE r57_reminder_schedules (
    tenant TEXT PRIMARY KEY,
    schedule TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
-- Each reminder once: the unique key says who is reminded of what, on which occasion (the
-- due date and threshold, the period, the returned report). Shown in the web at once; sent
-- by e-mail in the person's daily digest (`email`: pending, digested, skipped).
CREATE TABLE r57_reminders (
    id BIGSERIAL PRIMARY KEY,
    tenant TEXT NOT NULL,
    principal TEXT NOT NULL,
    task TEXT NOT NULL,
    kind TEXT NOT NULL,
    occasion TEXT NOT NULL,
    day TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    read_at DOUBLE PRECISION,
    email TEXT NOT NULL DEFAULT 'pending',
    digest_id BIGINT,
    CONSTRAINT r57_reminders_once UNIQUE (tenant, principal, task, kind, occasion)
);
CREATE INDEX r57_reminders_inbox ON r57_reminders (principal, created_at);
CREATE INDEX r57_reminders_to_digest ON r57_reminders (email, tenant, principal);
CREATE INDEX r57_reminders_digest ON r57_reminders (digest_id);
-- One e-mail per person, tenant and day: claimed (`claim`, `claimed_at`) before it is sent,
-- marked sent after; a failed send waits `next_attempt_at` and is tried again.
CREATE TABLE r57_reminder_digests (
    id BIGSERIAL PRIMARY KEY,
    tenant TEXT NOT NULL,
    principal TEXT NOT NULL,
    day TEXT NOT NULL,
    address TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DOUBLE PRECISION NOT NULL,
    claim TEXT,
    claimed_at DOUBLE PRECISION,
    sent_at DOUBLE PRECISION,
    last_error TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    CONSTRAINT r57_reminder_digests_once UNIQUE (tenant, principal, day)
);
CREATE INDEX r57_reminder_digests_due ON r57_reminder_digests (state, next_attempt_at);
-- Who chose not to receive reminders by e-mail (they stay in the web).
CREATE TABLE r57_email_opt_outs (
    principal TEXT PRIMARY KEY,
    opted_out_at DOUBLE PRECISION NOT NULL
);
