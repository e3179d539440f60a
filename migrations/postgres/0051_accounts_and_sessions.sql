-- Failed authentications, counted per (client address, account or token id) across workers.
CREATE TABLE r57_auth_failures (
    address TEXT NOT NULL,
    subject TEXT NOT NULL,
    failed_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX r57_auth_failures_pair ON r57_auth_failures (subject, address, failed_at);
CREATE INDEX r57_auth_failures_address ON r57_auth_failures (address, failed_at);
CREATE INDEX r57_auth_failures_at ON r57_auth_failures (failed_at);
-- An account or token locked on evidence of an attack (failures from many addresses).
CREATE TABLE r57_auth_locks (
    subject TEXT PRIMARY KEY,
    locked_until DOUBLE PRECISION NOT NULL,
    addresses INTEGER NOT NULL,
    locked_at DOUBLE PRECISION NOT NULL
);
-- Web sessions: the cookie carries an id whose hash is kept here; sign-out ends the row.
CREATE TABLE r57_sessions (
    id_hash TEXT PRIMARY KEY,
    principal TEXT NOT NULL,
    method TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    last_seen DOUBLE PRECISION NOT NULL,
    ended_at DOUBLE PRECISION,
    end_reason TEXT
);
CREATE INDEX r57_sessions_principal ON r57_sessions (principal, created_at);
-- Secrets of accounts (never in the event log, so they can be replaced and erased).
CREATE TABLE r57_credentials (
    principal TEXT PRIMARY KEY,
    password_hash TEXT,
    totp_secret TEXT,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    recovery_hashes TEXT NOT NULL DEFAULT '[]',
    updated_at DOUBLE PRECISION NOT NULL
);
-- One-time links to set a password, made by an administrator.
CREATE TABLE r57_reset_links (
    id_hash TEXT PRIMARY KEY,
    principal TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    used_at DOUBLE PRECISION
);
-- Every sign-in attempt: who (when known), from where, how, and what came of it.
CREATE TABLE r57_sign_ins (
    id BIGSERIAL PRIMARY KEY,
    at DOUBLE PRECISION NOT NULL,
    principal TEXT NOT NULL,
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    method TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX r57_sign_ins_principal ON r57_sign_ins (principal, at);
