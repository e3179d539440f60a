"""Logs written before events were declared as classes load unchanged.

tests/fixtures/event_log.json holds one stored event of every kind, written by the ledger's
code as it stood before (tests/fixtures/make_event_log.py): topics and fields must still
decode to the declared classes, fold, and encode back to the same bytes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from domain.access import Principal
from domain.task import Task
from projections.specs import SPECS, fold
from service.access import ACCESS_FOLDS
from tests.fixtures.make_event_log import FixtureApplication

LOG = Path(__file__).parents[1] / "fixtures" / "event_log.json"


@pytest.fixture(scope="module")
def app() -> FixtureApplication:
    app = FixtureApplication()
    app.recorder.insert_events([
        StoredEvent(originator_id=UUID(e["originator_id"]),
                    originator_version=e["originator_version"], topic=e["topic"],
                    state=e["state"].encode("utf-8"))
        for e in json.loads(LOG.read_text(encoding="utf-8"))
    ])
    return app


def events(app: FixtureApplication) -> list[tuple[int, Any]]:
    return [(n.id, app.mapper.to_domain_event(n))
            for n in app.recorder.select_notifications(start=1, limit=1000)]


def test_every_topic_of_the_old_log_is_still_declared() -> None:
    topics = {e["topic"] for e in json.loads(LOG.read_text(encoding="utf-8"))}
    declared = {f"{cls.__module__}:{cls.__qualname__}" for cls in (*SPECS, *ACCESS_FOLDS)}
    assert len(topics) == 24 and topics <= declared  # every kind of event there was then


def test_every_stored_event_decodes_to_its_declared_class_and_encodes_back_the_same(
    app: FixtureApplication,
) -> None:
    for notification in app.recorder.select_notifications(start=1, limit=1000):
        event = app.mapper.to_domain_event(notification)
        assert type(event) in SPECS or type(event) in ACCESS_FOLDS
        again = app.mapper.to_stored_event(event)
        assert (again.topic, again.state) == (notification.topic, notification.state)


def test_the_old_log_folds_into_the_plan_state(app: FixtureApplication) -> None:
    state = fold(e for e in events(app) if not isinstance(e[1], Principal.Event))
    task = next(t for t in state.tasks.values() if t.number == "1")
    assert task.state == "completed" and task.completed_on == date(2025, 6, 1)
    assert task.deadline.text == "6/2025" and task.deadline_changes == 1
    assert task.slip_days == 91  # 31/03 to 30/06
    assert [(r.percent, r.state) for r in task.reports] == [(40, "verified"), (45, "returned")]
    assert task.leads == ("so khoa hoc va cong nghe",)
    conditional = next(t for t in state.tasks.values() if t.number == "2")
    assert conditional.state == "cancelled" and conditional.triggered_on == date(2025, 4, 1)
    (indicator,) = state.indicators.values()
    assert indicator.target.text == "≥ 90" and indicator.values[0].value == Decimal("62.5")
    assert state.agencies == {"so y te": "Sở Y tế tỉnh"}
    assert [p.number for p in state.plans.values()] == ["12/KH-UBND"]


def test_the_old_log_loads_its_aggregates(app: FixtureApplication) -> None:
    task_ids = {e.originator_id for _, e in events(app) if isinstance(e, Task.Added)}
    loaded = [app.repository.get(i) for i in task_ids]
    assert sorted(t.status for t in loaded) == ["cancelled", "completed"]
    (principal,) = {e.originator_id for _, e in events(app) if isinstance(e, Principal.Event)}
    reporter = app.repository.get(principal)
    assert reporter.grants == set() and reporter.tokens["abc123"][2] is False
