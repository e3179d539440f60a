"""Thông báo: a person's reminders in the web (the same ones their daily e-mail carries),
newest first, unread ones marked; and their choice to receive the e-mail or not."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from i18n import render, render_code
from service.reminder_store import ReminderStore
from web import auth
from web.auth import OPEN, SignInRequired
from web.routes import Routes
from web.state import state

routes = Routes()


def store() -> ReminderStore:
    return ReminderStore(state().tenancy.storage.database,
                         lambda: state().clock.now().timestamp())


def unread_count() -> int:
    """For the header: the signed-in person's unread reminders (0 when signed out)."""
    viewer = auth.viewer()
    return store().unread(viewer.name) if viewer is not None else 0


@routes.route("/notifications", OPEN)
def notifications() -> str:
    viewer = auth.viewer()
    if viewer is None:
        raise SignInRequired
    reminders = store()
    names = {t.slug: t.display_name for t in state().tenancy.registry.list(
        include_archived=True)}
    items = [{"new": r.read_at is None, "text": render(r.message),
              "kind": render_code(f"reminder_kind.{r.kind}"),
              "tenant": names.get(r.tenant, r.tenant), "link": r.link,
              "at": datetime.fromtimestamp(r.created_at, UTC)}
             for r in reminders.inbox(viewer.name)]
    page = render_template("web/notifications.html", items=items,
                           unread=sum(i["new"] for i in items))
    reminders.mark_read(viewer.name)  # seen now: the header's count drops on the next page
    return page


@routes.route("/account/email-reminders", OPEN, ("POST",))
def email_reminders() -> Response:
    viewer = auth.viewer()
    if viewer is None:
        raise SignInRequired
    wanted = request.form.get("email_reminders") == "on"
    store().set_opt_out(viewer.name, not wanted)
    flash("Bạn sẽ nhận thư nhắc việc hằng ngày qua e-mail." if wanted else
          "Bạn sẽ không nhận thư nhắc việc qua e-mail nữa; các nhắc việc vẫn có trong mục "
          "Thông báo.", "success")
    return redirect(url_for("web.account"), 303)
