"""The tamper-evidence commands of `r57`: chain, checkpoint, keys, export, verify, proof."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cli.output import print_json, print_table
from domain.messages import Message
from i18n import render as render_message
from integrity.audit import BundleUnreadable
from integrity.findings import Finding
from integrity.keys import Keyring
from integrity.offline import (
    add_trust_arguments,
    check_proof_file,
    held_copy,
    load_key_files,
    render,
    trusted_keys,
    verify_file,
)
from integrity.verify import Report
from service.integrity import IntegrityRefused, TenantIntegrity, checkpoint_all, default_key_dir
from service.tenancy import Tenancy


def _refusal_text(refusal: IntegrityRefused) -> str:
    return render_message(refusal.as_message() or Message(refusal.message), "en")


def _integrity(t: Tenancy, args: argparse.Namespace) -> TenantIntegrity:
    return TenantIntegrity(t.application(t.registry.get(args.tenant).slug), args.key_dir)


def _keyring_dir(t: Tenancy, args: argparse.Namespace) -> Path:
    directory = args.key_dir or default_key_dir(t.storage)
    if directory is None:
        raise IntegrityRefused("integrity.no_key_dir", field="key_dir")
    return Path(directory)


def cmd_chain(t: Tenancy, args: argparse.Namespace) -> None:
    head = _integrity(t, args).chain()
    if args.json:
        print_json({"tenant": args.tenant, "tree_size": head.tree_size,
                    "position": head.position, "chain_hash": head.chain_hash.hex()})
        return
    print(f"Chained {args.tenant}: {head.tree_size} entries up to position {head.position}, "
          f"chain head {head.chain_hash.hex()}")


def cmd_checkpoint(t: Tenancy, args: argparse.Namespace) -> None:
    if args.all == bool(args.tenant):
        raise IntegrityRefused("integrity.name_tenant_or_all", field="tenant")
    if args.all:
        outcome = checkpoint_all(t, _keyring_dir(t, args))
        lines = {slug: f"refused: {_refusal_text(r)}" if isinstance(r, IntegrityRefused)
                 else f"signed the {r.describe()}" for slug, r in outcome.items()}
        if args.json:
            print_json(lines)
        for slug, line in lines.items() if not args.json else ():
            print(f"{slug}: {line}")
        if any(isinstance(r, IntegrityRefused) for r in outcome.values()):
            raise IntegrityRefused("integrity.some_unsigned", field="tenant")
        return
    checkpoint = _integrity(t, args).checkpoint(despite_tampering=args.despite_tampering,
                                                actor=args.actor)
    if args.json:
        print_json(checkpoint.to_dict() | {"key_id": checkpoint.key_id,
                                           "root_hash": checkpoint.head.root_hash.hex()})
        return
    print(f"Signed the {checkpoint.describe()}\n  root {checkpoint.head.root_hash.hex()}\n"
          f"  key  {checkpoint.key_id}")


def cmd_keys_list(t: Tenancy, args: argparse.Namespace) -> None:
    keyring = Keyring(_keyring_dir(t, args))
    current = keyring.current_id()
    keys = [k.to_dict() | {"current": k.key_id == current}
            for k in keyring.public_keys().values()]
    if args.json:
        print_json({"keys": keys})
        return
    print_table(["key id (SHA-256 of the public key)", "created", "signs"],
                [[k["key_id"], k["created_at"], "current" if k["current"] else "retired"]
                 for k in keys])


def cmd_keys_rotate(t: Tenancy, args: argparse.Namespace) -> None:
    key_id = Keyring(_keyring_dir(t, args)).rotate()
    if args.json:
        print_json({"key_id": key_id})
        return
    print(f"New signing key {key_id}\nPublish this id out of band; earlier keys stay listed "
          "so their checkpoints still verify.")


def cmd_export(t: Tenancy, args: argparse.Namespace) -> None:
    manifest = _integrity(t, args).export(Path(args.file), sign=not args.no_sign,
                                          despite_tampering=args.despite_tampering,
                                          actor=args.actor,
                                          with_files=not args.without_files)
    if args.json:
        print_json(manifest)
        return
    evidence = manifest["evidence"]
    files = (f", {evidence['files']} evidence files ({evidence['bytes']} bytes)"
             if evidence["included"] else f", without the {evidence['cited']} evidence files")
    print(f"Exported {manifest['entries']} entries and {manifest['checkpoints']} checkpoints"
          f"{files} of {args.tenant} to {args.file}\n  root {manifest['root_hash']}")
    if evidence.get("missing"):
        print(f"  warning: {len(evidence['missing'])} cited files are missing from the file "
              "store (r57 verify --live names the entries)", file=sys.stderr)


def cmd_verify(t: Tenancy, args: argparse.Namespace) -> None:
    try:
        report, what = _verify(t, args)
    except (BundleUnreadable, OSError, ValueError, KeyError) as exc:
        raise IntegrityRefused("integrity.unreadable_bundle", field="file",
                               reason=str(exc)) from None
    if args.json:
        print_json(report.to_dict())
    else:
        print("\n".join(render(report, what)))
    if not report.ok:
        first = report.first
        where = f"position {first.position}" if first and first.position is not None else "file"
        raise IntegrityRefused("integrity.verification_failed", field="verify", where=where)


def _verify(t: Tenancy, args: argparse.Namespace) -> tuple[Report, str]:
    if not args.live:
        return verify_file(Path(args.target), args.keys, args.trust, args.against), \
            f"bundle {args.target}"
    held = None
    if args.against is not None:
        held = held_copy(args.against, trusted_keys(args.against, args.keys, args.trust))
    args.tenant = args.target
    integrity = _integrity(t, args)
    report = integrity.verify(load_key_files(args.keys), held)
    integrity.findings.record(Finding.of(report, datetime.now(UTC)))  # reads warn while failed
    return report, f"tenant {args.tenant}"


def cmd_proof_inclusion(t: Tenancy, args: argparse.Namespace) -> None:
    print_json(_integrity(t, args).inclusion(args.position, args.tree_size))


def cmd_proof_consistency(t: Tenancy, args: argparse.Namespace) -> None:
    print_json(_integrity(t, args).consistency(args.first, args.second))


def cmd_proof_check(t: Tenancy, args: argparse.Namespace) -> None:
    problems = check_proof_file(Path(args.document), args.keys)
    if args.json:
        print_json({"ok": not problems, "problems": problems})
    for problem in problems if not args.json else ():
        print(f"FAILED: {problem}")
    if problems:
        raise IntegrityRefused("integrity.proof_fails", field="document")
    if not args.json:
        print(f"OK: {args.document} proves its claim")


def add_despite_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--despite-tampering", action="store_true",
                   help="go on although the log fails live verification (recorded)")
    p.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                   help="who is recorded as going on despite a failed verification")


def register(sub: Any, add: Any) -> None:
    """Add the tamper-evidence commands to the `r57` parser."""

    def keyed(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--key-dir", type=Path,
                       help="signing keys, outside the database (default DATA_DIR/keys on "
                            "SQLite; required on PostgreSQL)")
        return p

    keyed(add(sub, "chain", cmd_chain, "bind the tenant's latest events into its hash chain"))
    p = keyed(add(sub, "checkpoint", cmd_checkpoint, "sign the tenant's tree head",
                  tenant=False))
    p.add_argument("tenant", nargs="?", help="tenant slug")
    p.add_argument("--all", action="store_true", help="every active tenant (for cron)")
    add_despite_argument(p)
    keys = sub.add_parser("keys", help="the checkpoint signing keys")
    ksub = keys.add_subparsers(dest="action", required=True)
    keyed(add(ksub, "list", cmd_keys_list, "list public keys and their ids", tenant=False))
    keyed(add(ksub, "rotate", cmd_keys_rotate, "start signing with a new key", tenant=False))
    p = keyed(add(sub, "export", cmd_export, "write a self-contained, verifiable bundle"))
    p.add_argument("file")
    p.add_argument("--no-sign", action="store_true", help="export without a new checkpoint")
    p.add_argument("--without-files", action="store_true",
                   help="leave out the evidence files (verify then cannot check their bytes)")
    add_despite_argument(p)
    p = keyed(add(sub, "verify", cmd_verify, "verify a bundle offline, or --live a tenant",
                  tenant=False))
    p.add_argument("target", help="a bundle file, or with --live a tenant slug")
    p.add_argument("--live", action="store_true", help="verify the stored log of a tenant")
    add_trust_arguments(p)
    proof = sub.add_parser("proof", help="inclusion and consistency proofs")
    psub = proof.add_subparsers(dest="action", required=True)
    p = keyed(add(psub, "inclusion", cmd_proof_inclusion, "prove one event is in a checkpoint"))
    p.add_argument("position", type=int)
    p.add_argument("--tree-size", type=int, help="the checkpoint's size (default latest)")
    p = keyed(add(psub, "consistency", cmd_proof_consistency,
                  "prove one checkpoint's log extends another's"))
    p.add_argument("first", type=int, help="tree size of the earlier checkpoint")
    p.add_argument("second", type=int, help="tree size of the later checkpoint")
    p = add(psub, "check", cmd_proof_check, "check a proof document offline", tenant=False)
    p.add_argument("document")
    p.add_argument("--keys", type=Path, action="append", default=[], required=True,
                   help="public keys published out of band (r57 keys list --json)")
