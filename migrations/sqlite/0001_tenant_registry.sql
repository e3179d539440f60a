-- The provinces hosted by this service. Their events live in their own logs.
CREATE TABLE r57_tenants (
    slug TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    admin_code TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
