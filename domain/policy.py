"""The access policy: which role may take which action, deny by default.

Every entry point names the action it performs; `is_allowed` is the only judge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.access import Role


class Action(StrEnum):
    # the service
    TENANT_ADMINISTER = "tenant.administer"  # create, rename, archive tenants
    ACCESS_ADMINISTER = "access.administer"  # principals, grants, tokens of others
    PEOPLE_MANAGE = "people.manage"  # a tenant's people: invitations, grants, resets
    TENANT_LIST = "tenant.list"
    # a tenant's plan
    PLAN_IMPORT = "plan.import"  # import a plan, or type one in: its groups, tasks, indicators
    TASK_MANAGE = "task.manage"  # reassign, deadline, trigger, cancel, suspend, resume
    REPORT_REVIEW = "report.review"  # verify or return a report
    TASK_REPORT = "task.report"  # progress and completion
    INDICATOR_MANAGE = "indicator.manage"  # change a target
    INDICATOR_REPORT = "indicator.report"
    AGENCY_MANAGE = "agency.manage"
    FILE_UPLOAD = "file.upload"  # evidence files that reports and requests then cite
    # reads of a tenant
    READ_STATUS = "read.status"  # plan, tasks, status, summary, scorecard, indicators
    READ_HISTORY = "read.history"  # audit trails, diff, time travel
    READ_CHANGES = "read.changes"  # the change log
    READ_FEED = "read.feed"  # the event feed and integrity proofs
    READ_ACCESS = "read.access"  # the history of grants on the tenant
    READ_NATIONAL = "read.national"  # the provinces side by side (the national view)


# Actions an agency reporter takes only on items (tasks, indicators) of its own agency.
AGENCY_BOUND = frozenset({Action.TASK_REPORT, Action.INDICATOR_REPORT})
_READS = {Action.READ_STATUS, Action.READ_HISTORY, Action.READ_CHANGES, Action.READ_FEED}
ALLOWED: dict[Role, frozenset[Action]] = {
    Role.SYSTEM_ADMIN: frozenset({Action.TENANT_ADMINISTER, Action.ACCESS_ADMINISTER,
                                  Action.PEOPLE_MANAGE, Action.TENANT_LIST,
                                  Action.READ_ACCESS}),
    Role.TENANT_ADMIN: frozenset({
        Action.TENANT_LIST, Action.PLAN_IMPORT, Action.TASK_MANAGE, Action.REPORT_REVIEW,
        Action.TASK_REPORT, Action.INDICATOR_MANAGE, Action.INDICATOR_REPORT,
        Action.AGENCY_MANAGE, Action.PEOPLE_MANAGE, Action.FILE_UPLOAD, *_READS,
    }),
    Role.AGENCY_REPORTER: frozenset({Action.TENANT_LIST, Action.TASK_REPORT, Action.FILE_UPLOAD,
                                     Action.INDICATOR_REPORT, Action.READ_STATUS,
                                     Action.READ_HISTORY}),
    Role.AUDITOR: frozenset({Action.TENANT_LIST, Action.READ_ACCESS, *_READS}),
    Role.INSPECTOR: frozenset({Action.TENANT_LIST, Action.READ_STATUS, Action.READ_CHANGES}),
    Role.NATIONAL_MONITOR: frozenset({Action.TENANT_LIST, Action.READ_STATUS,
                                      Action.READ_HISTORY, Action.READ_CHANGES,
                                      Action.READ_NATIONAL}),
}


@dataclass(frozen=True)
class Grant:
    role: Role
    tenant: str = ""  # "" for the service-wide system administrator
    agency: str = ""  # the agency key of an agency reporter


def is_allowed(grants: Iterable[Grant], action: Action, tenant: str = "",
               agencies: Iterable[str] | None = None) -> bool:
    """True when some grant allows the action on this tenant (and, for an agency reporter,
    on a task or indicator one of whose `agencies` is its own)."""
    concerned = set(agencies) if agencies is not None else None
    for grant in grants:
        if action not in ALLOWED[grant.role]:
            continue
        if grant.role is Role.SYSTEM_ADMIN:
            return True
        if tenant and grant.tenant != tenant:
            continue
        if grant.role is Role.AGENCY_REPORTER and action in AGENCY_BOUND:
            if concerned is None or grant.agency not in concerned:
                continue
        return True
    return False


def role_allows(grants: Iterable[Grant], action: Action, tenant: str = "") -> bool:
    """True when some grant's role includes the action on this tenant, whatever the item:
    the first gate. For an agency reporter the item is judged next, by `is_allowed` with
    the item's agencies."""
    return any(
        action in ALLOWED[grant.role]
        and (grant.role is Role.SYSTEM_ADMIN or not tenant or grant.tenant == tenant)
        for grant in grants
    )


def agencies_acting(grants: Iterable[Grant], action: Action, tenant: str,
                    agencies: Iterable[str]) -> set[str] | None:
    """For whom the principal acts on an item concerning `agencies`: None when a grant
    allows the action whatever the agencies (it acts for no agency, or one it names);
    otherwise the agencies of its agency reporter grants that the item concerns."""
    held = list(grants)
    unbound = [g for g in held if g.role is not Role.AGENCY_REPORTER]
    if is_allowed(unbound, action, tenant):
        return None
    concerned = set(agencies)
    return {g.agency for g in held if g.role is Role.AGENCY_REPORTER and g.tenant == tenant
            and action in ALLOWED[g.role] and g.agency in concerned}


def tenants_readable(grants: Iterable[Grant], action: Action) -> set[str] | None:
    """The tenants on which `action` is granted; None means every tenant."""
    found: set[str] = set()
    for grant in grants:
        if action in ALLOWED[grant.role]:
            if grant.role is Role.SYSTEM_ADMIN:
                return None
            found.add(grant.tenant)
    return found
