"""The allow/deny matrix of every endpoint x every role x own and foreign tenant, generated
from the app's route table and judged against domain/policy.ALLOWED.

Refused: 401 without credentials, 404 ("No tenant 'x'.") for a tenant the principal may
not see, 403 for an action its role does not allow, and nothing stored changes. Allowed:
anything but those (the request may still be refused on its merits, e.g. 409 or 422).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from api import openapi
from api.operation import AUTHENTICATED, PUBLIC, Operation
from api.routing import operations
from api.views import BLUEPRINTS
from domain.access import Role
from domain.policy import ALLOWED
from tests.api.world import FOREIGN, OWN, TARGET, World, seed_upload, world

__all__ = ["world"]
API_BLUEPRINTS = {bp.name for bp in BLUEPRINTS} | {openapi.bp.name}
ROLES: list[Role | None] = [None, Role.INSPECTOR, Role.AUDITOR, Role.AGENCY_REPORTER,
                            Role.TENANT_ADMIN, Role.SYSTEM_ADMIN]  # the last changes most
PATH = {"number": "3", "code": "7.1", "agency": "so y te", "report": "1", "name": TARGET,
        "token_id": "0123456789ab", "filename": "swagger-ui.css", "sha256": "0" * 64,
        "request": "1", "direction": "1"}
DECIDED = {"reason": "Quyết định", "decision_ref": "1/QĐ-UBND"}
BODIES: dict[str, dict[str, Any]] = {
    "tenants.create_tenant": {"slug": "matrix-new", "display_name": "Tỉnh mới"},
    "tenants.rename_tenant": {"display_name": "Tên mới"},
    "tasks.reassign": {"leads": ["Sở Y tế"], **DECIDED},
    "tasks.change_deadline": {"deadline": "12/2026", **DECIDED},
    "tasks.reword": {"title": "Nhiệm vụ viết lại", **DECIDED},
    "tasks.record_trigger": {"triggered_on": "01/05/2025"},
    "tasks.report_progress": {"period": "2025-Q1", "percent": 10, "narrative": "Đang làm"},
    "tasks.verify_report": {"note": "Đạt"},
    "tasks.return_report": {"reason": "Thiếu minh chứng"},
    "tasks.complete": {"output_document": "1/KH", "completed_on": "2025-06-01"},
    "tasks.cancel": DECIDED, "tasks.suspend": DECIDED, "tasks.resume": DECIDED,
    "tasks.accept_completion": {"note": "Đạt"},
    "tasks.return_completion": {"reason": "Thiếu quyết định"},
    "tasks.reopen": DECIDED,
    "tasks.correct_completion_date": {"completed_on": "2025-06-01", **DECIDED},
    "tasks.request_extension": {"deadline": "12/2030", "reason": "Chờ vốn"},
    "tasks.approve_extension": {"decision_ref": "1/QĐ-UBND"},
    "tasks.refuse_extension": {"reason": "Không có căn cứ"},
    "tasks.record_direction": {"text": "Khẩn trương hoàn thành"},
    "tasks.answer_direction": {"text": "Đã triển khai"},
    "indicators.report_value": {"period": "2025", "value": "1", "source": "Báo cáo"},
    "indicators.change_target": {"target": "≥ 99", "reason": "Điều chỉnh"},
    "agencies.register_agency": {"name": "Sở Mới"},
    # Refused on their merits (the seed has them already): the world stays as it is.
    "plans.create_plan": {"number": "1534/KH-UBND"},
    "tenants.merge_tenants": {"tenants": [OWN], "into": OWN, "merged_on": "01/07/2025"},
    "plans.add_group": {"code": "I", "title": "Nhóm I"},
    "plans.add_task": {"group": "I", "number": "1", "title": "Nhiệm vụ 1"},
    "plans.add_indicator": {"code": "1", "name": "Chỉ tiêu 1"},
    "agencies.rename_agency": {"new_name": "Sở Y tế mới", "reason": "Đổi tên"},
    "agencies.succeed_agency": {"successors": ["Sở Y tế"], "reason": "Sáp nhập"},
    "agencies.merge_agencies": {"agencies": ["Sở Y tế", "Sở Y tế"], "into": "Sở Mới",
                                "reason": "Hợp nhất"},
    "agencies.dissolve_agency": {"reason": "Giải thể"},
    "agencies.merge_alias": {"into": "Sở Y tế"},
    "agencies.mark_collective": {"is_collective": False},
    "tasks.expand_collective": {"collective": "Sở Y tế", "members": ["Sở Tài chính"], **DECIDED},
    "access.create_principal": {"name": "m.new"},
    "access.grant": {"role": "auditor", "tenant": OWN},
    "access.revoke": {"role": "auditor", "tenant": OWN},
    "access.issue_token": {},
    "reminders.change_schedule": {"days_before": [14, 3]},
}


@dataclass(frozen=True)
class Call:
    endpoint: str
    method: str
    rule: str
    url: str
    op: Operation | None  # None: a plain public view
    tenant: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.rule} [{self.tenant or 'service'}]"


def calls(app: Flask) -> list[Call]:
    """Every route of the API, once per tenant it can name. (The web pages have their own
    sign-in and their own tests.)"""
    declared = operations(app.view_functions)
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint.partition(".")[0] not in API_BLUEPRINTS:
            continue
        method = next(m for m in sorted(rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        for tenant in (OWN, FOREIGN) if "<tenant>" in rule.rule else (None,):
            found.append(Call(rule.endpoint, method, rule.rule, _url(rule, tenant),
                              declared.get(rule.endpoint), tenant))
    return found


def _url(rule: Rule, tenant: str | None) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>",
                  lambda m: tenant if m[1] == "tenant" and tenant else PATH[m[1]], rule.rule)


def expected_refusal(role: Role | None, call: Call) -> int | None:
    """401, 404 or 403 as the policy says; None when the call is allowed."""
    if call.op is None or call.op.access is PUBLIC:
        return None
    if role is None:
        return 401
    if call.op.access is AUTHENTICATED:
        return None
    if call.tenant == FOREIGN and role is not Role.SYSTEM_ADMIN:
        return 404  # the tenant roles hold grants on their own tenant only
    return None if call.op.access in ALLOWED[role] else 403


def send(world: World, role: Role | None, call: Call) -> Any:
    client = world.client(role)
    if call.op is not None and call.op.form is not None:
        return client.open(call.url, method=call.method, data=seed_upload(),
                           content_type="multipart/form-data")
    body = BODIES[call.endpoint] if call.op is not None and call.op.body is not None else None
    return client.open(call.url, method=call.method, json=body)


def judge(world: World, role: Role | None, call: Call) -> str | None:
    """What is wrong with the answer to this call, if anything."""
    refusal, before = expected_refusal(role, call), world.stored()
    response = send(world, role, call)
    status, body = response.status_code, response.get_json(silent=True) or {}
    response.close()
    if status >= 500:
        return f"{call}: {status} {body.get('detail')}"
    if refusal is None:
        refused = status in (401, 403) or (status == 404 and "No tenant" in body.get("detail", ""))
        return f"{call}: allowed, but answered {status} {body.get('detail')}" if refused else None
    if status != refusal or response.mimetype != "application/problem+json":
        return f"{call}: expected {refusal}, got {status} {body.get('detail')}"
    if status == 404 and body.get("detail") != f"No tenant '{call.tenant}'.":
        return f"{call}: a 404 that is not the unknown tenant's: {body.get('detail')}"
    if status == 401 and not response.headers.get("WWW-Authenticate", "").startswith("Bearer"):
        return f"{call}: 401 without a Bearer challenge"
    if world.stored() != before:
        return f"{call}: refused with {status}, yet something was stored"
    return None


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_every_endpoint_answers_each_role_as_the_policy_says_in_its_own_and_a_foreign_tenant(
    world: World, role: Role | None
) -> None:
    matrix = calls(world.app)
    assert len(matrix) > 60
    wrong = [problem for call in matrix if (problem := judge(world, role, call))]
    assert not wrong, "\n".join(wrong)


def test_every_write_endpoint_has_a_sample_body_in_the_attack_suite(world: World) -> None:
    missing = {c.endpoint for c in calls(world.app)
               if c.op is not None and c.op.body is not None and c.endpoint not in BODIES}
    assert not missing, f"add a sample body to BODIES for: {sorted(missing)}"


def test_the_matrix_covers_every_role_endpoint_and_tenant(world: World) -> None:
    matrix = calls(world.app)
    endpoints = {c.endpoint for c in matrix}
    assert endpoints == {e for e in world.app.view_functions
                         if e.partition(".")[0] in API_BLUEPRINTS}
    assert set(operations(world.app.view_functions)) <= endpoints
    tenant_scoped = [c for c in matrix if c.tenant is not None]
    assert {c.tenant for c in tenant_scoped} == {OWN, FOREIGN}
    assert len(matrix) * len(ROLES) == len(ROLES) * (len(endpoints) + len(tenant_scoped) // 2)


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.AGENCY_REPORTER, Role.INSPECTOR],
                         ids=lambda r: r.value)
def test_a_foreign_tenant_is_answered_exactly_as_one_that_does_not_exist(
    world: World, role: Role
) -> None:
    for call in (c for c in calls(world.app) if c.tenant == FOREIGN):
        missing = replace(call, url=call.url.replace(FOREIGN, "nowhere", 1), tenant="nowhere")
        answers = []
        for attempt in (call, missing):
            response = send(world, role, attempt)
            body = response.get_json()
            response.close()
            del body["instance"]
            answers.append((response.status_code, response.headers["Content-Type"],
                            str(body).replace(attempt.tenant or "", "<tenant>")))
        assert answers[0] == answers[1], call
