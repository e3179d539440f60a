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
from service.ledger import Context
from service.tenancy import Tenancy
from tests.integration.test_read_models import plan

ON = date(2025, 9, 30)
TASKS = ["1", "2", "3", "4", "5", "6"]
AGENCIES = ["Sở Khoa học và Công nghệ", "Sở Y tế", "Sở Nội vụ", "Sở Tài chính"]
_slugs = itertools.count()

commands = st.one_of(
    st.tuples(st.just("deadline"), st.sampled_from(TASKS),
              st.sampled_from(["4/2025", "6/2025", "12/2025", "2026", "Quý III/2025"])),
    st.tuples(st.just("report"), st.sampled_from(TASKS),
              st.sampled_from(["2025-Q1", "2025-Q2", "2025"]), st.integers(0, 100)),
    st.tuples(st.just("verify"), st.sampled_from(TASKS), st.integers(1, 3)),
    st.tuples(st.just("return"), st.sampled_from(TASKS), st.integers(1, 3)),
    st.tuples(st.just("reassign"), st.sampled_from(TASKS), st.sampled_from(AGENCIES)),
    st.tuples(st.just("complete"), st.sampled_from(TASKS),
              st.dates(date(2025, 3, 1), date(2025, 12, 31))),
    st.tuples(st.just("cancel"), st.sampled_from(TASKS)),
    st.tuples(st.just("suspend"), st.sampled_from(TASKS)),
    st.tuples(st.just("resume"), st.sampled_from(TASKS)),
    st.tuples(st.just("trigger"), st.just("3"), st.dates(date(2025, 3, 1), date(2025, 9, 1))),
    st.tuples(st.just("value"), st.sampled_from(["1", "2"]), st.integers(0, 120)),
)


def run(ledger: Any, command: tuple[Any, ...]) -> None:
    ctx = Context(actor="prop", effective_on=date(2025, 3, 1))
    name, task, *rest = command
    calls = {
        "deadline": lambda: ledger.change_deadline(task, rest[0], "lý do", "QĐ", ctx),
        "report": lambda: ledger.report_progress(task, rest[0], rest[1], "tiến độ", ctx),
        "verify": lambda: ledger.verify_report(task, rest[0], "đạt", ctx),
        "return": lambda: ledger.return_report(task, rest[0], "thiếu", ctx),
        "reassign": lambda: ledger.reassign_task(task, [rest[0]], [], "lý do", "QĐ", ctx),
        "complete": lambda: ledger.complete_task(task, "1/KH", rest[0], ctx),
        "cancel": lambda: ledger.cancel_task(task, "lý do", "QĐ", ctx),
        "suspend": lambda: ledger.suspend_task(task, "lý do", "QĐ", ctx),
        "resume": lambda: ledger.resume_task(task, "lý do", "QĐ", ctx),
        "trigger": lambda: ledger.record_trigger(task, rest[0], "", ctx),
        "value": lambda: ledger.report_indicator(task, "2025", str(rest[0]), "nguồn", ctx),
    }
    try:
        calls[name]()
    except DomainError:
        pass  # a refused command records nothing; the sequence goes on


def snapshot(queries: Any, **when: Any) -> list[dict[str, Any]]:
    rows = [r.to_dict() for r in queries.status(ON, **when)]
    rows += [p.to_dict() for p in queries.indicators(**when)]
    return rows


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(commands, min_size=1, max_size=25))
def test_live_equals_rebuilt_and_known_at_equals_the_past_live_answer(
    tenancy: Tenancy, sequence: list[tuple[Any, ...]]
) -> None:
    slug = f"prop-{next(_slugs)}"
    tenancy.create_tenant(slug, "Tỉnh thử")
    ledger = tenancy.ledger(slug, for_writing=True)
    ledger.import_plan(plan(), "sha", Context(actor="prop"))
    queries = tenancy.queries(slug)
    seen: list[tuple[datetime, list[dict[str, Any]]]] = []
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
