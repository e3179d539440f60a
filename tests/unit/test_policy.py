"""The access policy alone: deny by default, roles confined to their tenants."""

from __future__ import annotations

import pytest

from domain.access import Principal, Role
from domain.errors import DomainError
from domain.policy import Action, Grant, is_allowed, tenants_readable

ADMIN = Grant(Role.TENANT_ADMIN, "quang-nam")
REPORTER = Grant(Role.AGENCY_REPORTER, "quang-nam", "so y te")
AUDITOR = Grant(Role.AUDITOR, "quang-nam")
INSPECTOR = Grant(Role.INSPECTOR, "quang-nam")
SYSTEM = Grant(Role.SYSTEM_ADMIN)


def test_no_grant_allows_nothing() -> None:
    assert not any(is_allowed([], action, "quang-nam") for action in Action)


def test_a_tenant_role_never_reaches_another_tenant() -> None:
    for grant in (ADMIN, REPORTER, AUDITOR, INSPECTOR):
        for action in Action:
            assert not is_allowed([grant], action, "da-nang", agencies=["so y te"])


def test_auditors_and_inspectors_write_nothing() -> None:
    writes = {Action.PLAN_IMPORT, Action.TASK_MANAGE, Action.REPORT_REVIEW, Action.TASK_REPORT,
              Action.INDICATOR_MANAGE, Action.INDICATOR_REPORT, Action.AGENCY_MANAGE,
              Action.TENANT_ADMINISTER, Action.ACCESS_ADMINISTER, Action.PEOPLE_MANAGE}
    for grant in (AUDITOR, INSPECTOR):
        assert not any(is_allowed([grant], a, "quang-nam") for a in writes)


def test_an_inspector_reads_status_and_changes_but_not_history_or_feed() -> None:
    assert is_allowed([INSPECTOR], Action.READ_STATUS, "quang-nam")
    assert is_allowed([INSPECTOR], Action.READ_CHANGES, "quang-nam")
    assert not is_allowed([INSPECTOR], Action.READ_HISTORY, "quang-nam")
    assert not is_allowed([INSPECTOR], Action.READ_FEED, "quang-nam")


def test_a_reporter_reports_only_on_its_agencys_tasks() -> None:
    assert is_allowed([REPORTER], Action.TASK_REPORT, "quang-nam", agencies=["so y te"])
    assert not is_allowed([REPORTER], Action.TASK_REPORT, "quang-nam", agencies=["so noi vu"])
    assert not is_allowed([REPORTER], Action.TASK_REPORT, "quang-nam")
    assert not is_allowed([REPORTER], Action.TASK_MANAGE, "quang-nam", agencies=["so y te"])


def test_the_system_administrator_administers_but_does_not_run_plans() -> None:
    assert is_allowed([SYSTEM], Action.TENANT_ADMINISTER)
    assert is_allowed([SYSTEM], Action.ACCESS_ADMINISTER)
    assert not is_allowed([SYSTEM], Action.TASK_REPORT, "quang-nam", agencies=["so y te"])


def test_readable_tenants_follow_the_grants() -> None:
    assert tenants_readable([INSPECTOR, Grant(Role.INSPECTOR, "da-nang")],
                            Action.READ_CHANGES) == {"quang-nam", "da-nang"}
    assert tenants_readable([REPORTER], Action.READ_CHANGES) == set()


@pytest.mark.parametrize(("role", "tenant", "agency"), [
    (Role.SYSTEM_ADMIN, "quang-nam", ""),
    (Role.AUDITOR, "", ""),
    (Role.AGENCY_REPORTER, "quang-nam", ""),
    (Role.TENANT_ADMIN, "quang-nam", "so y te"),
])
def test_grants_that_make_no_sense_are_refused(role: Role, tenant: str, agency: str) -> None:
    principal = Principal(name="lan", display_name="Lan", created_by="root")
    with pytest.raises(DomainError):
        principal.grant(role, tenant, agency, "root")
