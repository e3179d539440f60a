"""Tenants (provinces): the registry, provisioning, and where each tenant's log lives."""
