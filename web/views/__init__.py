"""The pages, one module per area; each lists its routes with the access they need."""
