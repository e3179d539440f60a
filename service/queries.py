"""A tenant's reads: its events in log order, folded into plan state on demand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from domain.errors import NotFound
from projections.audit import AuditEntry, describe
from projections.plan_state import PlanState, fold
from service.application import LedgerApplication

PAGE = 1000


def read_events(app: LedgerApplication, after: int = 0) -> Iterator[tuple[int, Any]]:
    """(position, domain event) pairs of the tenant's log, after a position, in order."""
    start = after + 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        for notification in page:
            yield notification.id, app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


class TenantQueries:
    def __init__(self, app: LedgerApplication) -> None:
        self.app = app

    def state(self, *, known_at: datetime | None = None,
              effective_on: date | None = None) -> PlanState:
        return fold(read_events(self.app), known_at=known_at, effective_on=effective_on)

    def history(self, number: str, plan: str | None = None) -> list[AuditEntry]:
        state = self.state()
        matches = [t for t in state.sorted_tasks() if t.number == number.strip().rstrip(".")
                   and (plan is None or state.plans[t.plan_id].number == plan)]
        if not matches:
            raise NotFound(f"No task {number}.", field="task")
        task_id = matches[0].id
        entries = []
        for position, event in read_events(self.app):
            if event.originator_id == task_id:
                entries.append(describe(position, event, state.agency_name))
        return entries
