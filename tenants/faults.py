"""Injectable failure points on the write path, for the fault tests and nothing else.

`arm(point)` (from `R57_FAULT_POINT`, read once by the settings) makes the process end at
once, as `kill -9` would, when a command reaches that point: no commit, no cleanup, no
answer. Unarmed, `reached` is one comparison.
"""

from __future__ import annotations

import os

# In the order a command passes them.
COMMAND_POINTS = (
    "before_events",  # the key looked up, the command about to record
    "after_events",  # events inserted, in the open transaction
    "after_chain",  # chain links written, in the open transaction
    "after_answer",  # the key and its answer written, not yet committed
    "after_commit",  # committed, the answer not yet sent
)
POINTS = (
    *COMMAND_POINTS,
    "reminders_after_claim",  # a reminder digest claimed for sending, not yet sent
)
_ARMED: dict[str, str] = {}


def arm(point: str | None) -> None:
    if point is not None and point not in POINTS:
        raise ValueError(f"Unknown fault point {point!r}; one of {', '.join(POINTS)}.")
    _ARMED.clear()
    if point is not None:
        _ARMED["point"] = point


def reached(point: str) -> None:
    if _ARMED and _ARMED.get("point") == point:
        os._exit(137)
