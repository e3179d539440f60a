"""The web interface's settings, and the signing key of its session cookies."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from service.config import default_data_dir
from service.sso import OidcConfig

KEY_FILE = "web-secret-key"
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class WebConfig:
    secret_key: str | None = None  # None: generated once per data directory
    data_dir: Path | None = None  # where the generated key is kept
    session_hours: int = 12  # a signed-in session lasts a working day at most
    session_idle_minutes: int = 30  # and ends after half an hour without a request
    page_size: int = 100  # rows of the change log per page
    # Behind HTTPS (a TLS-terminating proxy): the cookie is Secure and __Host- prefixed.
    secure_cookies: bool = False
    oidc: OidcConfig | None = None  # single sign-on, when a provider is configured

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebConfig:
        env = os.environ if env is None else env
        proxies = int(env.get("R57_TRUSTED_PROXIES", "0") or 0)
        secure = env.get("R57_SECURE_COOKIES", "")
        return cls(secret_key=env.get("R57_SECRET_KEY") or None, data_dir=default_data_dir(env),
                   session_hours=int(env.get("R57_SESSION_HOURS", "12")),
                   session_idle_minutes=int(env.get("R57_SESSION_IDLE_MINUTES", "30")),
                   secure_cookies=secure.lower() in ("1", "true", "yes") if secure
                   else proxies > 0, oidc=OidcConfig.from_env(env))


def load_or_create_key(directory: Path) -> str:
    """The key kept in `directory` (mode 0600), made on first use. Several workers may start
    at once: the file appears whole or not at all (write aside, then link), so all agree."""
    path = directory / KEY_FILE
    if path.exists():
        return _read(path)
    directory.mkdir(parents=True, exist_ok=True)
    draft = directory / f".{KEY_FILE}.{secrets.token_hex(8)}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another worker won the race; its key is the one
    finally:
        draft.unlink()
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < MIN_KEY_LENGTH:
        raise RuntimeError(f"The key in {path} is too short; delete the file to make a new one.")
    return key


def secret_key(config: WebConfig, storage_dir: Path | None) -> str:
    """Configured, else kept beside the embedded store, else in the configured data dir."""
    if config.secret_key:
        return config.secret_key
    directory = storage_dir or config.data_dir
    if directory is None:
        raise RuntimeError("The web interface needs R57_SECRET_KEY or a data directory.")
    return load_or_create_key(directory)
