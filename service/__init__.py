"""Application wiring: configuration, the ledger services, the CLI and the WSGI entry."""
