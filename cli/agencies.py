"""r57 agency succeed | merge | dissolve | alias | collective | history, and
r57 task expand | responsible: the agencies' lifecycles and collective assignees."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from api.schemas.agencies import AgencyHistorySchema, AliasPreviewSchema
from api.schemas.tasks import ResponsibilitySchema
from cli.output import print_shape, print_table, vn_date
from service.commands import (
    Command,
    DissolveAgency,
    ExpandCollective,
    MarkCollective,
    MergeAgencies,
    MergeAlias,
    SucceedAgency,
)
from service.tenancy import Tenancy

Handler = Callable[[Tenancy, argparse.Namespace], Any]
Add = Callable[..., argparse.ArgumentParser]
Recorder = Callable[[type[Command], str], Handler]

_ENDED = {"succession": "kế nhiệm bởi", "merger": "hợp nhất vào",
          "dissolution": "giải thể", "alias": "là tên gọi khác của"}


def cmd_history(t: Tenancy, args: argparse.Namespace) -> None:
    key = t.ledger(args.tenant).agency(args.agency).key
    entry = next(e for e in t.queries(args.tenant).agencies() if e.key == key)
    if args.json:
        print_shape(AgencyHistorySchema(), entry)
        return
    kind = " (nhóm cơ quan)" if entry.is_collective else ""
    if not entry.ended:
        print(f"{entry.name}{kind}: đang hoạt động")
        return
    successors = "; ".join(entry.successors)
    print(f"{entry.name}{kind}: {_ENDED[entry.ended]} {successors}".rstrip()
          + f" từ ngày {vn_date(entry.ended_on)}")


def cmd_alias(t: Tenancy, args: argparse.Namespace, record: Handler) -> None:
    """With --preview, show what the merger would move and record nothing."""
    if not args.preview:
        record(t, args)
        return
    ledger = t.ledger(args.tenant)
    alias, into = ledger.agency(args.agency).key, ledger.agency(args.into).key
    year = args.year or t.clock.today().year
    preview = t.queries(args.tenant).alias_preview(alias, into, year)
    if args.json:
        print_shape(AliasPreviewSchema(), preview)
        return
    print(f"Gộp '{preview.alias.name}' vào '{preview.agency.name}':")
    print(f"  Nhiệm vụ chuyển sang: {', '.join(preview.tasks) or 'không có'}")
    print(f"  Báo cáo chuyển sang: {preview.reports}")
    before = preview.score_led_before
    print(f"  Nhiệm vụ chủ trì năm {year}: {before[0]} + {before[1]} -> "
          f"{preview.score_led_after}")


def cmd_responsible(t: Tenancy, args: argparse.Namespace) -> None:
    on = args.on or t.clock.today()
    found = t.queries(args.tenant).responsibility(args.task, args.plan, on,
                                                  known_at=args.known_at)
    if args.json:
        print_shape(ResponsibilitySchema(), found)
        return
    print(f"Nhiệm vụ {found.number} ({found.plan}), ngày {vn_date(found.on)}:")
    rows = []
    for duty in found.duties:
        carried = "; ".join(c.name for c in duty.carried_by) or "(không còn cơ quan)"
        since = f"{duty.change} {vn_date(duty.since)}" if duty.change else ""
        rows.append(["chủ trì" if duty.role == "lead" else "phối hợp", duty.agency.name,
                     carried, since])
    print_table(["vai trò", "cơ quan giao", "cơ quan thực hiện", "thay đổi"], rows)


def register(asub: Any, add: Add, recorder: Recorder, parse_date: Any) -> None:
    """The agency lifecycle commands under `r57 agency`."""
    c = add(asub, "history", cmd_history, "how an agency stands: succeeded, merged, dissolved")
    c.add_argument("agency")
    c = add(asub, "succeed", recorder(SucceedAgency, "{agency}: succession recorded"),
            "from a date (--on), successors carry the agency's duties", writes=True)
    c.add_argument("agency")
    c.add_argument("--to", dest="successors", action="append", required=True,
                   help="successor agency (repeatable; registered when new)")
    _decided(c, parse_date)
    c = add(asub, "merge", recorder(MergeAgencies, "Merged into {into}"),
            "several agencies become one from a date (--on)", writes=True)
    c.add_argument("agencies", nargs="+")
    c.add_argument("--into", required=True, help="the merged agency (registered when new)")
    _decided(c, parse_date)
    c = add(asub, "dissolve", recorder(DissolveAgency, "{agency}: dissolution recorded"),
            "the agency ceases to exist from a date (--on), with no successor", writes=True)
    c.add_argument("agency")
    _decided(c, parse_date)
    record = recorder(MergeAlias, "{agency}: merged as another name of {into}")
    c = add(asub, "alias", lambda t, args: cmd_alias(t, args, record),
            "merge a name into the agency it is another name of", writes=True)
    c.add_argument("agency")
    c.add_argument("--into", required=True)
    c.add_argument("--reason", default="")
    c.add_argument("--preview", action="store_true",
                   help="show the tasks, reports and scores that would move; record nothing")
    c.add_argument("--year", type=int, help="the scorecard year the preview counts")
    c = add(asub, "collective", recorder(MarkCollective, "{agency}: collective mark recorded"),
            "mark an agency as a collective (a group of agencies), or --unmark it", writes=True)
    c.add_argument("agency")
    c.add_argument("--unmark", dest="is_collective", action="store_false")
    c.add_argument("--reason", default="")


def register_task(tsub: Any, add: Add, recorder: Recorder, parse_date: Any,
                  parse_instant: Any) -> None:
    """`r57 task expand` and `r57 task responsible`."""
    c = add(tsub, "expand", recorder(ExpandCollective, "Task {task}: {collective} expanded"),
            "put a collective's member agencies in its place on a task", writes=True)
    c.add_argument("task")
    c.add_argument("--plan")
    c.add_argument("--collective", required=True)
    c.add_argument("--member", dest="members", action="append", required=True,
                   help="member agency (repeatable)")
    c.add_argument("--reason", required=True)
    c.add_argument("--decision", dest="decision_ref", default="")
    c = add(tsub, "responsible", cmd_responsible,
            "who was responsible for a task on a date (through successions)")
    c.add_argument("task")
    c.add_argument("--plan")
    c.add_argument("--on", type=parse_date, help="the date asked about (default today)")
    c.add_argument("--known-at", type=parse_instant,
                   help="as known then (dd/mm/yyyy means its end)")


def _decided(c: argparse.ArgumentParser, parse_date: Any) -> None:
    c.add_argument("--on", dest="effective", type=parse_date,
                   help="the date the change takes effect, dd/mm/yyyy (required)")
    c.add_argument("--reason", required=True)
    c.add_argument("--decision", dest="decision_ref", default="",
                   help="deciding document, e.g. 202/2025/QH15")
