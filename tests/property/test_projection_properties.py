"""Random valid command sequences: the live read models equal a rebuild, and a read
"as known at T" equals the live answer given when the clock stood at T."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from service.commands import (
    CancelTask,
    ChangeDeadline,
    Command,
    CompleteTask,
    Context,
    ImportPlan,
    ReassignTask,
    RecordTrigger,
    ReportIndicatorValue,
    ReportProgress,
    ResumeTask,
    ReturnReport,
    SuspendTask,
    VerifyReport,
)
from service.tenancy import Tenancy
from tests.integration.test_read_models import plan

ON = date(2025, 9, 30)
TASKS = ["1", "2", "3", "4", "5", "6"]
AGENCIES = ["Sở Khoa học và Công nghệ", "Sở Y tế", "Sở Nội vụ", "Sở Tài chính"]
_slugs = itertools.count()

tasks = st.sampled_from(TASKS)
reports = st.integers(1, 3)
dates = st.dates(date(2025, 3, 1), date(2025, 12, 31))
decided = {"reason": st.just("lý do"), "decision_ref": st.just("QĐ")}

commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(ChangeDeadline, task=tasks, **decided, deadline=st.sampled_from(
        ["4/2025", "6/2025", "12/2025", "2026", "Quý III/2025"])),
    st.builds(ReportProgress, task=tasks, period=st.sampled_from(["2025-Q1", "2025-Q2", "2025"]),
              percent=st.integers(0, 100), narrative=st.just("tiến độ")),
    st.builds(VerifyReport, task=tasks, report=reports, note=st.just("đạt")),
    st.builds(ReturnReport, task=tasks, report=reports, reason=st.just("thiếu")),
    st.builds(ReassignTask, task=tasks, **decided,
              leads=st.sampled_from(AGENCIES).map(lambda agency: (agency,))),
    st.builds(CompleteTask, task=tasks, output_document=st.just("1/KH"), completed_on=dates),
    *(st.builds(cls, task=tasks, **decided) for cls in (CancelTask, SuspendTask, ResumeTask)),
    st.builds(RecordTrigger, task=st.just("3"),
              triggered_on=st.dates(date(2025, 3, 1), date(2025, 9, 1))),
    st.builds(ReportIndicatorValue, indicator=st.sampled_from(["1", "2"]),
              period=st.just("2025"), value=st.integers(0, 120).map(str),
              source=st.just("nguồn")),
)


def run(ledger: Any, command: Command) -> None:
    try:
        ledger.handle(command, Context(actor="prop", effective_on=date(2025, 3, 1)))
    except DomainError:
        pass  # a refused command records nothing; the sequence goes on


def snapshot(queries: Any, **when: Any) -> list[Any]:
    return [*queries.status(ON, **when), *queries.indicators(**when)]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(commands, min_size=1, max_size=25))
def test_live_equals_rebuilt_and_known_at_equals_the_past_live_answer(
    tenancy: Tenancy, sequence: list[Command]
) -> None:
    slug = f"prop-{next(_slugs)}"
    tenancy.create_tenant(slug, "Tỉnh thử")
    ledger = tenancy.ledger(slug, for_writing=True)
    ledger.handle(ImportPlan(document=plan(), sha256="sha"), Context(actor="prop"))
    queries = tenancy.queries(slug)
    seen: list[tuple[datetime, list[Any]]] = []
    for command in sequence:
        run(ledger, command)
        seen.append((datetime.now(UTC), snapshot(queries)))
        time.sleep(0.001)  # so that the next event is recorded strictly later
    assert queries.check() == []
    live = snapshot(queries)
    queries.rebuild()
    assert snapshot(queries) == live
    for moment, answer in seen:
        assert snapshot(queries, known_at=moment) == answer
