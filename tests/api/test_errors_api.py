"""Whatever a client sends, the answer is a clean 4xx problem, in English or Vietnamese."""

from __future__ import annotations

from http import HTTPStatus

from flask.testing import FlaskClient

from tests.api.conftest import assert_problem

REPORT = {"period": "2025-Q1", "percent": 40, "narrative": "x"}


def test_malformed_json_is_a_400_problem(client: FlaskClient, seeded: str) -> None:
    for raw in ("{bad", "", "[" * 3000, '{"period": "2025"', "\xff"):
        response = client.post(f"{seeded}/tasks/3/reports", data=raw,
                               content_type="application/json")
        assert_problem(response, 400)


def test_json_that_is_not_an_object_is_a_422_problem(client: FlaskClient, seeded: str) -> None:
    for raw in ("null", "[]", "42", '"text"', "[" * 500 + "]" * 500):
        body = assert_problem(client.post(f"{seeded}/tasks/3/reports", data=raw,
                                          content_type="application/json"), 422)
        assert "_schema" in body["errors"]


def test_a_body_in_another_content_type_is_a_415_problem(client: FlaskClient, seeded: str) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(f"{seeded}/tasks/3/reports", data="percent=40",
                               content_type=content_type)
        assert_problem(response, 415)
    assert_problem(client.post(f"{seeded}/tasks/3/reports"), 415)


def test_a_json_body_over_the_small_limit_is_a_413_problem(
    client: FlaskClient, seeded: str
) -> None:
    big = {**REPORT, "narrative": "x" * 5000}
    assert_problem(client.post(f"{seeded}/tasks/3/reports", json=big), 413)


def test_unknown_and_mistyped_fields_are_refused_by_name(client: FlaskClient, seeded: str) -> None:
    body = assert_problem(client.post(f"{seeded}/tasks/3/reports", json={
        **REPORT, "percent": "40", "priority": "high", "evidence": ["a", 3]}), 422)
    assert set(body["errors"]) == {"percent", "priority", "evidence.1"}
    body = assert_problem(client.post(f"{seeded}/tasks/3/reports", json={
        **REPORT, "percent": 140}), 422)
    assert body["errors"]["percent"] == ["Must be greater than or equal to 0 and less than or "
                                         "equal to 100."]


def test_accept_language_vi_gives_vietnamese_messages(client: FlaskClient, seeded: str) -> None:
    vi = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
    body = assert_problem(client.post(f"{seeded}/tasks/3/reports", headers=vi, json={
        "percent": 140, "narrative": "x", "priority": 1}), 422)
    assert body["title"] == "Không thể xử lý yêu cầu"
    assert body["errors"] == {"period": ["Thiếu dữ liệu cho trường bắt buộc."],
                              "percent": ["Phải từ 0 đến 100."],
                              "priority": ["Trường không được chấp nhận."]}
    assert assert_problem(client.get(f"{seeded}/nothing", headers=vi), 404)["title"] == \
        "Không tìm thấy"
    english = assert_problem(client.post(f"{seeded}/tasks/3/reports", json={}), 422)
    assert english["errors"]["period"] == ["Missing data for required field."]
    french = assert_problem(client.post(f"{seeded}/tasks/3/reports", json={},
                                        headers={"Accept-Language": "fr"}), 422)
    assert french["title"] == HTTPStatus(422).phrase


def test_unknown_routes_and_methods_are_problems_too(client: FlaskClient, seeded: str) -> None:
    assert_problem(client.get("/api/v1/nothing"), 404)
    wrong = assert_problem(client.delete(f"{seeded}/tasks/3"), 405)
    assert wrong["type"] == "about:blank"
    assert_problem(client.get(f"{seeded}/tasks/3/reports/x/verify"), 404)


def test_dates_are_taken_as_typed_and_bad_ones_are_named(client: FlaskClient, seeded: str) -> None:
    ok = client.post(f"{seeded}/tasks/3/reports", json={**REPORT, "effective_on": "15/03/2025"})
    assert ok.status_code == 201
    for bad in ("2025-13-01", "32/01/2025", "yesterday", 20250101):
        body = assert_problem(client.post(f"{seeded}/tasks/3/reports",
                                          json={**REPORT, "effective_on": bad}), 422)
        assert "effective_on" in body["errors"]


def test_every_problem_carries_the_request_id(client: FlaskClient, seeded: str) -> None:
    response = client.get(f"{seeded}/tasks/99", headers={"X-Request-Id": "trace-42"})
    assert response.headers["X-Request-Id"] == "trace-42"
    assert assert_problem(response, 404)["instance"] == "urn:r57:request:trace-42"
