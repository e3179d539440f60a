"""Plan reports over HTTP: summary, scorecard, indicator progress, change log and diff."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from domain.access import Role
from tests.api.conftest import assert_problem
from tests.api.principals import login


def post(client: FlaskClient, path: str, body: dict[str, object]) -> None:
    response = client.post(path, json=body)
    assert response.status_code in (200, 201), response.get_json()


def test_the_summary_counts_classes_per_group_and_lead(client: FlaskClient, seeded: str) -> None:
    summary = client.get(f"{seeded}/summary?on=01/04/2025").get_json()
    assert summary["on"] == "2025-04-01" and summary["period"] == "2025-Q2"
    assert summary["overall"]["total"] == 60
    assert sum(c["total"] for c in summary["by_group"].values()) == 60
    # Group I: eight tasks due by 3/2025; task 4 waits for the central government.
    assert summary["by_group"]["I"]["open_overdue"] == 8
    assert "Sở Khoa học và Công nghệ" in summary["by_lead"]
    assert all(t["due"] <= "2025-05-01" for t in summary["due_soon"])


def test_the_scorecard_ranks_agencies_and_states_its_rule(
    client: FlaskClient, seeded: str
) -> None:
    post(client, f"{seeded}/tasks/7/complete",
         {"output_document": "15/KH-UBND", "completed_on": "2025-02-28"})
    card = client.get(f"{seeded}/scorecard?year=2025").get_json()
    assert "Ranking" in card["rule"]
    ranks = [a["rank"] for a in card["agencies"]]
    assert ranks == list(range(1, len(ranks) + 1))
    science = next(a for a in card["agencies"] if a["agency"] == "Sở Khoa học và Công nghệ")
    assert science["done_on_time"] == 1
    assert_problem(client.get(f"{seeded}/scorecard"), 422)
    assert_problem(client.get(f"{seeded}/scorecard?year=1066"), 422)


def test_indicator_progress_shows_the_latest_value_against_the_target(
    client: FlaskClient, seeded: str
) -> None:
    post(client, f"{seeded}/indicators/7.1/values",
         {"period": "2025", "value": "82,5", "source": "Báo cáo 30/BC-SKHCN"})
    items = {i["code"]: i for i in client.get(f"{seeded}/indicator-progress").get_json()["items"]}
    assert len(items) == 40
    assert (items["7.1"]["latest_value"], items["7.1"]["met"]) == ("82.5", True)
    assert items["7"]["is_heading"] and items["18"]["met"] is None


def test_the_change_log_filters_and_pages(client: FlaskClient, seeded: str) -> None:
    for month in (4, 5, 6):
        post(client, f"{seeded}/tasks/5/deadline",
             {"deadline": f"{month}/2025", "reason": "Lùi hạn", "decision_ref": "QĐ"})
    post(client, f"{seeded}/tasks/9/reassign", {"leads": ["Sở Y tế"], "reason": "Chức năng"})
    first = client.get(f"{seeded}/changes?type=deadline_changed&limit=2").get_json()
    assert [e["change_type"] for e in first["entries"]] == ["deadline_changed"] * 2
    rest = client.get(f"{seeded}/changes?type=deadline_changed&limit=2"
                      f"&cursor={first['next_cursor']}").get_json()
    assert len(rest["entries"]) == 1 and rest["next_cursor"] is None
    by_agency = client.get(f"{seeded}/changes?agency=Sở Y tế").get_json()
    assert [e["subject"] for e in by_agency["entries"]] == ["task 9"]
    assert_problem(client.get(f"{seeded}/changes?type=renamed_everything"), 422)
    assert_problem(client.get(f"{seeded}/changes?cursor=forged"), 422)


def test_the_diff_reads_what_moved_between_two_times(client: FlaskClient, seeded: str) -> None:
    before = datetime.now(UTC).isoformat()
    post(client, f"{seeded}/tasks/5/deadline", {"deadline": "9/2025", "reason": "Lùi hạn"})
    after = datetime.now(UTC).isoformat()
    diff = client.get(f"{seeded}/diff", query_string={"before": before, "after": after})
    items = diff.get_json()["items"]
    assert [(i["kind"], i["subject"], i["after"]) for i in items] == [
        ("deadline_moved", "task 5", "9/2025")]
    assert_problem(client.get(f"{seeded}/diff", query_string={"before": after,
                                                              "after": before}), 422)


def test_an_inspector_reads_the_change_log_but_not_the_diff(app: Flask, seeded: str) -> None:
    inspector = login(app, "test.inspector", (Role.INSPECTOR, "quang-nam", ""))
    assert inspector.get(f"{seeded}/changes").status_code == 200
    assert inspector.get(f"{seeded}/summary").status_code == 200
    assert_problem(inspector.get(f"{seeded}/diff?before=2025-01-01&after=2025-12-31"), 403)
