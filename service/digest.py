"""A person's daily reminder e-mail, in Vietnamese: one section per kind of reminder, each
item with a link to its task; plain text and HTML alternatives of the same content."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

from domain.reminders import Kind
from i18n import render, render_code
from service.mail import MailSettings
from service.reminder_store import Digest, Reminder

_ORDER = [k.value for k in (Kind.OVERDUE, Kind.DUE_SOON, Kind.REPORT_RETURNED,
                            Kind.COMPLETION_RETURNED, Kind.REPORT_MISSING)]
ACCOUNT_PATH = "/account"


def _vn_day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def sections(reminders: Sequence[Reminder]) -> list[tuple[str, list[Reminder]]]:
    """(heading, reminders) in the order a reader acts on them: overdue first."""
    kinds = sorted({r.kind for r in reminders}, key=lambda k: (_ORDER.index(k)
                                                                if k in _ORDER else 99, k))
    return [(render_code(f"reminder_kind.{kind}"), [r for r in reminders if r.kind == kind])
            for kind in kinds]


def subject(tenant_name: str, day: str, count: int) -> str:
    return f"[{tenant_name}] Nhắc việc ngày {_vn_day(day)}: {count} nội dung cần xử lý"


def compose(digest: Digest, reminders: Sequence[Reminder], *, person: str, tenant_name: str,
            settings: MailSettings) -> EmailMessage:
    base = settings.base_url
    message = EmailMessage()
    message["Subject"] = subject(tenant_name, digest.day, len(reminders))
    message["From"] = settings.sender
    message["To"] = Address(person, addr_spec=digest.address)
    message["Date"] = formatdate(localtime=False)
    # The same id on every attempt: a receiving server that saw it already may drop a repeat.
    domain = settings.sender.rsplit("@", 1)[-1].strip(" >") or "localhost"
    message["Message-ID"] = make_msgid(f"r57-digest-{digest.id}", domain=domain)
    grouped = sections(reminders)
    message.set_content(_text(grouped, person, tenant_name, digest.day, base))
    message.add_alternative(_html(grouped, person, tenant_name, digest.day, base),
                            subtype="html")
    return message


def _text(grouped: list[tuple[str, list[Reminder]]], person: str, tenant_name: str,
          day: str, base: str) -> str:
    lines = [f"Kính gửi {person},", "",
             f"Sổ theo dõi thực hiện Nghị quyết 57-NQ/TW ({tenant_name}) xin nhắc các việc "
             f"sau, tính đến ngày {_vn_day(day)}:", ""]
    for heading, items in grouped:
        lines.append(f"{heading.upper()} ({len(items)})")
        for item in items:
            lines += [f"- {render(item.message)}", f"  Xem: {base}{item.link}"]
        lines.append("")
    lines += ["--", "Thư này được gửi tự động, xin đừng trả lời. Các nhắc việc cũng có trong "
              "mục Thông báo của hệ thống. Để không nhận thư nhắc việc, hãy vào trang tài "
              f"khoản: {base}{ACCOUNT_PATH}"]
    return "\n".join(lines) + "\n"


def _html(grouped: list[tuple[str, list[Reminder]]], person: str, tenant_name: str,
          day: str, base: str) -> str:
    parts = [f"<p>Kính gửi {escape(person)},</p>",
             f"<p>Sổ theo dõi thực hiện Nghị quyết 57-NQ/TW ({escape(tenant_name)}) xin nhắc "
             f"các việc sau, tính đến ngày {_vn_day(day)}:</p>"]
    for heading, items in grouped:
        parts.append(f"<h2>{escape(heading)} ({len(items)})</h2><ul>")
        parts += [f'<li>{escape(render(item.message))} '
                  f'<a href="{escape(base + item.link)}">Xem nhiệm vụ</a></li>' for item in items]
        parts.append("</ul>")
    parts.append('<p style="color:#555">Thư này được gửi tự động, xin đừng trả lời. Các nhắc '
                 "việc cũng có trong mục Thông báo của hệ thống. Để không nhận thư nhắc việc, "
                 f'hãy vào <a href="{escape(base + ACCOUNT_PATH)}">trang tài khoản</a>.</p>')
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>'
            + "".join(parts) + "</body></html>\n")
