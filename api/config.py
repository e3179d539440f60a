"""The web layer's own settings, read from the environment once, by the composition root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from service.security import ThrottlePolicy

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ApiSettings:
    max_upload_bytes: int = 10 * MEGABYTE  # plan documents (.docx, .xlsx) are a few MB at most
    max_json_bytes: int = 64 * 1024  # a command is a few fields; anything larger is abuse
    metrics_multiprocess_dir: str | None = None  # set when gunicorn runs several workers
    default_language: str = "en"
    # Failed authentications of one address on one account or token id before 429 (all
    # workers together); one address on any is allowed five times as many.
    auth_failure_limit: int = 5
    auth_failure_window_seconds: int = 300
    # Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are
    # believed (0: none; the client address is the connection's).
    trusted_proxies: int = 0
    # Distinct failing addresses on one account or token id that lock it (and alert).
    auth_lock_addresses: int = 10

    def throttle_policy(self) -> ThrottlePolicy:
        return ThrottlePolicy(window_seconds=self.auth_failure_window_seconds,
                              pair_limit=self.auth_failure_limit,
                              address_limit=self.auth_failure_limit * 5,
                              lock_addresses=self.auth_lock_addresses,
                              lock_seconds=self.auth_failure_window_seconds * 3)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiSettings:
        env = os.environ if env is None else env
        return cls(
            max_upload_bytes=int(env.get("R57_MAX_UPLOAD_BYTES", str(10 * MEGABYTE))),
            max_json_bytes=int(env.get("R57_MAX_JSON_BYTES", str(64 * 1024))),
            metrics_multiprocess_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
            auth_failure_limit=int(env.get("R57_AUTH_FAILURE_LIMIT", "5")),
            trusted_proxies=int(env.get("R57_TRUSTED_PROXIES", "0") or 0),
            auth_lock_addresses=int(env.get("R57_AUTH_LOCK_ADDRESSES", "10")),
            auth_failure_window_seconds=int(env.get("R57_AUTH_FAILURE_WINDOW_SECONDS", "300")),
        )
