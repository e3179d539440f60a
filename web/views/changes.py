"""The change log for inspectors: typed changes across every tenant they may see, merged
in recorded-time order, filtered as the API filters, paged by a cursor of positions."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import render_template, request

from domain.agencies import normalise_agency
from domain.errors import DomainError, NotFound
from domain.policy import Action
from projections.audit import AuditEntry
from projections.change_log import ChangeFilter, encode_cursor
from projections.entries import CHANGE_TYPE_NAMES
from service.audit_texts import change_type_text
from tenants.registry import Tenant
from web.auth import require
from web.formatting import parse_day
from web.messages import error_vi
from web.routes import Routes
from web.state import end_of_day, queries, state
from web.views.common import entry_plans, entry_plans_of, find_plan, several_plans

routes = Routes()
MAX_EXPORT = 20_000


@dataclass(frozen=True)
class PlanChoice:
    number: str


@dataclass(frozen=True)
class TenantChange:
    tenant: Tenant
    entry: AuditEntry


def visible_tenants() -> list[Tenant]:
    viewer = require(Action.READ_CHANGES)
    allowed = viewer.tenants(Action.READ_CHANGES)
    return [t for t in state().tenancy.registry.list(include_archived=True)
            if allowed is None or t.slug in allowed]


def read_filter() -> tuple[ChangeFilter, dict[str, str]]:
    args, errors = request.args, {}
    days = {}
    for name in ("recorded_from", "recorded_to", "effective_from", "effective_to"):
        try:
            days[name] = parse_day(args.get(name, ""), name, required=False)
        except DomainError as error:
            days[name], errors[name] = None, error_vi(error)
    agency = None
    if args.get("agency", "").strip():
        try:
            agency = normalise_agency(args["agency"]).key
        except DomainError:
            errors["agency"] = "Tên cơ quan không hợp lệ."
    start, end = days["recorded_from"], days["recorded_to"]
    return ChangeFilter(
        types=tuple(t for t in args.getlist("type") if t in CHANGE_TYPE_NAMES),
        task=args.get("task", "").strip().rstrip(".") or None, agency=agency,
        actor=args.get("actor", "").strip() or None,
        recorded_from=state().clock.start_of_day(start) if start else None,
        recorded_to=end_of_day(end) if end else None,
        effective_from=days["effective_from"], effective_to=days["effective_to"],
    ), errors


def decode(cursor: str) -> dict[str, int]:
    if not cursor:
        return {}
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items()
            if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63}


def encode(positions: dict[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(positions, sort_keys=True).encode()).decode()


def chosen_plan_number() -> str | None:
    """The plan the change log is narrowed to (`?plan=`), by its number; None: every plan."""
    return request.args.get("plan", "").strip() or None


def _of_plan(where: ChangeFilter, slug: str, number: str | None) -> ChangeFilter:
    """The filter narrowed to the tasks and indicators of the tenant's plan with this
    number (none, when the tenant holds no such plan)."""
    if number is None:
        return where
    plan = queries(slug).state()
    try:
        plan_id = find_plan(plan, number).id
    except NotFound:
        return replace(where, aggregates=())
    ids = [str(plan_id), *(str(t.id) for t in plan.tasks.values() if t.plan_id == plan_id)]
    ids += [key for key, held in entry_plans(plan).items()
            if held == plan.plans[plan_id].number and key not in ids]
    if not several_plans(plan):
        ids += [str(k) for k in plan.indicators]
    return replace(where, aggregates=tuple(ids))


def merged_page(tenants: list[Tenant], where: ChangeFilter, limit: int,
                after: dict[str, int], plan: str | None = None
                ) -> tuple[list[TenantChange], dict[str, int] | None]:
    """The next `limit` changes across tenants, oldest first, and where the next page
    starts in each tenant (None: no more); of the plan with number `plan` when given."""
    found: list[TenantChange] = []
    more = False
    for tenant in tenants:
        page = queries(tenant.slug).changes(_of_plan(where, tenant.slug, plan), limit,
                                            encode_cursor(after.get(tenant.slug, 0)))
        found += [TenantChange(tenant, e) for e in page.entries]
        more = more or page.next_cursor is not None
    found.sort(key=lambda c: (c.entry.recorded_at, c.tenant.slug, c.entry.position))
    shown = found[:limit]
    if not more and len(found) <= limit:
        return shown, None
    positions = dict(after)
    for change in shown:
        positions[change.tenant.slug] = change.entry.position
    return shown, positions


def all_changes(tenants: list[Tenant], where: ChangeFilter, plan: str | None = None
                ) -> list[TenantChange]:
    found: list[TenantChange] = []
    after: dict[str, int] | None = {}
    while after is not None and len(found) < MAX_EXPORT:
        page, after = merged_page(tenants, where, 500, after, plan)
        found += page
    return found


def plan_finder(tenants: list[Tenant], *, every: bool = False
                ) -> Callable[[TenantChange], str]:
    """The plan a change's task or indicator belongs to, per tenant: for every tenant
    (`every`, as the exports' plan column), else only where a tenant holds several plans
    (what a link carries as `plan`)."""
    plans: dict[tuple[str, str], str] = {}
    for tenant in {t.slug: t for t in tenants}.values():
        reads = queries(tenant.slug)
        if every and not several_plans(reads.outline()):
            plan = reads.state()
            numbers = [view.number for view in plan.plans.values()]
            found = {str(k): numbers[0] for k in (*plan.tasks, *plan.indicators)
                     } if numbers else {}
        else:
            found = entry_plans_of(reads)
        plans |= {(tenant.slug, key): number for key, number in found.items()}
    return lambda change: plans.get((change.tenant.slug, change.entry.aggregate_id), "")


def selected(tenants: list[Tenant]) -> list[Tenant]:
    chosen = request.args.get("tenant", "")
    return [t for t in tenants if t.slug == chosen] if chosen else tenants


@routes.route("/changes", Action.READ_CHANGES)
def change_log() -> str:
    tenants = visible_tenants()
    where, errors = read_filter()
    cursor = request.args.get("cursor", "")
    plan = chosen_plan_number()
    changes, following = merged_page(selected(tenants), where, state().config.page_size,
                                     decode(cursor), plan)
    numbers = sorted({view.number for t in selected(tenants)
                      for view in queries(t.slug).outline().plans.values()})
    args = request.args.to_dict(flat=False)
    args.pop("cursor", None)
    return render_template(
        "web/changes.html", tenants=tenants, changes=changes, errors=errors,
        plan_of=plan_finder([c.tenant for c in changes]), chosen_plan=plan,
        plans=[PlanChoice(n) for n in numbers] if len(numbers) > 1 else [],
        types=[(t, change_type_text(t, "vi")) for t in CHANGE_TYPE_NAMES],
        chosen_types=set(where.types), args=args,
        next_cursor=encode(following) if following is not None else None,
    )
