"""The read-model lag gauge: how many events a tenant's read models were behind when a
read arrived, measured before the read caught them up."""

from __future__ import annotations

from flask.testing import FlaskClient

GAUGE = 'r57_read_model_lag_events{tenant="quang-nam"}'


def _lag(client: FlaskClient) -> str:
    lines = [line for line in client.get("/metrics").get_data(as_text=True).splitlines()
             if line.startswith(GAUGE)]
    assert len(lines) == 1, lines
    return lines[0].removeprefix(GAUGE).strip()


def test_a_read_records_how_far_behind_the_read_models_were(
    client: FlaskClient, seeded: str
) -> None:
    assert client.get(f"{seeded}/status").status_code == 200
    for percent in (10, 20):
        response = client.post(f"{seeded}/tasks/3/reports",
                               json={"period": "2025", "percent": percent, "narrative": "x"})
        assert response.status_code == 201
    assert client.get(f"{seeded}/status").status_code == 200
    assert _lag(client) == "2.0"
    assert client.get(f"{seeded}/tasks/3").status_code == 200
    assert _lag(client) == "0.0"
