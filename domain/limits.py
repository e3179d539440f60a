"""The longest text a task's commands accept in each field, in characters: the API's schemas
and the web's forms both refuse longer text, each in its own words."""

from __future__ import annotations

REASON = 2000  # why a change, a request or a return is made
NOTE = 2000  # a note on a decision, a completion or a condition met
DECISION_REF = 200  # the deciding document, e.g. 123/QĐ-UBND
TITLE = 2000  # a task's wording
EXPECTED_OUTPUT = 2000  # a task's expected output (Kết quả)
DEADLINE = 200  # a deadline as written, e.g. Quý III/2025
PERIOD = 20  # a reporting period's code, e.g. 2025-Q2
REPORT_TEXT = 10_000  # a report's results, difficulties and proposals
EVIDENCE = 300  # one evidence line of a report
EVIDENCE_LINES = 50
AGENCY = 300  # an agency's name
OUTPUT_DOCUMENT = 300  # the document a completed task produced
DIRECTION = 10_000  # a direction of the standing body on a task
ANSWER = 10_000  # an agency's answer to a direction
