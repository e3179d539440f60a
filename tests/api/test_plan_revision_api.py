"""Revising a plan through the API, on both stores: `preview=true` answers the differences
and records nothing; without it they are recorded once, citing the amending decision."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.conftest import assert_problem, events
from tests.fixtures import REGROUPED_SEED, REVISED_SEED

FORM = {"plan": "1534/KH-UBND", "amending": "Quyết định số 245/QĐ-UBND",
        "amending_on": "15/07/2025"}


def revise(client: FlaskClient, base: str, **form: Any) -> Any:
    with REVISED_SEED.open("rb") as stream:
        return client.post(f"{base}/plans/revisions",
                           data={"file": (stream, REVISED_SEED.name), **FORM, **form},
                           content_type="multipart/form-data")


def test_a_preview_answers_the_differences_and_records_nothing(
        client: FlaskClient, seeded: str) -> None:
    before = len(events(client, seeded))
    response = revise(client, seeded, preview="true")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [(c["task"], c["written_number"], c["kinds"]) for c in body["changes"]] == [
        ("2", "2", ["reworded"]), ("3", "3", ["deadline_changed"]),
        ("9", "8", ["lead_changed"]), ("61", "60", ["added"]), ("7", None, ["removed"])]
    lead = body["changes"][2]
    assert (lead["before"]["leads"], lead["after"]["leads"]) == (
        ["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"])
    assert (body["recorded"], body["unchanged"], body["new_agencies"]) == (
        False, 56, ["Sở Ngoại vụ"])
    assert len(events(client, seeded)) == before


def test_recording_cites_the_decision_and_a_second_time_records_nothing(
        client: FlaskClient, seeded: str) -> None:
    before = len(events(client, seeded))
    response = revise(client, seeded)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["recorded"] and body["counts"]["added"] == 1
    recorded = events(client, seeded)[before:]
    assert len(recorded) == body["events"] == 7
    assert body["position"] == len(events(client, seeded))
    task = client.get(f"{seeded}/tasks/3").get_json()
    assert task["deadline"] == "9/2025"
    changes = client.get(f"{seeded}/changes?type=reworded").get_json()["entries"]
    assert [(c["subject"], c["document"], c["effective_on"]) for c in changes] == [
        ("task 2", "Quyết định số 245/QĐ-UBND", "2025-07-15")]
    (revised,) = client.get(f"{seeded}/changes?type=plan_revised").get_json()["entries"]
    assert revised["summary"] == ("Revised by Quyết định số 245/QĐ-UBND: added 1, removed 1, "
                                  "reworded 1, deadline changed 1, lead changed 1")
    (plan,) = client.get(f"{seeded}/plans").get_json()["items"]
    (revision,) = plan["revisions"]
    assert (revision["amending"], revision["amending_on"], revision["effective_on"]) == (
        "Quyết định số 245/QĐ-UBND", "2025-07-15", "2025-07-15")
    again = revise(client, seeded)
    assert again.status_code == 200 and again.get_json()["recorded"] is False
    assert len(events(client, seeded)) == before + 7


def test_an_unknown_plan_is_refused_and_nothing_is_stored(
        client: FlaskClient, seeded: str) -> None:
    before = len(events(client, seeded))
    refused = assert_problem(revise(client, seeded, plan="9/KH-UBND"), 404)
    assert "plan" in refused.get("errors", {}) or "9/KH-UBND" in refused["detail"]
    assert len(events(client, seeded)) == before


def test_a_task_is_reworded_by_hand_with_its_reason_and_deciding_document(
        client: FlaskClient, seeded: str) -> None:
    title = "Xây dựng văn bản quy định trách nhiệm người đứng đầu về chuyển đổi số"
    response = client.post(f"{seeded}/tasks/4/reword", json={
        "title": title, "reason": "Thống nhất cách viết", "decision_ref": "12/QĐ-UBND",
        "effective_on": "01/08/2025"})
    assert response.status_code == 200, response.get_json()
    task = client.get(f"{seeded}/tasks/4").get_json()
    assert task["title"] == title and task["expected_output"] == "Văn bản cấp có thẩm quyền"
    (entry,) = client.get(f"{seeded}/changes?type=reworded").get_json()["entries"]
    assert (entry["reason"], entry["document"], entry["changes"]["title"]["to"]) == (
        "Thống nhất cách viết", "12/QĐ-UBND", title)
    same = client.post(f"{seeded}/tasks/4/reword", json={
        "title": title, "reason": "Lần nữa"})
    assert assert_problem(same, 422)["detail"]


def test_a_document_listing_only_what_it_amends_leaves_the_other_tasks(
        client: FlaskClient, seeded: str) -> None:
    body = revise(client, seeded, preview="true", listed_only="true").get_json()
    assert [(c["task"], c["kinds"]) for c in body["changes"]] == [
        ("2", ["reworded"]), ("3", ["deadline_changed"]), ("9", ["lead_changed"]),
        ("61", ["added"])]
    assert body["counts"]["removed"] == 0


def test_a_moved_task_a_renamed_group_and_indicators_added_and_removed_are_answered_and_kept(
        client: FlaskClient, seeded: str) -> None:
    form = {**FORM, "amending": "Quyết định số 512/QĐ-UBND", "amending_on": "20/08/2025"}

    def send(**more: Any) -> Any:
        with REGROUPED_SEED.open("rb") as stream:
            return client.post(f"{seeded}/plans/revisions",
                               data={"file": (stream, REGROUPED_SEED.name), **form, **more},
                               content_type="multipart/form-data")

    body = send(preview="true").get_json()
    (moved,) = body["changes"]
    assert (moved["task"], moved["kinds"], moved["group"], moved["moved_to"]["code"]) == (
        "9", ["group_changed"], "I", "II")
    assert [g["code"] for g in body["groups_renamed"]] == ["III"]
    assert [(i["indicator"], i["target"]) for i in body["indicators_added"]] == [("32", "≥ 70")]
    assert [i["indicator"] for i in body["indicators_removed"]] == ["31"]
    response = send()
    assert response.status_code == 201, response.get_json()
    assert {k: n for k, n in response.get_json()["counts"].items() if n} == {
        "group_changed": 1, "group_renamed": 1, "indicator_added": 1, "indicator_removed": 1}
    indicators = client.get(f"{seeded}/indicators").get_json()["items"]
    assert [i["removed_by"] for i in indicators if i["code"] == "31"] == [
        "Quyết định số 512/QĐ-UBND"]
    removed = client.get(f"{seeded}/changes?type=indicator_removed").get_json()["entries"]
    assert [e["subject"] for e in removed] == ["indicator 31"]
    assert send().status_code == 200  # the same document again records nothing
