"""`r57 plan create`, `add-group`, `add-task`, `add-indicator`: a plan with no table to
import, typed in by hand, one command per part, each read by the rules of an import."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from cli.output import print_json
from service.commands import (
    AddGroup,
    AddIndicator,
    AddTask,
    Command,
    CommandResult,
    Context,
    CreatePlan,
    build,
)
from service.tenancy import Tenancy

Handler = Callable[[Tenancy, argparse.Namespace], Any]
Add = Callable[..., argparse.ArgumentParser]
AGENCIES = "as the plan writes them; several separated by ';'"


def _entry(cls: type[Command], done: str) -> Handler:
    """Record the command built from the arguments; say what was recorded, how the
    deadline was read (a warning when it is kept as text) and which agencies are new."""

    def handler(t: Tenancy, args: argparse.Namespace) -> None:
        context = Context(actor=args.actor, effective_on=args.effective)
        result = t.ledger(args.tenant, for_writing=True).handle(build(cls, vars(args)), context)
        assert isinstance(result, CommandResult)
        if args.json:
            print_json(result)
            return
        detail = result.detail
        print(done.format_map({**vars(args), **detail})
              + f" (version {result.version}, log position {result.position})")
        deadline = detail.get("deadline")
        if deadline and deadline["kind"] == "unparsed" and deadline["text"]:
            print(f"warning: deadline '{deadline['text']}' kept as text: {deadline['warning']}",
                  file=sys.stderr)
        elif deadline:
            print(f"  deadline: {deadline['meaning']}")
        if detail.get("group_added"):
            print(f"  the plan had no group: group {detail['group']} added")
        if detail.get("new_agencies"):
            print("  registered agencies: " + "; ".join(detail["new_agencies"]))

    return handler


def register(psub: Any, add: Add, parse_date: Callable[[str], date]) -> None:
    c = add(psub, "create", _entry(CreatePlan, "Created plan {number}"),
            "create a plan typed in by hand (one with no table to import)", writes=True)
    c.add_argument("number", help="the plan's number, e.g. 15-KH/TU")
    c.add_argument("--title", default="", help="the plan's title")
    c.add_argument("--issued-on", type=parse_date,
                   help="the date it was issued, dd/mm/yyyy; its parts take effect then")
    c.add_argument("--issuer", default="", help="the issuing body, e.g. 'Tỉnh ủy Quảng Nam'")
    c.add_argument("--place", default="")
    c.add_argument("--signer", default="")
    c.add_argument("--signer-title", default="")
    c.add_argument("--basis", dest="legal_basis", action="append", default=[],
                   help="a document it is based on, e.g. 57-NQ/TW (repeat for several)")
    c = add(psub, "add-group", _entry(AddGroup, "Plan {plan}: group {group} added"),
            "add a group of tasks to a plan", writes=True)
    c.add_argument("code", help="as the plan writes it: I, II, ...")
    c.add_argument("title")
    _plan_option(c)
    c = add(psub, "add-task", _entry(AddTask, "Plan {plan}: task {number} added in "
                                              "group {group}"),
            "add a task to a plan, as a row of its task table", writes=True)
    c.add_argument("number", help="its number in the plan; II.3 when numbers restart per group")
    c.add_argument("title")
    c.add_argument("--group", default="", help="the group's code (needed when there are several)")
    c.add_argument("--leads", default="", help=f"lead agencies, {AGENCIES}")
    c.add_argument("--coordinators", default="", help=f"coordinating agencies, {AGENCIES}")
    c.add_argument("--output", dest="expected_output", default="",
                   help="the expected output, e.g. 'Quyết định'")
    c.add_argument("--deadline", default="",
                   help="as the plan writes it: 6/2025, Quý II/2025, Hằng năm, Thường xuyên...")
    _plan_option(c)
    c = add(psub, "add-indicator", _entry(AddIndicator, "Plan {plan}: indicator {code} "
                                                        "added"),
            "add an indicator to a plan, as a row of its indicator table", writes=True)
    c.add_argument("code", help="1, 7, 7.1")
    c.add_argument("name")
    c.add_argument("--unit", default="")
    c.add_argument("--target", default="", help="as written: '≥ 80', 'Tiên tiến, hiện đại'")
    c.add_argument("--responsible", default="", help=f"agencies that follow it, {AGENCIES}")
    c.add_argument("--horizon-year", type=int, help="the year of the target, e.g. 2030")
    _plan_option(c)


def _plan_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plan", help="the plan's number, when the tenant has several")
