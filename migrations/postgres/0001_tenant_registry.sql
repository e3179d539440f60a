-- The provinces hosted by this service. Their events live in their own tables.
CREATE TABLE r57_tenants (
    slug TEXT PRIMARY KEY CHECK (slug ~ '^[a-z0-9](-?[a-z0-9])*$' AND length(slug) <= 40),
    display_name TEXT NOT NULL,
    admin_code TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
