"""Read models built from each tenant's events."""
