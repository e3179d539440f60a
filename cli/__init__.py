"""The `r57` command line: each command parses its arguments, builds a command or a query
for the service layer, and prints the answer for a person or as JSON."""
