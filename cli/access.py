"""`r57` commands for principals, grants and tokens. The command line is the operator's
console: whoever runs it on the server acts as `cli:<user>`."""

from __future__ import annotations

import argparse
from typing import Any

from cli.output import print_json, print_table
from domain.access import Role
from service.tenancy import Tenancy


def _by(args: argparse.Namespace) -> str:
    return str(args.actor)


def cmd_principal_create(t: Tenancy, args: argparse.Namespace) -> None:
    view = t.access.create_principal(args.name, args.display_name or args.name, _by(args))
    print_json(view) if args.json else print(f"Created principal {view.name}")


def cmd_principal_list(t: Tenancy, args: argparse.Namespace) -> None:
    views = t.access.principals()
    if args.json:
        print_json(views)
        return
    print_table(["name", "display name", "grants", "live tokens"], [
        [v.name, v.display_name,
         ", ".join(f"{g.role}@{g.tenant or '*'}" + (f"/{g.agency}" if g.agency else "")
                   for g in sorted(v.grants, key=str)) or "-",
         str(sum(1 for _, _, live in v.tokens.values() if live))]
        for v in views])


def cmd_principal_show(t: Tenancy, args: argparse.Namespace) -> None:
    view = t.access.principal(args.name)
    if args.json:
        print_json(view)
        return
    for key, value in view.to_dict().items():
        print(f"{key}: {value}")


def cmd_grant(t: Tenancy, args: argparse.Namespace) -> None:
    view = t.access.grant(args.name, args.role, args.tenant or "", args.agency or "", _by(args))
    print_json(view) if args.json else print(f"Granted {args.role} to {view.name}")


def cmd_revoke(t: Tenancy, args: argparse.Namespace) -> None:
    view = t.access.revoke(args.name, args.role, args.tenant or "", args.agency or "", _by(args))
    print_json(view) if args.json else print(f"Revoked {args.role} from {view.name}")


def cmd_token_create(t: Tenancy, args: argparse.Namespace) -> None:
    expires = t.clock.end_of_day(args.expires) if args.expires else None
    issued = t.access.issue_token(args.name, _by(args), expires)
    if args.json:
        print_json(issued)
        return
    print(f"Token {issued.token_id} for {issued.principal} (shown once, keep it safe):")
    print(issued.token)


def cmd_token_revoke(t: Tenancy, args: argparse.Namespace) -> None:
    t.access.revoke_token(args.name, args.token_id, _by(args))
    print_json({"revoked": args.token_id}) if args.json else print(
        f"Revoked token {args.token_id}")


def register(sub: Any, add: Any, parse_date: Any) -> None:
    principal = sub.add_parser("principal", help="people and systems that use the service")
    psub = principal.add_subparsers(dest="action", required=True)
    p = add(psub, "create", cmd_principal_create, "create a principal", tenant=False,
            writes=True)
    p.add_argument("name", help="e.g. dost.lan@quang-nam")
    p.add_argument("--display-name")
    add(psub, "list", cmd_principal_list, "list principals and their grants", tenant=False)
    p = add(psub, "show", cmd_principal_show, "show a principal", tenant=False)
    p.add_argument("name")
    for name, handler in (("grant", cmd_grant), ("revoke", cmd_revoke)):
        p = add(sub, name, handler, f"{name} a role", tenant=False, writes=True)
        p.add_argument("name", help="principal")
        p.add_argument("role", choices=[r.value for r in Role])
        p.add_argument("--tenant", help="tenant slug (every role but system_admin)")
        p.add_argument("--agency", help="the agency an agency_reporter reports for")
    token = sub.add_parser("token", help="bearer tokens (stored only as a hash)")
    tsub = token.add_subparsers(dest="action", required=True)
    p = add(tsub, "create", cmd_token_create, "issue a token, shown once", tenant=False,
            writes=True)
    p.add_argument("name", help="principal")
    p.add_argument("--expires", type=parse_date, help="last valid day, dd/mm/yyyy")
    p = add(tsub, "revoke", cmd_token_revoke, "revoke a token", tenant=False, writes=True)
    p.add_argument("name", help="principal")
    p.add_argument("token_id")
