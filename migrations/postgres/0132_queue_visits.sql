-- When each principal last opened a tenant's work queue ("Việc cần xử lý"): auditors and
-- inspectors are shown what was recorded since their previous visit. Times are seconds since
-- the epoch (UTC).
CREATE TABLE r57_queue_visits (
    principal TEXT NOT NULL,
    tenant TEXT NOT NULL,
    previous_visit DOUBLE PRECISION,
    last_visit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (principal, tenant)
);
