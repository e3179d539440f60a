"""Official outputs: the periodic report as an administrative document (Word, PDF) and the
spreadsheets handed over with it. Built from the read models; no Flask here."""
