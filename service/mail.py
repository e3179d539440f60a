"""Sending e-mail over SMTP: the server, its security and the sender from the settings
(`R57_SMTP_*`). A failure of any kind (unreachable, refused, timed out) is one `MailFailed`
with a short reason; the caller keeps the message and tries again later."""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

SECURITY = ("starttls", "tls", "none")  # STARTTLS on a plain port, TLS from the start, none


class MailFailed(Exception):
    """The message was not handed to the mail server; `str()` says why."""


@dataclass(frozen=True)
class MailSettings:
    host: str = ""  # empty: no e-mail is sent (reminders stay in the web)
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = ""
    sender: str = "Sổ theo dõi Nghị quyết 57 <no-reply@localhost>"
    timeout_seconds: float = 10.0
    ca_file: str = ""  # certificates to trust besides the system's (a province's own CA)
    base_url: str = "http://127.0.0.1:8057"  # links in messages start here

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ValueError(f"R57_SMTP_SECURITY must be one of {', '.join(SECURITY)}, "
                             f"not {self.security!r}.")

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        default = cls()
        port = env.get("R57_SMTP_PORT")
        security = (env.get("R57_SMTP_SECURITY") or "").lower() or (
            "tls" if port == "465" else default.security)
        return cls(
            host=env.get("R57_SMTP_HOST", ""),
            port=int(port) if port else (465 if security == "tls" else default.port),
            security=security,
            user=env.get("R57_SMTP_USER", ""),
            password=env.get("R57_SMTP_PASSWORD", ""),
            sender=env.get("R57_SMTP_SENDER") or default.sender,
            timeout_seconds=float(env.get("R57_SMTP_TIMEOUT_SECONDS")
                                  or default.timeout_seconds),
            ca_file=env.get("R57_SMTP_CA_FILE", ""),
            base_url=(env.get("R57_BASE_URL") or default.base_url).rstrip("/"),
        )


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def _context(self) -> ssl.SSLContext:
        """The server's certificate and name are checked, against the system's CAs and
        `ca_file`."""
        context = ssl.create_default_context()
        if self.settings.ca_file:
            context.load_verify_locations(cafile=self.settings.ca_file)
        return context

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_seconds, context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            with smtp:
                if s.security == "starttls":
                    smtp.starttls(context=self._context())
                if s.user:
                    _login(smtp, s.user, s.password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException, UnicodeError) as exc:
            raise MailFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except that a user or password beyond ASCII (a Vietnamese password)
    is sent as AUTH PLAIN in UTF-8, as RFC 4616 has it, where smtplib would fail to encode."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPException("the server offers no AUTH PLAIN for a non-ASCII login")
    secret = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, answer = smtp.docmd("AUTH", f"PLAIN {secret}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)
