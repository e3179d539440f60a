"""`r57 reminders`: run the reminders once (from cron, or by hand with `--dry-run` to see
what would be sent), and view or change a tenant's reminder schedule."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from cli.output import print_json, print_table, shorten
from domain.reminders import parse_days
from i18n import render
from service.config import Settings
from service.reminders import Reminders, RunReport
from service.tenancy import Tenancy


def _reminders(t: Tenancy, args: argparse.Namespace) -> Reminders:
    settings: Settings = args.settings
    return Reminders(t, settings.mail)


def cmd_send(t: Tenancy, args: argparse.Namespace) -> None:
    report = _reminders(t, args).run(on=args.on, tenant=args.tenant, dry_run=args.dry_run)
    if args.json:
        print_json(_as_json(report))
        return
    _print_report(report)


def _as_json(report: RunReport) -> dict[str, Any]:
    return {
        "day": report.day, "dry_run": report.dry_run,
        "reminders": [{"tenant": r.tenant, "principal": r.principal, "task": r.task_number,
                       "kind": r.kind, "occasion": r.occasion, "text": render(r.message)}
                      for r in report.new],
        "emails": [vars(e) for e in report.emails],
        "sent": report.sent, "failed": report.failed,
    }


def _print_report(report: RunReport) -> None:
    day = report.day.strftime("%d/%m/%Y")
    verb = "would record" if report.dry_run else "recorded"
    print(f"Reminders for {day}: {verb} {len(report.new)} new")
    if report.new:
        print_table(["tenant", "principal", "task", "kind", "text"], [
            [r.tenant, r.principal, r.task_number, r.kind, shorten(render(r.message), 110)]
            for r in report.new])
    if report.dry_run:
        print(f"E-mails that would be sent: {len(report.emails)}")
    else:
        print(f"E-mails sent: {report.sent}; failed, to be retried: {report.failed}")
    if report.emails:
        print_table(["tenant", "principal", "address", "reminders"],
                    [[e.tenant, e.principal, e.address, str(e.reminders)] for e in report.emails])


def cmd_schedule(t: Tenancy, args: argparse.Namespace) -> None:
    reminders = _reminders(t, args)
    values = {"days_before": parse_days(args.days_before) if args.days_before is not None
              else None,
              "overdue_every_days": args.overdue_every, "on_return": args.on_return,
              "missing_report_days": args.missing_report_days}
    if any(v is not None for v in values.values()):
        schedule = reminders.set_schedule(args.tenant, args.actor, **values)
    else:
        schedule = reminders.schedule(args.tenant)
    if args.json:
        print_json(schedule.to_dict())
        return
    before = ", ".join(str(d) for d in schedule.days_before) or "none"
    print(f"Days before a deadline: {before}")
    every = schedule.overdue_every_days
    print("Overdue: on the first overdue day" + (f", then every {every} days" if every else ""))
    print(f"Returned reports and completion requests: {'yes' if schedule.on_return else 'no'}")
    missing = schedule.missing_report_days
    print(f"Missing reports: in the last {missing} days of the period" if missing
          else "Missing reports: no reminder")


def register(sub: Any, add: Any, parse_date: Any) -> None:
    p = sub.add_parser("reminders", help="reminders before deadlines, on overdue tasks, "
                                         "returned and missing reports")
    rsub = p.add_subparsers(dest="action", required=True)
    c = add(rsub, "send", cmd_send, "record the reminders due and send the e-mails due "
                                    "(each once, however often it runs)", tenant=False)
    c.add_argument("--tenant", help="only this tenant (default: every active tenant)")
    c.add_argument("--dry-run", action="store_true",
                   help="print what would be recorded and sent; record and send nothing")
    c.add_argument("--on", type=parse_date, help="the day to remind for, dd/mm/yyyy "
                                                 "(default today)")
    c = add(rsub, "schedule", cmd_schedule, "show a tenant's reminder schedule, or change "
                                            "the values given")
    c.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                   help="who changes the schedule (default cli:$USER)")
    c.add_argument("--days-before", metavar="DAYS",
                   help="days before a deadline, e.g. '30,7,1' ('' for none)")
    c.add_argument("--overdue-every", type=int, metavar="DAYS",
                   help="repeat for an overdue task every DAYS days (0: only on the day)")
    c.add_argument("--on-return", dest="on_return", action="store_true", default=None,
                   help="remind when a report or completion request is returned")
    c.add_argument("--no-on-return", dest="on_return", action="store_false")
    c.add_argument("--missing-report-days", type=int, metavar="DAYS",
                   help="remind of a missing report in the period's last DAYS days (0: never)")
