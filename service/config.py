"""Configuration, read from the environment once, at the composition root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.clock import VIETNAM, Clock
from service.mail import MailSettings


def default_data_dir(env: Mapping[str, str]) -> Path:
    """$R57_DATA_DIR, else $XDG_DATA_HOME/r57-plan-ledger, else ~/.local/share/r57-plan-ledger."""
    if env.get("R57_DATA_DIR"):
        return Path(env["R57_DATA_DIR"])
    base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "r57-plan-ledger"


@dataclass(frozen=True)
class Settings:
    database_url: str
    pool_max_connections: int = 10
    lock_timeout_seconds: int = 5
    # Tests only: end the process at this point of a command (tenants/faults.py).
    fault_point: str | None = None
    time_zone: str = VIETNAM  # where calendar questions are asked (today, end of a day)
    # Failing fast (README, "When the database fails"): a request waits at most this long
    # for a pooled connection before it is answered 503, and no statement runs longer.
    pool_timeout_seconds: float = 1.0
    statement_timeout_seconds: float = 30.0
    # Evidence files (README, "Review workflow and evidence files").
    file_max_bytes: int = 10 * 1024 * 1024
    tenant_files_max_bytes: int = 2 * 1024 * 1024 * 1024
    # Reminders (README, "Reminders"): e-mail over SMTP, and how often the scheduler that
    # `r57 serve` starts beside the web workers looks for reminders due and digests to send.
    mail: MailSettings = field(default_factory=MailSettings)
    reminders_every_seconds: float = 300.0  # 0: no scheduler (cron runs `r57 reminders send`)
    reminders_digest_hour: int = 7  # the scheduler e-mails digests from this hour, local time
    # Read models (README, "Read models"): kept by the one projector process `r57 serve
    # --projector` starts, a read waiting up to `read_wait_seconds` for it to reach the log's
    # head before catching up itself; without it each read catches up in the request.
    projector: bool = False
    read_wait_seconds: float = 2.0
    # A hot standby of the PostgreSQL database (streaming replication) that reads go to;
    # the projector then runs on the primary, which replicates the read models with the log.
    read_database_url: str | None = None
    # Signing keys: what the API publishes (checkpoints, proofs) and periodic checkpoints use;
    # None: DATA_DIR/keys on SQLite, none on PostgreSQL.
    key_dir: Path | None = None

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("R57_DATABASE_URL") or f"sqlite:///{default_data_dir(env)}"
        return cls(
            database_url=url,
            pool_max_connections=int(env.get("R57_POOL_MAX_CONNECTIONS", "10")),
            lock_timeout_seconds=int(env.get("R57_LOCK_TIMEOUT_SECONDS", "5")),
            fault_point=env.get("R57_FAULT_POINT") or None,
            time_zone=env.get("R57_TIME_ZONE") or VIETNAM,
            pool_timeout_seconds=float(env.get("R57_POOL_TIMEOUT_SECONDS", "1")),
            statement_timeout_seconds=float(env.get("R57_STATEMENT_TIMEOUT_SECONDS", "30")),
            file_max_bytes=int(env.get("R57_FILE_MAX_BYTES", str(cls.file_max_bytes))),
            tenant_files_max_bytes=int(env.get("R57_TENANT_FILES_MAX_BYTES",
                                               str(cls.tenant_files_max_bytes))),
            mail=MailSettings.from_env(env),
            reminders_every_seconds=float(env.get("R57_REMINDERS_EVERY_SECONDS", "300")),
            reminders_digest_hour=int(env.get("R57_REMINDERS_DIGEST_HOUR", "7")),
            projector=env.get("R57_PROJECTOR", "") in ("1", "true", "yes"),
            read_wait_seconds=float(env.get("R57_READ_WAIT_SECONDS", "2")),
            read_database_url=env.get("R57_READ_DATABASE_URL") or None,
            key_dir=_key_dir(env),
        )

    def clock(self) -> Clock:
        """The one clock every entry point asks: instants in UTC, dates in `time_zone`."""
        return Clock(ZoneInfo(self.time_zone))


def _key_dir(env: Mapping[str, str]) -> Path | None:
    """$R57_KEY_DIR, else the directory `r57 serve --key-dir` hands its processes."""
    found = env.get("R57_KEY_DIR") or env.get("R57_CHECKPOINT_KEY_DIR")
    return Path(found) if found else None
