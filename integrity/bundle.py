"""The export bundle: one zip a verifier can check with no database and no network.

Inside the zip, under `r57-bundle/`:

- `events.jsonl`: every entry in log order, one JSON object per line: position,
  originator_id, originator_version, topic, state (the stored bytes, base64), and what the
  chain recorded for it (leaf_index, leaf_hash, chain_hash; null if it was never chained);
- `checkpoints.json`: every signed checkpoint, `{"body": ..., "signature": base64}`;
- `keys.json`: the public keys of the signer (`r57 keys list --json` prints the same);
- `evidence/<sha256>`: each evidence file the entries cite, named by its digest (unless the
  bundle was exported without them; the manifest says which);
- `manifest.json`: counts, the tree head of the entries and the SHA-256 of each file.

The manifest is not signed: it catches damage, the checkpoints catch forgery.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from integrity.canonical import MISSING_LEAF, Entry, Link
from integrity.evidence import DIGEST, cited_files
from integrity.keys import PublicKey
from integrity.merkle import Frontier

FORMAT = "r57-bundle/1"
ROOT = "r57-bundle/"
EVENTS, CHECKPOINTS = "events.jsonl", "checkpoints.json"
KEYS, MANIFEST = "keys.json", "manifest.json"
EVIDENCE = "evidence/"
SignedText = tuple[str, bytes]


def encode_line(entry: Entry, link: Link | None) -> bytes:
    return json.dumps({
        "position": entry.position, "originator_id": str(entry.originator_id),
        "originator_version": entry.originator_version, "topic": entry.topic,
        "state": base64.b64encode(entry.state).decode("ascii"),
        "leaf_index": link.leaf_index if link else None,
        "leaf_hash": link.leaf_hash.hex() if link else None,
        "chain_hash": link.chain_hash.hex() if link else None,
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode_line(line: bytes) -> tuple[Entry, Link | None]:
    """Raises ValueError, KeyError or TypeError on a line that is not an entry."""
    doc = json.loads(line)
    entry = Entry(int(doc["position"]), UUID(doc["originator_id"]),
                  int(doc["originator_version"]), str(doc["topic"]),
                  binascii.a2b_base64(doc["state"], strict_mode=True))
    if doc.get("leaf_hash") is None:
        return entry, None
    return entry, Link(entry.position, int(doc["leaf_index"]), bytes.fromhex(doc["leaf_hash"]),
                       bytes.fromhex(doc["chain_hash"]))


class _Counted:
    """Counts and hashes what goes through one member of the zip."""

    def __init__(self) -> None:
        self.digest, self.size, self.lines = hashlib.sha256(), 0, 0

    def add(self, data: bytes) -> bytes:
        self.digest.update(data)
        self.size += len(data)
        self.lines += 1
        return data

    def describe(self) -> dict[str, Any]:
        return {"sha256": self.digest.hexdigest(), "bytes": self.size}


def write_bundle(path: Path, tenant: str, entries: Iterable[tuple[Entry, Link | None]],
                 checkpoints: Sequence[SignedText], keys: Iterable[PublicKey],
                 exported_at: str, notes: dict[str, Any] | None = None,
                 evidence: Callable[[str], bytes | None] | None = None) -> dict[str, Any]:
    """Write the bundle next to `path`, then rename it: a bundle is never seen half-written.
    With `evidence` (digest to bytes) the files the entries cite are written too."""
    partial = path.with_name(path.name + ".partial")
    cited: dict[str, int] = {}
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        counted, frontier, last, chain = _Counted(), Frontier(), 0, ""
        member = zipfile.ZipInfo(ROOT + EVENTS, _zip_time(exported_at))
        member.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(member, "w", force_zip64=True) as out:
            for entry, link in entries:
                out.write(counted.add(encode_line(entry, link)))
                last = entry.position
                for digest in cited_files(entry.state):
                    cited.setdefault(digest, entry.position)
                if link is not None:
                    while frontier.size < link.leaf_index:  # exported over a known gap
                        frontier.append(MISSING_LEAF)
                    frontier.append(link.leaf_hash)
                    chain = link.chain_hash.hex()
        files = {EVENTS: counted.describe() | {"lines": counted.lines}}
        for name, doc in ((CHECKPOINTS, [{"body": b, "signature": base64.b64encode(s).decode()}
                                          for b, s in checkpoints]),
                          (KEYS, [k.to_dict() for k in keys])):
            data = json.dumps(doc, indent=1).encode("utf-8")
            zf.writestr(ROOT + name, data)
            files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        manifest = {"format": FORMAT, "tenant": tenant, "exported_at": exported_at,
                    "entries": counted.lines, "last_position": last,
                    "tree_size": frontier.size, "root_hash": frontier.root().hex(),
                    "chain_hash": chain, "checkpoints": len(checkpoints), "files": files,
                    "evidence": _write_evidence(zf, cited, evidence), **(notes or {})}
        zf.writestr(ROOT + MANIFEST, json.dumps(manifest, indent=1))
    os.replace(partial, path)
    return manifest


def _write_evidence(zf: zipfile.ZipFile, cited: dict[str, int],
                    content_of: Callable[[str], bytes | None] | None) -> dict[str, Any]:
    if content_of is None:
        return {"included": False, "cited": len(cited)}
    written, size, missing = 0, 0, []
    for digest in sorted(cited, key=cited.__getitem__):
        content = content_of(digest)
        if content is None:
            missing.append(digest)  # the verifier names the citing entry
            continue
        zf.writestr(ROOT + EVIDENCE + digest, content)
        written, size = written + 1, size + len(content)
    return {"included": True, "cited": len(cited), "files": written, "bytes": size,
            "missing": missing}


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    when = datetime.fromisoformat(iso)
    return when.year, when.month, when.day, when.hour, when.minute, when.second


class BundleReader:
    """An open bundle. Raises zipfile.BadZipFile, KeyError or ValueError when it is not one."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.manifest: dict[str, Any] = json.loads(self.zip.read(ROOT + MANIFEST))
        if self.manifest.get("format") != FORMAT:
            raise ValueError(f"not an {FORMAT} bundle: format {self.manifest.get('format')!r}")
        self.tenant = str(self.manifest["tenant"])
        self.events_sha256 = ""

    def member(self, name: str) -> bytes:
        return self.zip.read(ROOT + name)

    def checkpoints(self) -> list[SignedText]:
        return [(str(d["body"]), base64.b64decode(d["signature"]))
                for d in json.loads(self.member(CHECKPOINTS))]

    def key_docs(self) -> list[dict[str, Any]]:
        return list(json.loads(self.member(KEYS)))

    def event_lines(self) -> Iterator[bytes]:
        """The lines of events.jsonl, read in large chunks (zipfile's readline is slow);
        `events_sha256` is the digest of the whole member once they are all read."""
        digest, rest = hashlib.sha256(), b""
        with self.zip.open(ROOT + EVENTS) as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                yield from lines
        if rest:
            yield rest
        self.events_sha256 = digest.hexdigest()

    def evidence(self, digest: str) -> bytes | None:
        """An evidence file's bytes as the bundle holds them, or None when absent."""
        try:
            return self.zip.read(ROOT + EVIDENCE + digest)
        except KeyError:
            return None

    def evidence_digests(self) -> list[str]:
        names = (n.removeprefix(ROOT + EVIDENCE) for n in self.zip.namelist()
                 if n.startswith(ROOT + EVIDENCE))
        return [n for n in names if DIGEST.match(n)]

    def close(self) -> None:
        self.zip.close()
