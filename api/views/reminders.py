"""Reminders: a tenant's schedule (when its agencies are reminded), and each principal's own
reminders as the web shows them under "Thông báo"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api import scope
from api.i18n import language
from api.operation import AUTHENTICATED, Reply
from api.principal import current_actor, current_principal
from api.routing import API_PREFIX, TENANT_PREFIX, ApiBlueprint
from api.schemas.reminders import ReminderListSchema, ScheduleChangeSchema, ScheduleSchema
from api.services import clock, services
from domain.policy import Action
from domain.reminders import ReminderSchedule
from i18n import render
from service.reminder_store import ReminderStore

bp = ApiBlueprint("reminders", __name__, url_prefix=API_PREFIX)


def store() -> ReminderStore:
    return ReminderStore(services().tenancy.storage.database,
                         lambda: clock().now().timestamp())


def _slug() -> str:
    slug = scope.tenant_slug()
    assert slug is not None  # the guard admitted the route's <tenant>
    return slug


_SCHEDULE = TENANT_PREFIX.removeprefix(API_PREFIX) + "/reminders/schedule"


@bp.operation(_SCHEDULE, action=Action.READ_STATUS, response=ScheduleSchema())
def show_schedule() -> dict[str, Any]:
    """When the tenant's agencies are reminded (the defaults until the standing body changes
    them)."""
    return store().schedule(_slug()).to_dict()


@bp.operation(_SCHEDULE, "PATCH", action=Action.TASK_MANAGE, body=ScheduleChangeSchema(),
              response=ScheduleSchema(), command=True)
def change_schedule(body: dict[str, Any]) -> Reply:
    """Change some of the schedule's values; the others stay. Reminders already sent stay
    sent; the new values apply from the next run."""
    reminders = store()
    changed: ReminderSchedule = reminders.schedule(_slug()).changed(**body)
    reminders.set_schedule(_slug(), changed, current_actor())
    return Reply(changed.to_dict(), events=0)


@bp.operation("/reminders", action=AUTHENTICATED, response=ReminderListSchema())
def list_reminders() -> dict[str, Any]:
    """Your reminders, newest first, with how many you have not read; reading them here does
    not mark them read (the web's notification page does)."""
    name, lang = current_principal().name, language()
    found = store()
    return {"unread": found.unread(name), "items": [
        {"tenant": r.tenant, "task": r.task, "kind": r.kind, "text": render(r.message, lang),
         "link": r.link, "created_at": datetime.fromtimestamp(r.created_at, UTC),
         "read": r.read_at is not None}
        for r in found.inbox(name)]}
