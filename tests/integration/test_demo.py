"""The demo: plan 1534 with its simulated history, recorded at its dates, flagged simulated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.accounts import Account, TenantPolicy
from domain.agency import Agency
from domain.clock import fixed
from domain.indicator import Indicator
from domain.lineage import TenantLineage
from domain.status import StatusClass
from domain.task import Task
from importers import read_plan_document
from projections.change_log import ChangeFilter
from service.config import Settings
from service.container import build_tenancy
from service.demo import HISTORY, build_demo, evidence_pdf, load, script
from service.integrity import TenantIntegrity
from service.tenancy import Tenancy
from tests.unit.test_event_specs import aggregates, event_classes

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 on 29/11/2026 in Vietnam
TODAY = date(2026, 11, 29)

# Events the demo cannot record, and why.
CANNOT_APPEAR = {
    Task.Completed: "written by logs from before completions were reviewed; no command "
                    "records it any more (completions are requested, then accepted)",
    Agency.CollectiveMarked: "every collective plan 1534 names is recognised by its name "
                             "(\"Các Sở, ban, ngành\", \"UBND các huyện, ...\"), so the "
                             "standing body never has to mark one",
    # The demo is one tenant: a merger of tenants is recorded in the tenant that absorbs another.
    Task.Carried: "written only when a tenant merger carries another tenant's tasks over",
    Indicator.Carried: "written only when a tenant merger carries another tenant's indicators "
                       "over",
    TenantLineage.MergerRecorded: "written only in the tenant a merger creates",
}
ACCESS_LOG = {
    "Principal": "people and their grants live in the shared access log, not a tenant's",
    "Account": "passwords and second factors live in the shared access log",
    "TenantPolicy": "a tenant's sign-in policy lives in the shared access log",
}


@pytest.fixture
def demo(settings: Settings) -> Iterator[Tenancy]:
    tenancy = build_tenancy(settings)
    tenancy.clock = fixed(NOW)
    result = build_demo(tenancy)
    assert result.built and result.recorded > 500
    yield tenancy
    tenancy.close()


def topics(tenancy: Tenancy, slug: str) -> list[str]:
    app, found, start = tenancy.application(slug), [], 1
    while batch := app.recorder.select_notifications(start=start, limit=1000):
        found += [n.topic for n in batch]
        start = batch[-1].id + 1
    return found


def test_the_demo_log_holds_every_event_type_a_tenant_records(demo: Tenancy) -> None:
    recorded = set(topics(demo, "demo"))
    expected = {
        f"{cls.__module__}:{cls.__qualname__}"
        for aggregate in aggregates() if aggregate.__name__ not in ACCESS_LOG
        for cls in event_classes(aggregate) if cls not in CANNOT_APPEAR
    }
    assert len(expected) > 25
    assert expected - recorded == set()
    for cls in CANNOT_APPEAR:
        assert f"{cls.__module__}:{cls.__qualname__}" not in recorded
    assert {a.__name__ for a in aggregates()} >= set(ACCESS_LOG)
    assert {Account.__name__, TenantPolicy.__name__} <= set(ACCESS_LOG)


def test_the_tenant_is_flagged_simulated_and_others_are_not(demo: Tenancy) -> None:
    demo.create_tenant("quang-ngai", "Quảng Ngãi", "51")
    assert demo.registry.get("demo").simulated is True
    assert demo.registry.get("quang-ngai").simulated is False
    assert build_demo(demo).built is False  # made once; a second run records nothing


def read_models(tenancy: Tenancy, slug: str) -> dict[str, Any]:
    queries = tenancy.queries(slug)
    return {
        "status": queries.status(TODAY),
        "summary": queries.summary(TODAY),
        "scorecard": queries.scorecard(2025, TODAY),
        "indicators": queries.indicators(),
        "history": [queries.history(n) for n in ("1", "5", "7", "38", "45", "61")],
        "topics": topics(tenancy, slug),
    }


def test_two_builds_record_the_same_history(demo: Tenancy) -> None:
    build_demo(demo, slug="demo-again")
    first, second = read_models(demo, "demo"), read_models(demo, "demo-again")
    assert first == second
    history = load(HISTORY)
    document_steps = [(s.at, s.what) for s in script(history, _document(), "x", demo.clock)]
    assert document_steps == [(s.at, s.what) for s in script(history, _document(), "x",
                                                             demo.clock)]
    assert evidence_pdf("Kế hoạch số 1", "2025-03-14") == evidence_pdf("Kế hoạch số 1",
                                                                       "2025-03-14")


def _document() -> Any:
    return read_plan_document(HISTORY.parent / load(HISTORY)["plan_document"])


def test_events_are_recorded_at_the_dates_of_the_story(demo: Tenancy) -> None:
    queries, clock = demo.queries("demo"), demo.clock
    trail = queries.history("1")
    assert clock.local(trail[0].recorded_at).date() == date(2025, 2, 28)  # the import
    requested = next(e for e in trail if e.event == "CompletionRequested")
    assert clock.local(requested.recorded_at).date() == date(2025, 3, 14)
    assert requested.effective_on == date(2025, 3, 14)
    corrected = next(e for e in trail if e.event == "CompletionDateCorrected")
    assert clock.local(corrected.recorded_at).date() == date(2025, 11, 10)
    times = [e.recorded_at for e in trail]
    assert times == sorted(times) and max(times) < NOW


def test_as_known_at_an_earlier_date_shows_the_earlier_state(demo: Tenancy) -> None:
    queries, clock = demo.queries("demo"), demo.clock
    april = clock.end_of_day(date(2025, 4, 1))
    then = {r.number: r for r in queries.status(date(2025, 4, 1), known_at=april)}
    now = {r.number: r for r in queries.status(TODAY)}
    assert (then["5"].deadline, now["5"].deadline) == ("3/2025", "6/2025")
    assert then["23"].status is not StatusClass.CANCELLED
    assert now["23"].status is StatusClass.CANCELLED
    assert "61" not in then and "61" in now
    assert then["7"].status in (StatusClass.DONE_LATE, StatusClass.DONE_ON_TIME)
    assert now["7"].status in (StatusClass.DONE_LATE, StatusClass.DONE_ON_TIME)
    before_import = clock.end_of_day(date(2025, 2, 27))
    assert queries.status(date(2025, 2, 27), known_at=before_import) == []
    # the story has every kind of outcome today
    classes = {r.status for r in now.values()}
    assert {StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.OPEN_OVERDUE,
            StatusClass.CANCELLED} <= classes


def test_the_change_log_and_the_chain_hold_the_history_as_recorded(demo: Tenancy) -> None:
    queries, clock = demo.queries("demo"), demo.clock
    july = ChangeFilter(recorded_from=clock.start_of_day(date(2025, 7, 1)),
                        recorded_to=clock.end_of_day(date(2025, 7, 31)))
    kinds = {e.change_type for e in queries.changes(july, 500).entries}
    assert {"agency_renamed", "reassigned", "target_changed"} <= kinds
    assert "cancelled" not in kinds  # task 23 was cancelled in June
    renamed = queries.changes(ChangeFilter(types=("agency_renamed",)), 50).entries
    assert len(renamed) == 4
    assert {clock.local(e.recorded_at).date() for e in renamed} == {date(2025, 7, 1)}
    report = TenantIntegrity(demo.application("demo")).verify_live()
    assert report.ok and report.entries == len(topics(demo, "demo"))


def test_the_plan_is_revised_by_an_amending_decision_the_later_story_builds_on(
        demo: Tenancy) -> None:
    queries, clock = demo.queries("demo"), demo.clock
    [plan] = queries.plans()
    [revision] = plan.revisions
    assert revision.amending == "Quyết định số 468/QĐ-UBND"
    assert (revision.amending_on, revision.effective_on) == (date(2025, 10, 15),
                                                             date(2025, 10, 15))
    assert clock.local(revision.recorded_at).date() == date(2025, 10, 16)
    assert revision.counts["added"] == 1 and revision.counts["removed"] == 0
    # the change log files the revision and each change it made, citing the decision
    log = queries.changes(ChangeFilter(recorded_from=clock.start_of_day(date(2025, 10, 16)),
                                       recorded_to=clock.end_of_day(date(2025, 10, 16))),
                          100).entries
    cited = [e for e in log if e.document.startswith("Quyết định số 468/QĐ-UBND")
             or e.params.get("amending", "").startswith("Quyết định số 468/QĐ-UBND")]
    assert {(e.change_type, e.subject) for e in cited} >= {
        ("plan_revised", "plan 1534/KH-UBND"), ("reworded", "task 2"),
        ("deadline_changed", "task 2"), ("deadline_changed", "task 40"),
        ("task_added", "task 62")}
    # the task it added is in the plan and reported on like the others; none was removed
    now = {r.number: r for r in queries.status(TODAY)}
    assert now["62"].deadline == "6/2026" and now["40"].deadline == "6/2026"
    assert [r for r in queries.history("62") if r.event == "ProgressReported"]
    before = {r.number for r in queries.status(
        date(2025, 10, 14), known_at=clock.end_of_day(date(2025, 10, 14)))}
    assert before - set(now) == set() and set(now) - before == {"62"}
