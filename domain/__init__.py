"""The R57 plan domain: aggregates, events, value types and rules. No I/O."""
