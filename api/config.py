"""The web layer's own settings, read from the environment once, by the composition root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ApiSettings:
    max_upload_bytes: int = 10 * MEGABYTE  # plan documents (.docx, .xlsx) are a few MB at most
    max_json_bytes: int = 64 * 1024  # a command is a few fields; anything larger is abuse
    metrics_multiprocess_dir: str | None = None  # set when gunicorn runs several workers
    default_language: str = "en"
    # Failed authentications per client address or token id before 429 (per process).
    auth_failure_limit: int = 10
    auth_failure_window_seconds: int = 300

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiSettings:
        env = os.environ if env is None else env
        return cls(
            max_upload_bytes=int(env.get("R57_MAX_UPLOAD_BYTES", str(10 * MEGABYTE))),
            max_json_bytes=int(env.get("R57_MAX_JSON_BYTES", str(64 * 1024))),
            metrics_multiprocess_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
            auth_failure_limit=int(env.get("R57_AUTH_FAILURE_LIMIT", "10")),
            auth_failure_window_seconds=int(env.get("R57_AUTH_FAILURE_WINDOW_SECONDS", "300")),
        )
