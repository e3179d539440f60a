-- Pages of a tenant ask which tenants were merged into it: read by an index, whatever
-- the number of tenants.
CREATE INDEX IF NOT EXISTS r57_tenants_merged_into ON r57_tenants (merged_into)
    WHERE merged_into IS NOT NULL;
