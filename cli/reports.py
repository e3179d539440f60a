"""`r57` read commands over the read models: status, summary, scorecard, indicators,
history, changes, diff, and the projections' rebuild and check."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from api.schemas.reports import DiffSchema, IndicatorProgressSchema, ScorecardSchema, SummarySchema
from api.schemas.tasks import StatusSchema
from cli.integrity import add_despite_argument
from cli.output import print_json, print_shape, print_table, shorten, vn_date
from domain.agencies import normalise_agency
from domain.status import StatusClass
from projections import scorecard as scorecard_rules
from projections.change_log import ChangeFilter
from service.audit_texts import audit_text, entry_json
from service.integrity import TenantIntegrity
from service.queries import TenantQueries
from service.tenancy import Tenancy


def _when(args: argparse.Namespace) -> dict[str, Any]:
    return {"known_at": args.known_at, "effective_on": args.effective_on}


def _queries(t: Tenancy, args: argparse.Namespace) -> TenantQueries:
    return t.queries(args.tenant)


def _on(t: Tenancy, args: argparse.Namespace) -> date:
    """The judging date: as given, else that of --effective-on or --known-at, else today
    (dates in Vietnam, from the one clock)."""
    if args.on or args.effective_on:
        on: date = args.on or args.effective_on
        return on
    return t.clock.local(args.known_at).date() if args.known_at else t.clock.today()


def cmd_status(t: Tenancy, args: argparse.Namespace) -> None:
    on = _on(t, args)
    rows = _queries(t, args).status(on, search=args.search, group=args.group,
                                    agency=args.agency, status=args.status, plan=args.plan,
                                    **_when(args))
    if args.json:
        print_shape(StatusSchema(), {"on": on, **_when(args), "tasks": rows})
        return
    print(f"Status on {vn_date(on)}" + _as_of(args))
    print_table(["TT", "task", "lead", "deadline", "report", "status"], [
        [r.number, shorten(r.title, 48), shorten("; ".join(r.leads), 32), r.deadline,
         f"{r.last_report_percent}% {r.last_report_period}" if r.last_report_period else "-",
         r.status.label_vi]
        for r in rows])


def _as_of(args: argparse.Namespace) -> str:
    parts = []
    if args.known_at:
        parts.append(f"as known at {args.known_at.isoformat()}")
    if args.effective_on:
        parts.append(f"as effective on {vn_date(args.effective_on)}")
    return (", " + ", ".join(parts)) if parts else ""


def cmd_summary(t: Tenancy, args: argparse.Namespace) -> None:
    summary = _queries(t, args).summary(_on(t, args), plan=args.plan, **_when(args))
    if args.json:
        print_shape(SummarySchema(), summary)
        return
    print(f"Summary on {vn_date(summary.on)}{_as_of(args)}; reporting period {summary.period}")
    classes = [k for k in summary.overall if k != "total"]
    rows = [["all", *(str(summary.overall[k]) for k in classes), str(summary.overall["total"])]]
    rows += [[f"group {g}", *(str(c[k]) for k in classes), str(c["total"])]
             for g, c in summary.by_group.items()]
    print_table(["", *classes, "total"], rows)
    print(f"\nDue within 30 days: {len(summary.due_soon)}")
    for r in summary.due_soon:
        print(f"  {r.number}. {shorten(r.title, 70)} (due {vn_date(r.due)})")
    print(f"Missing a report for {summary.period}: {len(summary.missing_report)} tasks")


def cmd_scorecard(t: Tenancy, args: argparse.Namespace) -> None:
    queries = _queries(t, args)
    scores = queries.scorecard(args.year, plan=args.plan, **_when(args))
    collectives = queries.collective_scores(args.year, plan=args.plan, **_when(args))
    ended = queries.ended_scores(args.year, plan=args.plan, **_when(args))
    if args.json:
        print_shape(ScorecardSchema(), {"year": args.year, "agencies": scores,
                                        "collectives": collectives, "ended": ended,
                                        "rule": (scorecard_rules.__doc__ or "").strip()})
        return
    print_table(["rank", "agency", "led", "on time", "late", "overdue", "reports on time"], [
        [str(s.rank) if s.rank else "-", shorten(s.agency, 50), str(s.led), str(s.done_on_time),
         str(s.done_late), str(s.overdue), f"{s.reports_on_time}/{s.reports}"]
        for s in (*scores, *collectives, *ended)])
    for s in collectives:
        print(f"Not ranked: {s.agency} is a collective")
    for s in ended:
        to = f" to {'; '.join(s.successors)}" if s.successors else ""
        print(f"Not ranked: {s.agency}, {s.ended}{to} from {vn_date(s.ended_on)}")


def cmd_indicators(t: Tenancy, args: argparse.Namespace) -> None:
    rows = _queries(t, args).indicators(**_when(args))
    if args.json:
        print_shape(IndicatorProgressSchema(many=True), rows)
        return
    met = {True: "met", False: "not met", None: "-"}
    print_table(["code", "indicator", "target", "latest", "met"], [
        [r.code, shorten(r.name, 60), shorten(r.target, 30),
         f"{r.latest_value} ({r.latest_period})" if r.latest_value else "-", met[r.met]]
        for r in rows])


def cmd_history(t: Tenancy, args: argparse.Namespace) -> None:
    entries = _queries(t, args).history(args.task, args.plan, args.known_at)
    if args.json:
        print_json([entry_json(e) for e in entries])
        return
    for e in entries:
        print(f"#{e.position} v{e.version} {vn_date(e.recorded_at)} "
              f"(effective {vn_date(e.effective_on)}) by {e.actor}"
              + (f" for {e.on_behalf_of}" if e.on_behalf_of else ""))
        print(f"    {audit_text(e, 'en')}")
        if e.reason:
            print(f"    why: {e.reason}")
        if e.document:
            print(f"    document: {e.document}")


def cmd_changes(t: Tenancy, args: argparse.Namespace) -> None:
    where = ChangeFilter(
        types=tuple(args.type or ()), task=args.task, indicator=args.indicator,
        agency=normalise_agency(args.agency).key if args.agency else None, actor=args.actor,
        recorded_from=args.recorded_from, recorded_to=args.recorded_to,
        effective_from=args.effective_from, effective_to=args.effective_to,
    )
    page = _queries(t, args).changes(where, args.limit, args.cursor)
    if args.json:
        print_json({"entries": [entry_json(e) for e in page.entries],
                    "next_cursor": page.next_cursor})
        return
    print_table(["#", "recorded", "effective", "type", "subject", "by", "change", "why"], [
        [str(e.position), vn_date(e.recorded_at), vn_date(e.effective_on), e.change_type or "",
         e.subject, e.actor, shorten(audit_text(e, "en"), 50), shorten(e.reason, 30)]
        for e in page.entries])
    if page.next_cursor:
        print(f"\nmore: --cursor {page.next_cursor}")


def cmd_diff(t: Tenancy, args: argparse.Namespace) -> None:
    diff = _queries(t, args).diff(args.before, args.after)
    if args.json:
        print_shape(DiffSchema(), diff)
        return
    print(f"Plan as known at {diff.before_label} → as known at {diff.after_label}")
    for item in diff.items:
        print(f"  {shorten(item.text, 120)}")
    if not diff.items:
        print("  no difference")


def cmd_rebuild(t: Tenancy, args: argparse.Namespace) -> None:
    queries = _queries(t, args)  # the tenant resolved, or not found
    TenantIntegrity(t.application(t.registry.get(args.tenant).slug)).require_intact(
        "rebuild", despite_tampering=args.despite_tampering, actor=args.actor)
    position = queries.rebuild()
    if args.json:
        print_json({"position": position})
    else:
        print(f"Rebuilt the read models of {args.tenant} up to log position {position}")


def cmd_check(t: Tenancy, args: argparse.Namespace) -> None:
    differences = _queries(t, args).check()
    if args.json:
        print_json({"differences": differences})
    elif not differences:
        print(f"The read models of {args.tenant} match a fresh rebuild")
    for d in differences if not args.json else ():
        print(f"differs: {d.what}\n  live:    {d.live}\n  rebuilt: {d.rebuilt}")
    if differences:
        sys.exit(1)


def register(sub: Any, add: Any, parse_date: Any, parse_instant: Any) -> None:
    """Add the read commands to the `r57` parser."""

    def timed(p: argparse.ArgumentParser, *, on: bool = True) -> None:
        if on:
            p.add_argument("--on", type=parse_date, help="judge status on this date")
        p.add_argument("--known-at", type=parse_instant,
                       help="only what was recorded by then (ISO time, or a date's end)")
        p.add_argument("--effective-on", type=parse_date,
                       help="the real world on that date, as recorded now")

    p = add(sub, "status", cmd_status, "each task with its current state")
    timed(p)
    p.add_argument("--search", help="words to find, diacritics optional ('khoa hoc')")
    p.add_argument("--group", help="task group, e.g. III")
    p.add_argument("--agency", help="lead or coordinating agency (diacritics optional)")
    p.add_argument("--status", choices=[c.value for c in StatusClass])
    p.add_argument("--plan", help="only this plan's tasks (default every plan)")
    p = add(sub, "summary", cmd_summary, "counts per status, due soon, missing reports")
    timed(p)
    p.add_argument("--plan", help="only this plan's tasks (default every plan)")
    p = add(sub, "scorecard", cmd_scorecard, "agency scorecard and ranking for a year")
    p.add_argument("year", type=int)
    p.add_argument("--plan", help="only this plan's tasks (default every plan)")
    timed(p, on=False)
    timed(add(sub, "indicators", cmd_indicators, "indicator progress against targets"),
          on=False)
    p = add(sub, "history", cmd_history, "a task's audit trail in log order")
    p.add_argument("task")
    p.add_argument("--plan")
    p.add_argument("--known-at", type=parse_instant)
    p = add(sub, "changes", cmd_changes, "the change log, filtered and paged")
    p.add_argument("--type", action="append", help="change type (repeatable)")
    p.add_argument("--task")
    p.add_argument("--indicator")
    p.add_argument("--agency")
    p.add_argument("--actor")
    p.add_argument("--recorded-from", type=parse_instant)
    p.add_argument("--recorded-to", type=parse_instant)
    p.add_argument("--effective-from", type=parse_date)
    p.add_argument("--effective-to", type=parse_date)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--cursor")
    p = add(sub, "diff", cmd_diff, "what changed between two recorded times")
    p.add_argument("before", type=parse_instant)
    p.add_argument("after", type=parse_instant)
    projections = sub.add_parser("projections", help="rebuild or check the read models")
    psub = projections.add_subparsers(dest="action", required=True)
    add_despite_argument(add(psub, "rebuild", cmd_rebuild,
                             "recompute every read model from the events, from a log that "
                             "verifies"))
    add(psub, "check", cmd_check, "compare the live read models with a fresh rebuild")
