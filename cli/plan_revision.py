"""`r57 plan revise`: what a revised or amending document changes in a plan, and (with
--apply) recording it, each change citing the amending document."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from cli.output import UsageError, print_json, shorten, vn_date
from domain.revision import COUNTED
from i18n import render, render_code
from importers.isolation import read_isolated
from importers.limits import check_file_size
from service.commands import CommandResult, Context, RevisePlan
from service.queries import TenantQueries
from service.revision import preview_revision, revision_json
from service.tenancy import Tenancy

Add = Callable[..., argparse.ArgumentParser]
_KINDS = {kind: render_code(f"revision_kind.{kind}", "en") for kind in COUNTED}


def cmd_plan_revise(t: Tenancy, args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"No file {path}.")
    check_file_size(path.stat().st_size)
    data = path.read_bytes()
    document = read_isolated(data, path.name, require_number=False)
    sha256 = hashlib.sha256(data).hexdigest()
    ledger = t.ledger(args.tenant, for_writing=bool(args.apply))
    plan = ledger.plan(args.plan)
    preview = preview_revision(ledger, plan, document, sha256, partial=args.listed_only)
    if not args.apply:
        shown = revision_json(preview, TenantQueries(ledger.app).state().agencies)
        if args.json:
            print_json(shown)
            return
        _print_preview(shown, args.amending, args.on)
        print("Preview only: nothing recorded. Add --apply to record these changes.")
        return
    context = Context(actor=args.actor, effective_on=args.on or args.effective,
                      expected_version=args.expected_version)
    result = ledger.handle(RevisePlan(
        plan=plan.number, document=document, sha256=sha256, amending=args.amending,
        amending_on=args.on, reason=args.reason or "",
        accept_problems=args.accept_problems, partial=args.listed_only), context)
    assert isinstance(result, CommandResult)
    if args.json:
        print_json(result)
    elif not result.detail["recorded"]:
        print(f"Plan {plan.number} was already revised by this document; nothing recorded.")
    else:
        counts = ", ".join(f"{n} {_KINDS[k]}" for k, n in result.detail["counts"].items() if n)
        print(f"Revised plan {plan.number} by {args.amending}: {counts or 'no change'} "
              f"({result.detail['events']} events, log position {result.position}).")


def _print_preview(shown: Mapping[str, Any], amending: str, on: date | None) -> None:
    when = f" ({vn_date(on)})" if on else ""
    changes = shown["changes"]
    print(f"Revision of plan {shown['plan']} by {amending}{when}: {len(changes)} tasks "
          f"changed, {shown['unchanged']} unchanged.")
    if shown["recorded_already"]:
        print("This document was recorded against the plan already: applying records nothing.")
    for change in changes:
        written = change["written_number"]
        where = f" (no. {written} in the document)" if written and written != change["task"] \
            else ""
        closed = "" if change["applicable"] else " [task closed: left as it is]"
        print(f"- task {change['task']}{where}: "
              + ", ".join(_KINDS[k] for k in change["kinds"]) + closed)
        for line in _details(change):
            print(f"    {line}")
    for group in shown["groups_renamed"]:
        print(f"- group {group['code']} renamed:")
        print(f"    was: {group['before']}")
        print(f"    now: {group['after']}")
    for added in shown["indicators_added"]:
        unit = f" ({added['unit']})" if added["unit"] else ""
        print(f"- indicator {added['indicator']} added: {shorten(added['name'], 70)}, "
              f"target {added['target'] or '-'}{unit}")
    for removed in shown["indicators_removed"]:
        print(f"- indicator {removed['indicator']} removed (kept, no longer counted): "
              f"{shorten(removed['name'], 70)}")
    for target in shown["targets"]:
        print(f"- indicator {target['indicator']}: target {target['before']} -> "
              f"{target['after']}")
    for warning in shown["warnings"]:
        print(f"warning: {render(warning, 'en')}")
    for group in shown["new_groups"]:
        print(f"new group {group['code']}: {group['title']}")
    if shown["new_agencies"]:
        print("new agencies: " + "; ".join(shown["new_agencies"]))


def _details(change: Mapping[str, Any]) -> list[str]:
    before, after = change["before"] or {}, change["after"] or {}
    kinds = change["kinds"]
    lines = []
    if "added" in kinds:
        lines.append(f"{shorten(after['title'], 90)} | lead: {'; '.join(after['leads'])}"
                     f" | deadline: {after['deadline']}")
    if "removed" in kinds:
        lines.append(shorten(before["title"], 90))
    if "reworded" in kinds:
        lines += [f"was: {before['title']}", f"now: {after['title']}"]
    if "deadline_changed" in kinds:
        lines.append(f"deadline: {before['deadline']} -> {after['deadline']}")
    if "lead_changed" in kinds:
        lines.append(f"lead: {'; '.join(before['leads'])} -> {'; '.join(after['leads'])}")
    if change["moved_to"]:
        moved = change["moved_to"]
        lines.append(f"group: {change['group']} -> {moved['code']} "
                     f"({shorten(moved['title'], 70)})")
    if "coordinators_changed" in kinds:
        lines.append(f"coordinators: {'; '.join(before['coordinators']) or '-'} -> "
                     f"{'; '.join(after['coordinators']) or '-'}")
    return lines


def register(psub: Any, add: Add, parse_date: Callable[[str], date]) -> None:
    c = add(psub, "revise", cmd_plan_revise,
            "compare a revised or amending document with a plan; --apply records the "
            "differences, each citing the amending document", writes=True)
    c.add_argument("file", help="the revised plan or the amending decision with its list "
                                "of tasks (.txt, .docx, .doc, .odt, .pdf, .csv, .xlsx)")
    c.add_argument("--plan", required=True, help="the number of the plan revised")
    c.add_argument("--amending", required=True,
                   help='the amending document, e.g. "Quyết định số 245/QĐ-UBND"')
    c.add_argument("--on", type=parse_date,
                   help="the amending document's date, dd/mm/yyyy: the changes take effect "
                        "then (default: the document's own date)")
    c.add_argument("--reason", help="why (default: the plan adjusted by the amending document)")
    c.add_argument("--apply", action="store_true",
                   help="record the differences (without it: print them, record nothing)")
    c.add_argument("--listed-only", action="store_true",
                   help="the document lists only the tasks it amends or adds: the tasks it "
                        "leaves out stay as they are (default: they are removed)")
    c.add_argument("--accept-problems", action="store_true",
                   help="record even when some rows could not be read")
