-- Deleting a tenant's entries (a rebuild) checks the agency rows' foreign key per entry:
-- without an index leading with (tenant, position) each check scanned the tenant's rows.
CREATE INDEX rm_entry_agencies_entry ON rm_entry_agencies (tenant, position);
