"""`r57 replica`: replicate a tenant of another deployment (a province's own server) into
this one (the national hub), verified against the source's signed checkpoints."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from cli.output import print_json, print_table
from domain.errors import DomainError
from i18n import render
from service.replicas import Replica
from service.replication import (
    Replicator,
    SourceUnavailable,
    SyncResult,
    add_replica,
    trust_source_keys,
)
from service.tenancy import Tenancy


def cmd_add(t: Tenancy, args: argparse.Namespace) -> None:
    replica = add_replica(t, args.tenant, args.source, args.token,
                          source_tenant=args.source_tenant, display_name=args.name,
                          admin_code=args.admin_code)
    if args.json:
        print_json(replica.to_dict())
        return
    print(f"Replica {replica.slug} of {replica.source_tenant} at {replica.source_url}; "
          f"pinned key(s) {', '.join(k[:16] for k in sorted(replica.public_keys))}. "
          f"Run: r57 replica sync {replica.slug}")


def cmd_trust(t: Tenancy, args: argparse.Namespace) -> None:
    replica, added = trust_source_keys(t, args.tenant)
    if args.json:
        print_json({"tenant": replica.slug, "added": [k.to_dict() for k in added]})
        return
    if not added:
        print(f"{replica.slug}: the source publishes no key that is not pinned already.")
    for key in added:
        print(f"{replica.slug}: pinned key {key.key_id} (created {key.created_at}); "
              "confirm its id with the province before relying on it")


def cmd_list(t: Tenancy, args: argparse.Namespace) -> None:
    replicas = t.replicas.list()
    if args.json:
        print_json([r.to_dict() for r in replicas])
        return
    print_table(["tenant", "source", "copied", "verified", "behind", "seconds", "state"],
                [[r.slug, f"{r.source_url} {r.source_tenant}", str(r.position),
                  str(r.verified_position), str(r.lag_positions), f"{r.lag_seconds:g}",
                  "refused" if r.refused_at else "ok"] for r in replicas])


def cmd_show(t: Tenancy, args: argparse.Namespace) -> None:
    replica = t.replicas.get(args.tenant)
    if args.json:
        print_json(replica.to_dict())
        return
    _describe(replica)


def _describe(replica: Replica) -> None:
    print(f"{replica.slug}: copied to position {replica.position} ({replica.tree_size} "
          f"entries), verified to position {replica.verified_position} "
          f"({replica.verified_size} entries under the source's signed checkpoint); "
          f"{replica.lag_positions} positions and {replica.lag_seconds:g} s behind the source")
    if replica.refused_at:
        print(f"  REFUSED at {replica.refused_at}: {replica.refusal}")


def cmd_sync(t: Tenancy, args: argparse.Namespace) -> None:
    replicator = Replicator(t)
    if not args.follow:
        _sync_once(t, replicator, args)
        return
    stop = threading.Event()

    def finish(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    while not stop.is_set():
        try:
            _sync_once(t, replicator, args)
        except SourceUnavailable as exc:
            coded = exc.as_message()
            print(f"warning: {render(coded, 'en') if coded else exc.message}; retrying",
                  file=sys.stderr)
        stop.wait(args.every)


def _sync_once(t: Tenancy, replicator: Replicator, args: argparse.Namespace) -> None:
    if args.tenant:
        results: dict[str, SyncResult | DomainError] = {
            args.tenant: replicator.sync(args.tenant)}
    else:
        results = replicator.sync_all()
    for slug, result in results.items():
        if isinstance(result, DomainError):
            coded = result.as_message()
            print(f"{slug}: {render(coded, 'en') if coded else result.message}",
                  file=sys.stderr)
            continue
        if args.json:
            print_json(result.replica.to_dict() | {"copied": result.copied})
        else:
            print(f"copied {result.copied} event(s); ", end="")
            _describe(result.replica)
    sys.stdout.flush()
    if not args.follow and any(isinstance(r, DomainError) for r in results.values()):
        raise next(r for r in results.values() if isinstance(r, DomainError))


def register(sub: Any, add: Any) -> None:
    replica = sub.add_parser("replica", help="replicate tenants of other deployments")
    rsub = replica.add_subparsers(dest="action", required=True)
    p = add(rsub, "add", cmd_add, "add a replica of a tenant of another deployment")
    p.add_argument("--source", required=True, help="the source deployment, e.g. "
                                                   "https://ledger.quangnam.gov.vn")
    p.add_argument("--token", required=True,
                   help="an API token of the source that may read the tenant's feed "
                        "(an auditor's)")
    p.add_argument("--source-tenant", help="the tenant's slug at the source (default SLUG)")
    p.add_argument("--name", help="display name here (default: SLUG (bản sao))")
    p.add_argument("--admin-code", help="the province's administrative code")
    add(rsub, "list", cmd_list, "list replicas, how far each is and its lag", tenant=False)
    add(rsub, "show", cmd_show, "how far a replica is, and whether it was refused")
    add(rsub, "trust", cmd_trust,
        "pin the signing keys the source publishes now (after it rotated its key)")
    p = add(rsub, "sync", cmd_sync, "copy and verify what is new at the source",
            tenant=False)
    p.add_argument("tenant", nargs="?", help="one replica (default: every replica)")
    p.add_argument("--follow", action="store_true",
                   help="keep syncing until interrupted")
    p.add_argument("--every", type=float, default=30.0, metavar="SECONDS",
                   help="with --follow, how often (default 30)")
