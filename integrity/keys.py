"""Ed25519 signing keys, kept in a directory outside the database.

Someone who can rewrite the database cannot sign for it: the private key never enters the
database. The directory holds, per key, `<key id>.pem` (the private key, mode 0600, only
while the key is current) and `<key id>.pub.json` (the public key, kept for ever so old
checkpoints still verify), plus `current` naming the key that signs. A key id is the
SHA-256 of the raw 32-byte public key, in hex: publish it out of band and a verifier can
check any key it is handed against it. `signed/<tenant>.json` keeps the last checkpoint
this signer issued per tenant, so it refuses to sign a rewritten history even when the
database's own checkpoints were deleted.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_id_of(raw_public_key: bytes) -> str:
    return hashlib.sha256(raw_public_key).hexdigest()


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    raw: bytes  # the 32-byte Ed25519 public key
    created_at: str

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> PublicKey:
        """Refuses a key whose id is not the hash of its bytes: ids are what gets published."""
        raw = base64.b64decode(doc["public_key"], validate=True)
        if doc.get("algorithm", "Ed25519") != "Ed25519" or len(raw) != 32:
            raise ValueError(f"key {doc.get('key_id')} is not an Ed25519 public key")
        if key_id_of(raw) != doc["key_id"]:
            raise ValueError(f"key {doc['key_id']} does not hash to its id")
        return cls(doc["key_id"], raw, str(doc.get("created_at", "")))

    def to_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "algorithm": "Ed25519",
                "public_key": base64.b64encode(self.raw).decode(), "created_at": self.created_at}

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Keyring:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def current_id(self) -> str | None:
        path = self.directory / "current"
        return path.read_text("ascii").strip() if path.exists() else None

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        """The current key, created on first use."""
        with self._locked():
            key_id = self.current_id() or self._rotate()
            pem = (self.directory / f"{key_id}.pem").read_bytes()
        key = serialization.load_pem_private_key(pem, password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key_id, key

    def rotate(self) -> str:
        """A new current key; the previous private key is destroyed, its public key kept."""
        with self._locked():
            return self._rotate()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # Processes sharing the directory (workers, cron) create or rotate one at a time.
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _rotate(self) -> str:
        previous = self.current_id()
        private = Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
        key_id = key_id_of(raw)
        _write_private(self.directory / f"{key_id}.pem", private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        public = PublicKey(key_id, raw, datetime.now(UTC).isoformat(timespec="seconds"))
        _replace(self.directory / f"{key_id}.pub.json", json.dumps(public.to_dict(), indent=1))
        _replace(self.directory / "current", key_id + "\n")
        if previous is not None:
            (self.directory / f"{previous}.pem").unlink(missing_ok=True)
        return key_id

    def public_keys(self) -> dict[str, PublicKey]:
        if not self.directory.exists():
            return {}
        keys = (PublicKey.from_dict(json.loads(p.read_text("utf-8")))
                for p in sorted(self.directory.glob("*.pub.json")))
        return {k.key_id: k for k in keys}

    # -- the signer's own memory of what it signed -------------------------------------

    def last_signed(self, tenant: str) -> dict[str, Any] | None:
        path = self.directory / "signed" / f"{tenant}.json"
        return dict(json.loads(path.read_text("utf-8"))) if path.exists() else None

    def remember_signed(self, tenant: str, checkpoint: dict[str, Any]) -> None:
        (self.directory / "signed").mkdir(mode=0o700, exist_ok=True)
        _replace(self.directory / "signed" / f"{tenant}.json", json.dumps(checkpoint))


def _write_private(path: Path, data: bytes) -> None:
    # Created with 0600 from the start, never readable by others even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _replace(path: Path, text: str) -> None:
    """Write then rename, so a reader sees the old file or the new one, never half."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
