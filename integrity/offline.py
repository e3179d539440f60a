"""The offline verifier's command line: `python -m integrity verify BUNDLE`.

It imports no database driver and opens no connection, so an auditor can run it on any
machine with Python and the `cryptography` package. `r57 verify BUNDLE` runs the same code.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from integrity.audit import BundleUnreadable, HeldCopy, hold, verify_bundle
from integrity.bundle import BundleReader
from integrity.keys import PublicKey
from integrity.proofs import check_document
from integrity.verify import Failure, Report

SHOWN = 10  # failures listed after the first


def load_key_files(paths: Sequence[Path]) -> dict[str, PublicKey]:
    """Public keys as `r57 keys list --json` prints them (a list, or {"keys": [...]})."""
    keys: dict[str, PublicKey] = {}
    for path in paths:
        doc = json.loads(path.read_text("utf-8"))
        for item in doc["keys"] if isinstance(doc, dict) else doc:
            key = PublicKey.from_dict(item)
            keys[key.key_id] = key
    return keys


def trusted_keys(bundle: Path, key_files: Sequence[Path],
                 ids: Sequence[str]) -> dict[str, PublicKey] | None:
    """The keys given out of band, plus the bundle's keys whose ids were pinned; None when
    neither was given (the bundle's own keys are then used, and the report says so)."""
    if not key_files and not ids:
        return None
    keys = load_key_files(key_files)
    reader = BundleReader(bundle)
    try:
        for doc in reader.key_docs():
            if doc.get("key_id") in ids:
                key = PublicKey.from_dict(doc)
                keys[key.key_id] = key
    finally:
        reader.close()
    return keys


def held_copy(path: Path, trusted: dict[str, PublicKey] | None) -> HeldCopy:
    """An earlier bundle, which must itself verify before it can be evidence."""
    copy, report = hold(path, trusted)
    if not report.ok:
        raise BundleUnreadable(f"the earlier bundle {path} does not verify itself: "
                               f"{describe(report.first)}")
    return copy


def describe(failure: Failure | None) -> str:
    if failure is None:
        return "no failure"
    where = f"position {failure.position}" if failure.position is not None else "bundle"
    return f"{where}: {failure.reason}"


def render(report: Report, what: str) -> list[str]:
    if report.ok:
        signers = ", ".join(k[:16] for k in sorted(report.signed_by)) or "none"
        lines = [f"OK: {what}: {report.entries} entries up to position "
                 f"{report.last_position}, {report.checkpoints} signed checkpoints verified "
                 f"(keys {signers})"
                 + (f", {report.files_checked} evidence files match their digests"
                    if report.files_checked else ""),
                 f"  root {report.root_hash.hex()}", f"  chain {report.chain_hash.hex()}"]
    else:
        ordered = sorted(report.failures, key=lambda f: (f.position is None, f.position or 0))
        lines = [f"FAILED: {what}: first failure at {describe(ordered[0])}"]
        lines += [f"  also {describe(f)}" for f in ordered[1:1 + SHOWN]]
        if len(ordered) > 1 + SHOWN:
            lines.append(f"  and {len(ordered) - 1 - SHOWN} more")
    if report.pending:
        lines.append(f"  {report.pending} entries after the chain's head are not chained yet")
    return lines + [f"  note: {note}" for note in report.notes]


def verify_file(path: Path, key_files: Sequence[Path] = (), ids: Sequence[str] = (),
                against: Path | None = None) -> Report:
    trusted = trusted_keys(path, key_files, ids)
    held = held_copy(against, trusted) if against is not None else None
    return verify_bundle(path, trusted, held)


def check_proof_file(path: Path, key_files: Sequence[Path]) -> list[str]:
    """What is wrong with a proof document, checked with keys published out of band."""
    keys = load_key_files(key_files)
    if not keys:
        return ["no public key given (--keys FILE): a proof is only as good as its signer"]
    return check_document(json.loads(path.read_text("utf-8")), keys)


def add_trust_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keys", type=Path, action="append", default=[],
                        help="public keys published out of band (r57 keys list --json)")
    parser.add_argument("--trust", action="append", default=[], metavar="KEY_ID",
                        help="trust only the bundle keys with this id (repeatable)")
    parser.add_argument("--against", type=Path,
                        help="an earlier bundle kept elsewhere: the log must extend it")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integrity",
                                     description="Verify an R57 export bundle offline.")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="check a bundle; exit 1 on the first failure")
    verify.add_argument("bundle", type=Path)
    verify.add_argument("--json", action="store_true")
    add_trust_arguments(verify)
    proof = sub.add_parser("proof", help="check an inclusion or consistency proof document")
    proof.add_argument("document", type=Path)
    proof.add_argument("--keys", type=Path, action="append", default=[], required=True,
                       help="public keys published out of band (r57 keys list --json)")
    args = parser.parse_args(argv)
    if args.command == "proof":
        return _report_proof(args.document, args.keys)
    try:
        report = verify_file(args.bundle, args.keys, args.trust, args.against)
    except (BundleUnreadable, zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print("\n".join(render(report, f"bundle {args.bundle}")))
    return 0 if report.ok else 1


def _report_proof(document: Path, key_files: Sequence[Path]) -> int:
    try:
        problems = check_proof_file(document, key_files)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print(f"OK: {document} proves its claim")
    return 1 if problems else 0
