"""Offline verification of an export bundle, and copies held elsewhere as evidence.

Nothing here touches a database or the network: the bundle, and optionally the public keys
published out of band and an earlier bundle, are all it needs.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from integrity.bundle import CHECKPOINTS, EVENTS, KEYS, BundleReader, SignedText, decode_line
from integrity.canonical import leaf_hash
from integrity.evidence import cited_files, file_problems
from integrity.keys import PublicKey
from integrity.verify import Failure, LogChecker, Report


class BundleUnreadable(Exception):
    """Not a bundle at all: the file cannot be opened as one."""


@dataclass(frozen=True)
class HeldCopy:
    """An earlier bundle the auditor kept: its leaves and checkpoints bind today's log."""

    source: str
    leaves: dict[int, bytes] = field(default_factory=dict)
    checkpoints: list[SignedText] = field(default_factory=list)
    keys: dict[str, PublicKey] = field(default_factory=dict)


def verify_bundle(path: Path, trusted: Mapping[str, PublicKey] | None = None,
                  held: HeldCopy | None = None) -> Report:
    """Check a bundle. `trusted`: the published public keys; without them the keys inside
    the bundle are used, and the report says so."""
    return _check(path, trusted, held, None)


def hold(path: Path, trusted: Mapping[str, PublicKey] | None = None) -> tuple[HeldCopy, Report]:
    """Verify an earlier bundle and keep what it proves, to check a later log against."""
    leaves: dict[int, bytes] = {}
    report = _check(path, trusted, None, leaves.__setitem__)
    reader = _open(path)
    try:
        keys = {k.key_id: k for k in _keys(reader)[0]}
        checkpoints = reader.checkpoints()
    finally:
        reader.close()
    if trusted is not None:
        keys = {i: k for i, k in keys.items() if i in trusted}
    return HeldCopy(str(path), leaves, checkpoints, keys), report


def _open(path: Path) -> BundleReader:
    try:
        return BundleReader(path)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BundleUnreadable(f"{path} is not a readable bundle: {exc}") from None


def _check(path: Path, trusted: Mapping[str, PublicKey] | None, held: HeldCopy | None,
           collect: Callable[[int, bytes], None] | None) -> Report:
    reader = _open(path)
    try:
        checker = _checker(reader, trusted, held)
        cited: dict[str, int] = {}
        try:
            for number, line in enumerate(reader.event_lines(), 1):
                try:
                    entry, link = decode_line(line)
                except (ValueError, KeyError, TypeError) as exc:
                    checker.fail(None, f"line {number} of {EVENTS} is not an entry: {exc}")
                    continue
                if collect is not None:
                    collect(entry.position, leaf_hash(entry))
                for digest in cited_files(entry.state):
                    cited.setdefault(digest, entry.position)
                checker.step(entry, link)
        except (zipfile.BadZipFile, zlib.error, OSError) as exc:
            checker.fail(None, f"{EVENTS} is damaged: {exc}")
        report = checker.finish()
        _check_manifest(reader, report, reader.events_sha256)
        _check_evidence(reader, report, cited)
        return report
    finally:
        reader.close()


def _checker(reader: BundleReader, trusted: Mapping[str, PublicKey] | None,
             held: HeldCopy | None) -> LogChecker:
    found, problems = _keys(reader)
    inside = {k.key_id: k for k in found}
    keys = dict(trusted) if trusted is not None else dict(inside)
    checkpoints = reader.checkpoints()
    if held is not None:
        keys |= held.keys
        checkpoints += held.checkpoints
    checker = LogChecker(reader.tenant, checkpoints, keys, held.leaves if held else None)
    for problem in problems:
        checker.fail(None, problem)
    if trusted is None:
        checker.report.notes.append(
            "signatures were checked with the keys inside the bundle: compare their ids with "
            f"the published ones: {', '.join(sorted(inside))}")
    return checker


def _keys(reader: BundleReader) -> tuple[list[PublicKey], list[str]]:
    keys, problems = [], []
    for doc in reader.key_docs():
        try:
            keys.append(PublicKey.from_dict(doc))
        except (KeyError, ValueError) as exc:
            problems.append(f"a key in {KEYS} is not usable: {exc}")
    return keys, problems


def _check_manifest(reader: BundleReader, report: Report, events_sha256: str) -> None:
    manifest, files = reader.manifest, reader.manifest.get("files", {})
    actual = {EVENTS: events_sha256,
              CHECKPOINTS: hashlib.sha256(reader.member(CHECKPOINTS)).hexdigest(),
              KEYS: hashlib.sha256(reader.member(KEYS)).hexdigest()}
    for name, digest in actual.items():
        if files.get(name, {}).get("sha256") != digest:
            report.failures.append(Failure(None, f"{name} does not match the manifest's "
                                                 "SHA-256: changed after export"))
    if (manifest.get("tree_size"), manifest.get("root_hash")) != (
            report.entries, report.root_hash.hex()):
        report.failures.append(Failure(None, "the manifest's tree head does not match the "
                                             "entries"))


def _check_evidence(reader: BundleReader, report: Report, cited: dict[str, int]) -> None:
    """Every file the entries cite is in the bundle and hashes to the digest they recorded;
    a bundle exported without its files says so instead."""
    described = reader.manifest.get("evidence") or {}
    if not described.get("included"):
        if cited:
            report.notes.append(f"the bundle was exported without its evidence files: the "
                                f"{len(cited)} files the entries cite were not checked")
        return
    for position, reason in file_problems(cited, reader.evidence, "the bundle"):
        report.failures.append(Failure(position, reason))
    report.files_checked = len(cited)
    extra = set(reader.evidence_digests()) - set(cited)
    if extra:
        report.notes.append(f"{len(extra)} files in the bundle are cited by no entry")
