"""The API, the CLI and the web build the same command object and record it through the one
dispatcher (`TenantLedger.handle`), with the same result; the CLI prints what it reads in
the shapes the API answers with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from cli.main import main
from service.commands import ChangeDeadline, Command, Context
from service.config import Settings
from service.handlers import Result
from service.ledger import TenantLedger
from service.tenancy import Tenancy
from tests.web.conftest import OTHER, TENANT, Tokens, form_fields, seed_tenant, sign_in, text

THIRD = "hue"
PLAN = "1534/KH-UBND"  # the web names the plan a form acts on; the others may
EXPECTED = ChangeDeadline(task="5", plan=PLAN, deadline="6/2025", reason="Chờ hướng dẫn",
                          decision_ref="123/QĐ-UBND")


@pytest.fixture
def dispatched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Command, Result]]:
    """(tenant, command, result) of every command the dispatcher records."""
    seen: list[tuple[str, Command, Result]] = []
    original = TenantLedger.handle

    def handle(ledger: TenantLedger, command: Command, context: Context) -> Result:
        result = original(ledger, command, context)
        seen.append((ledger.app.slug, command, result))
        return result

    monkeypatch.setattr(TenantLedger, "handle", handle)
    return seen


def through_the_web(client: FlaskClient, token: str) -> None:
    sign_in(client, token)
    path = f"/t/{TENANT}/tasks/5/deadline"
    page = client.get(path)
    done = client.post(path, data={
        **form_fields(text(page)), "deadline": "6/2025", "reason": "Chờ hướng dẫn",
        "decision_ref": "123/QĐ-UBND", "effective_on": "10/03/2025"})
    assert done.status_code == 303, text(done)


def through_the_api(client: FlaskClient, token: str) -> Any:
    response = client.post(
        f"/api/v1/tenants/{OTHER}/tasks/5/deadline",
        json={"deadline": "6/2025", "reason": "Chờ hướng dẫn", "decision_ref": "123/QĐ-UBND",
              "effective_on": "2025-03-10", "plan": PLAN},
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def through_the_cli(settings: Settings) -> None:
    code = main(["task", "deadline", THIRD, "5", "6/2025", "--reason", "Chờ hướng dẫn",
                 "--decision", "123/QĐ-UBND", "--effective", "10/03/2025", "--plan", PLAN],
                settings=settings)
    assert code == 0


def test_one_deadline_change_is_one_command_whichever_door_it_comes_through(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, settings: Settings,
    seed_path: Path, dispatched: list[tuple[str, Command, Result]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_tenant(tenancy, THIRD, "Huế", seed_path)  # three provinces holding the same plan
    dispatched.clear()
    through_the_web(client, province.admin)
    answer = through_the_api(client, province.other_admin)
    through_the_cli(settings)
    assert [(slug, command) for slug, command, _ in dispatched] == [
        (TENANT, EXPECTED), (OTHER, EXPECTED), (THIRD, EXPECTED)]
    # The same plan and the same command: the same task, version and log position.
    web, api, cli = (result for _, _, result in dispatched)
    assert web == api == cli
    assert answer["version"] == api.version and answer["position"] == api.position
    for slug in (TENANT, OTHER, THIRD):
        task = tenancy.ledger(slug).task("5")
        assert (task.deadline.text, task.version) == ("6/2025", web.version)


def cli_json(settings: Settings, capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main([*argv, "--json"], settings=settings) == 0
    return json.loads(capsys.readouterr().out)


def api_json(client: FlaskClient, token: str, path: str) -> Any:
    response = client.get(f"/api/v1/tenants/{TENANT}{path}",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_cli_prints_each_answer_in_the_shape_the_api_gives_it(
    client: FlaskClient, province: Tokens, settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = province.admin
    indicators = cli_json(settings, capsys, "indicator", "list", TENANT)
    assert indicators == api_json(client, token, "/indicators")["items"]
    assert {"parent_code", "target", "latest"} <= set(indicators[0])
    assert cli_json(settings, capsys, "status", TENANT, "--on", "30/06/2025") == api_json(
        client, token, "/status?on=2025-06-30")
    assert cli_json(settings, capsys, "summary", TENANT, "--on", "30/06/2025") == api_json(
        client, token, "/summary?on=2025-06-30")
    assert cli_json(settings, capsys, "indicators", TENANT) == api_json(
        client, token, "/indicator-progress")["items"]
    assert cli_json(settings, capsys, "plan", "show", TENANT) == api_json(
        client, token, "/plans")["items"]
