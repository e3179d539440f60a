"""The `r57` command line. Errors go to stderr with a non-zero exit status."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from api.schemas.agencies import AgencySchema
from api.schemas.indicators import IndicatorSchema
from api.schemas.plans import PlanSchema
from cli import access as cli_access
from cli import agencies as cli_agencies
from cli import integrity as cli_integrity
from cli import plan_entry as cli_plan_entry
from cli import plan_revision as cli_plan_revision
from cli import reminders as cli_reminders
from cli import replica as cli_replica
from cli import reports as cli_reports
from cli.output import UsageError, print_json, print_shape, print_table, shorten, vn_date
from domain.clock import Clock
from domain.errors import AlreadyExists, Conflict, DomainError, NotFound
from domain.messages import Message
from domain.plan_document import PlanHeader
from domain.text import TextRefused, ascii_digits, canonical_text, sort_key
from i18n import render, render_code
from importers.errors import ImportFormatError
from importers.isolation import read_isolated
from importers.limits import check_file_size
from integrity.audit import BundleUnreadable
from integrity.offline import verify_file
from server.serve import ensure_demo, serve
from service import db_role
from service.commands import (
    AcceptCompletion,
    AnswerDirection,
    ApproveExtension,
    CancelTask,
    ChangeDeadline,
    ChangeTarget,
    Command,
    CommandResult,
    CompleteTask,
    Context,
    CorrectCompletionDate,
    DecideTask,
    ImportPlan,
    ImportResult,
    ReassignTask,
    RecordDirection,
    RecordTrigger,
    RefuseExtension,
    RegisterAgency,
    RenameAgency,
    ReopenTask,
    ReportIndicatorValue,
    ReportProgress,
    RequestExtension,
    ResumeTask,
    ReturnCompletion,
    ReturnReport,
    RewordTask,
    SuspendTask,
    VerifyReport,
    build,
)
from service.config import Settings
from service.container import build_tenancy
from service.handlers import ImportRefused
from service.integrity import IntegrityRefused
from service.merger import GRANT_CHOICES, TenantMerger, check_continuation, lineages
from service.replication import SourceUnavailable
from service.tenancy import Tenancy
from tenants.availability import unavailable_reason
from tenants.idempotency import IdempotencyStore

EXIT_REFUSED, EXIT_USAGE, EXIT_CONFLICT, EXIT_NOT_FOUND = 1, 2, 3, 4
EXIT_UNAVAILABLE = 75  # sysexits EX_TEMPFAIL: the database is down or busy; retry


def parse_date(text: str) -> date:
    """dd/mm/yyyy as people write it, or ISO yyyy-mm-dd."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(ascii_digits(text).strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is not a date (dd/mm/yyyy or yyyy-mm-dd)")


def parse_instant(text: str) -> datetime | date:
    """A recorded time: ISO 8601 (UTC when no offset is given), or a date, which the clock
    reads as its end in Vietnam (its start for --recorded-from): see `resolve_days`."""
    if len(text.strip()) == 10 or "/" in text:
        return parse_date(text)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time (ISO 8601) or a date (dd/mm/yyyy)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


_DAY_ENDS = ("known_at", "recorded_to", "before", "after")


def resolve_days(args: argparse.Namespace, clock: Clock) -> None:
    """Dates typed where a recorded time is meant become instants of the one clock, as the
    web and the API read them: the end of that day in Vietnam (the start, for a lower bound)."""
    for name in (*_DAY_ENDS, "recorded_from"):
        value = getattr(args, name, None)
        if isinstance(value, date) and not isinstance(value, datetime):
            setattr(args, name, clock.start_of_day(value) if name == "recorded_from"
                    else clock.end_of_day(value))


# -- handlers ------------------------------------------------------------------------------

Handler = Callable[[Tenancy, argparse.Namespace], Any]


def _ctx(args: argparse.Namespace) -> Context:
    return Context(
        actor=args.actor,
        effective_on=getattr(args, "effective", None),
        agency=getattr(args, "agency", None),
        expected_version=getattr(args, "expected_version", None),
    )


def _done(args: argparse.Namespace, result: Any, message: str) -> None:
    if args.json:
        print_json(result)
    else:
        position = getattr(result, "position", None)
        version = getattr(result, "version", None)
        suffix = f" (version {version}, log position {position})" if version else ""
        print(message + suffix)


def cmd_migrate(t: Tenancy, args: argparse.Namespace) -> None:
    applied = t.migrate()
    _done(args, {"applied": applied}, f"Applied migrations: {applied or 'none needed'}")


def cmd_prune_idempotency(t: Tenancy, args: argparse.Namespace) -> None:
    """The registry's keys, and each tenant's own where tenants keep a database of their own."""
    store = IdempotencyStore(t.storage.database)
    older_than = None if args.older_than is None else timedelta(hours=args.older_than)
    deleted = store.prune(older_than)
    if t.storage.tenant_migrations is not None:
        for tenant in t.registry.list(include_archived=True):
            deleted += store.on(t.storage.tenant_database(tenant.slug)).prune(older_than)
    hours = args.older_than if args.older_than is not None else store.retention / timedelta(hours=1)
    _done(args, {"deleted": deleted, "older_than_hours": hours},
          f"Deleted {deleted} idempotency keys older than {hours:g} hours")


def _hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not hours >= 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours (0 or more)")
    return hours


def cmd_tenant_create(t: Tenancy, args: argparse.Namespace) -> None:
    tenant = t.create_tenant(args.slug, args.name, args.code)
    _done(args, tenant, f"Created tenant {tenant.slug} ({tenant.display_name})")


def cmd_tenant_list(t: Tenancy, args: argparse.Namespace) -> None:
    tenants = t.registry.list(include_archived=args.all)
    if args.json:
        print_json(tenants)
        return
    print_table(["slug", "name", "code", "status", "created"],
                [[x.slug, x.display_name + (" (simulated)" if x.simulated else ""),
                  x.admin_code or "-", x.status, vn_date(x.created_at)] for x in tenants])


def cmd_tenant_show(t: Tenancy, args: argparse.Namespace) -> None:
    tenant = t.registry.get(args.slug)
    if args.json:
        print_json(tenant)
        return
    for key, value in tenant.to_dict().items():
        print(f"{key}: {value if value is not None else '-'}")


def cmd_tenant_rename(t: Tenancy, args: argparse.Namespace) -> None:
    tenant = t.registry.rename(args.slug, args.name)
    _done(args, tenant, f"Renamed tenant {tenant.slug} to {tenant.display_name}")


def cmd_tenant_archive(t: Tenancy, args: argparse.Namespace) -> None:
    tenant = t.registry.archive(args.slug)
    _done(args, tenant, f"Archived tenant {tenant.slug}; its history stays readable")


def cmd_tenant_merge(t: Tenancy, args: argparse.Namespace) -> None:
    results = TenantMerger(t, args.key_dir).merge(
        args.old, args.into, args.on, actor=args.actor, decision_ref=args.decision or "",
        grants=args.grants)
    if args.json:
        print_json(results)
        return
    for r in results:
        done = "merged" if r.recorded else "was merged already"
        print(f"Tenant {r.old} {done} into {r.into} from {vn_date(r.merged_on)}: plans "
              f"{', '.join(r.plans)}, {r.tasks} tasks; its log ends at {r.tree_size} entries, "
              f"root {r.root_hash}{' (signed)' if r.signed else ''}; "
              f"{r.grants} grants re-issued")
        for skipped in r.skipped_grants:
            print(f"  not re-issued: {skipped.principal}'s agency reporter grant for "
                  f"{skipped.agency}, an agency {r.into} does not register")


def cmd_tenant_lineage(t: Tenancy, args: argparse.Namespace) -> None:
    if args.bundle is not None:
        try:
            report = verify_file(Path(args.bundle), args.keys)
        except (BundleUnreadable, OSError, ValueError, KeyError) as exc:
            raise IntegrityRefused("integrity.unreadable_bundle", field="file",
                                   reason=str(exc)) from None
        proved = check_continuation(t, args.slug, report)
        if args.json:
            print_json({"continues": True, "old": proved.old_tenant, "into": args.slug,
                        "tree_size": proved.tree_size, "root_hash": proved.root_hash})
            return
        print(f"The bundle of {proved.old_tenant} verifies and ends at the head "
              f"{args.slug}'s log recorded when it merged on {vn_date(proved.merged_on)}: "
              f"{proved.tree_size} entries, root {proved.root_hash}.")
        return
    found = lineages(t, args.slug)
    if args.json:
        print_json([{"old": x.old_tenant, "name": x.old_name, "merged_on": x.merged_on,
                     "decision_ref": x.decision_ref, "plans": list(x.plans),
                     "tasks": x.tasks, "tree_size": x.tree_size,
                     "last_position": x.last_position, "root_hash": x.root_hash,
                     "chain_hash": x.chain_hash, "checkpoint": x.checkpoint or None}
                    for x in found])
        return
    print_table(["old", "name", "merged on", "decision", "tasks", "entries", "root"],
                [[x.old_tenant, x.old_name, vn_date(x.merged_on), x.decision_ref or "-",
                  str(x.tasks), str(x.tree_size), x.root_hash] for x in found])


def cmd_plan_import(t: Tenancy, args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"No file {path}.")
    ledger = t.ledger(args.tenant, for_writing=True)
    check_file_size(path.stat().st_size)
    data = path.read_bytes()
    given = PlanHeader(number=args.number or "", title=args.title or "",
                       issued_on=args.issued_on, issuing_body=args.issuer or "")
    document = read_isolated(data, path.name, header=given)
    sha256 = hashlib.sha256(data).hexdigest()
    result = ledger.handle(
        ImportPlan(document=document, sha256=sha256, accept_problems=args.accept_problems),
        _ctx(args))
    assert isinstance(result, ImportResult)
    if args.json:
        print_json(result)
        return
    if not result.recorded:
        print(f"Plan {result.plan_number} was already imported from this document; "
              "nothing recorded.")
        return
    print(f"Imported plan {result.plan_number}: {result.tasks} tasks in {result.groups} groups, "
          f"{result.indicators} indicators, {result.new_agencies} new agencies "
          f"(log position {result.position}).")
    for warning in result.warnings:
        print(f"warning: {render(warning, 'en')}", file=sys.stderr)
    for problem in result.problems:
        print(f"skipped row {problem.row}: {render(problem.reason, 'en')}: {problem.content}",
              file=sys.stderr)


def cmd_plan_show(t: Tenancy, args: argparse.Namespace) -> None:
    plans = t.queries(args.tenant).plans()
    if args.json:
        print_shape(PlanSchema(many=True), plans)
        return
    for plan in plans:
        print(f"{plan.number} ({vn_date(plan.issued_on)}) {plan.issuing_body}, ký: {plan.signer}")
        print(f"  {plan.title}")
        print(f"  Căn cứ: {', '.join(plan.legal_basis)}")
        for revision in plan.revisions:
            print(f"  Sửa đổi bởi {revision.amending} ({vn_date(revision.amending_on)}), "
                  f"hiệu lực từ {vn_date(revision.effective_on)}")
            changed = [f"{render_code(f'revision_kind.{kind}', 'vi').lower()} {n}"
                       for kind, n in revision.counts.items() if n]
            if changed:
                print(f"    {', '.join(changed)}")
        for group in plan.groups:
            print(f"  {group.code}. {shorten(group.title, 100)}")


def cmd_agency_list(t: Tenancy, args: argparse.Namespace) -> None:
    agencies = sorted(t.queries(args.tenant).agencies(), key=lambda a: sort_key(a.name))
    if args.json:
        print_shape(AgencySchema(many=True), agencies)
        return
    print_table(["name", "collective", "key"],
                [[a.name, "yes" if a.is_collective else "", a.key] for a in agencies])


def recorder(cls: type[Command], done: str) -> Handler:
    """A write command: the command is built from the arguments named like its fields,
    recorded, and `done` (formatted with the arguments) says what was recorded."""

    def handler(t: Tenancy, args: argparse.Namespace) -> None:
        ledger = t.ledger(args.tenant, for_writing=True)
        if getattr(args, "file_paths", None):
            args.files = tuple(ledger.files.put(_read_file(path), Path(path).name).sha256
                               for path in args.file_paths)
        result = ledger.handle(build(cls, vars(args)), _ctx(args))
        report = result.detail.get("report") if isinstance(result, CommandResult) else None
        _done(args, result, done.format_map(vars(args)) + (f", report {report}" if report
                                                            else ""))

    return handler


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise DomainError("file.unreadable", field="files", path=path,
                          reason=error.strerror or str(error)) from None


def cmd_indicator_list(t: Tenancy, args: argparse.Namespace) -> None:
    indicators = t.queries(args.tenant).indicator_list()
    if args.json:
        print_shape(IndicatorSchema(many=True), indicators)
        return
    print_table(["code", "indicator", "unit", "target", "year", "latest"], [
        [i.code, shorten(i.name, 60), i.unit or "-", shorten(i.target.text, 30),
         str(i.horizon_year or "-"),
         f"{i.latest.value} ({i.latest.period})" if i.latest else "-"]
        for i in indicators])


def cmd_demo(t: Tenancy, args: argparse.Namespace) -> None:
    """Build the demo tenant (once): the seed plan with its simulated history recorded at its
    dates, flagged simulated; then print its status."""
    result = ensure_demo(t)
    if result.built:
        print(f"Demo tenant '{result.slug}': plan 1534/KH-UBND and {result.recorded} simulated "
              f"commands recorded at their dates in {result.seconds:.1f} s "
              "(dữ liệu mô phỏng để trình diễn)")
    else:
        print(f"Demo tenant '{result.slug}' already exists; nothing recorded")
    args.tenant, args.on, args.known_at, args.effective_on = result.slug, None, None, None
    args.search = args.group = args.agency = args.status = args.plan = None
    cli_reports.cmd_status(t, args)


def cmd_serve(t: Tenancy, args: argparse.Namespace) -> None:
    serve(t, args.host, args.port, args.workers, demo=args.demo,
          checkpoint_every=args.checkpoint_every, key_dir=args.key_dir,
          reminders_every=args.reminders_every, replicate_every=args.replicate_every,
          projector=args.projector)


def _seconds_or_zero(text: str) -> float:
    return 0.0 if text.strip() in ("0", "0.0") else _seconds(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0")
    return seconds


# -- parser --------------------------------------------------------------------------------

def _common(p: argparse.ArgumentParser, *, writes: bool = False) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")
    if writes:
        p.add_argument("--actor", default=f"cli:{getpass.getuser()}",
                       help="who records the change (default cli:$USER)")
        p.add_argument("--effective", type=parse_date,
                       help="date the change took effect, dd/mm/yyyy (default today)")
        p.add_argument("--expected-version", type=int,
                       help="refuse unless the item is still at this version")


def _add(sub: Any, name: str, handler: Handler, help_text: str, *, writes: bool = False,
         tenant: bool = True) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    if tenant:
        p.add_argument("tenant", help="tenant slug")
    _common(p, writes=writes)
    p.set_defaults(handler=handler)
    return p


def _tenant_commands(sub: Any) -> None:
    p = sub.add_parser("tenant", help="create, list, show, rename and archive tenants")
    tsub = p.add_subparsers(dest="action", required=True)
    c = _add(tsub, "create", cmd_tenant_create, "create a tenant", tenant=False)
    c.add_argument("slug")
    c.add_argument("name", help="display name, e.g. 'Quảng Nam'")
    c.add_argument("--code", help="official administrative code (digits)")
    c = _add(tsub, "list", cmd_tenant_list, "list tenants", tenant=False)
    c.add_argument("--all", action="store_true", help="include archived tenants")
    c = _add(tsub, "show", cmd_tenant_show, "show a tenant", tenant=False)
    c.add_argument("slug")
    c = _add(tsub, "rename", cmd_tenant_rename, "change a tenant's display name", tenant=False)
    c.add_argument("slug")
    c.add_argument("name")
    c = _add(tsub, "archive", cmd_tenant_archive, "archive a tenant", tenant=False)
    c.add_argument("slug")
    c = _add(tsub, "merge", cmd_tenant_merge,
             "merge tenants into another: they become read-only archives, it carries on "
             "their plans", tenant=False, writes=True)
    c.add_argument("old", nargs="+", help="the slugs of the tenants merged")
    c.add_argument("--into", required=True, help="the slug of the tenant they merge into")
    c.add_argument("--on", required=True, type=parse_date,
                   help="the merger's effective date, dd/mm/yyyy")
    c.add_argument("--decision", help="the deciding document, e.g. 'Nghị quyết "
                   "1659/NQ-UBTVQH15'")
    c.add_argument("--grants", choices=GRANT_CHOICES, default="keep",
                   help="move: re-issue the old tenants' grants on the new one")
    c.add_argument("--key-dir", type=Path,
                   help="sign the old tenants' final checkpoints with keys here")
    c = _add(tsub, "lineage", cmd_tenant_lineage,
             "the tenants merged into this one, with the final tree head of each; with "
             "--bundle, prove that an old tenant's export is the log the merger recorded",
             tenant=False)
    c.add_argument("slug")
    c.add_argument("--bundle", type=Path, help="an export (r57 export) of a merged tenant")
    c.add_argument("--keys", type=Path, action="append", default=[],
                   help="public keys published out of band (r57 keys list --json)")


def _plan_commands(sub: Any) -> None:
    p = sub.add_parser("plan", help="import, type in and show plans")
    psub = p.add_subparsers(dest="action", required=True)
    c = _add(psub, "import", cmd_plan_import,
             "record a plan document (.txt, .docx, .doc, .odt, .pdf, .csv, .xlsx)", writes=True)
    c.add_argument("file")
    c.add_argument("--accept-problems", action="store_true",
                   help="record the readable rows even if some rows could not be read")
    c.add_argument("--number", help="the plan's number, e.g. 1534/KH-UBND (overrides the file)")
    c.add_argument("--issued-on", type=parse_date,
                   help="the date the plan was issued, dd/mm/yyyy (overrides the file)")
    c.add_argument("--issuer", help="the issuing body, e.g. 'UBND tỉnh Quảng Nam'")
    c.add_argument("--title", help="the plan's title (overrides the file)")
    _add(psub, "show", cmd_plan_show, "show the tenant's plans")
    cli_plan_entry.register(psub, _add, parse_date)
    cli_plan_revision.register(psub, _add, parse_date)


def _agency_commands(sub: Any) -> None:
    p = sub.add_parser("agency", help="the tenant's agency registry")
    asub = p.add_subparsers(dest="action", required=True)
    _add(asub, "list", cmd_agency_list, "list agencies")
    c = _add(asub, "add", recorder(RegisterAgency, "Registered agency {name}"),
             "register an agency", writes=True)
    c.add_argument("name")
    c = _add(asub, "rename", recorder(RenameAgency, "Renamed agency to {new_name}"),
             "rename an agency", writes=True)
    c.add_argument("agency", help="current name")
    c.add_argument("new_name")
    c.add_argument("--reason", required=True)
    cli_agencies.register(asub, _add, recorder, parse_date)


TASK_COMMANDS: dict[str, tuple[type[Command], str]] = {
    "reassign": (ReassignTask, "change lead and coordinating agencies"),
    "deadline": (ChangeDeadline, "change the deadline"),
    "reword": (RewordTask, "word the task otherwise (its title, and expected output)"),
    "trigger": (RecordTrigger, "record that a conditional deadline's condition was met"),
    "report": (ReportProgress, "report progress"),
    "verify": (VerifyReport, "verify a report"),
    "return": (ReturnReport, "return a report"),
    "complete": (CompleteTask, "request completion (an agency) or record it (the standing "
                               "body)"),
    "accept-completion": (AcceptCompletion, "accept a requested completion"),
    "return-completion": (ReturnCompletion, "return a requested completion"),
    "reopen": (ReopenTask, "reopen a completed task"),
    "correct-completion": (CorrectCompletionDate, "correct a completion date"),
    "request-extension": (RequestExtension, "ask for a later deadline"),
    "approve-extension": (ApproveExtension, "approve an extension request"),
    "refuse-extension": (RefuseExtension, "refuse an extension request"),
    "direct": (RecordDirection, "record a direction on the task"),
    "answer": (AnswerDirection, "answer a direction"),
    "cancel": (CancelTask, "cancel the task"),
    "suspend": (SuspendTask, "suspend the task"),
    "resume": (ResumeTask, "resume the task"),
}


def _task_commands(sub: Any) -> None:
    """Each option's `dest` is the name of the command field it fills."""
    p = sub.add_parser("task", help="record what happens to a task")
    tsub = p.add_subparsers(dest="action", required=True)
    parsers = {}
    for name, (cls, help_text) in TASK_COMMANDS.items():
        c = _add(tsub, name, recorder(cls, "Task {task}: {action} recorded"), help_text,
                 writes=True)
        c.add_argument("task", help="task number (TT), e.g. 5")
        c.add_argument("--plan", help="plan number, when the tenant has several")
        if issubclass(cls, DecideTask | ChangeDeadline | ReassignTask | RewordTask):
            c.add_argument("--reason", required=True, help="why")
            c.add_argument("--decision", dest="decision_ref", default="",
                           help="deciding document, e.g. 123/QĐ-UBND")
        parsers[name] = c
    c = parsers["reassign"]
    c.add_argument("--lead", dest="leads", action="append", required=True,
                   help="lead agency (repeatable)")
    c.add_argument("--coordinator", dest="coordinators", action="append",
                   help="coordinating agency (repeatable)")
    parsers["deadline"].add_argument("deadline", help="new deadline as written, e.g. 6/2025")
    c = parsers["reword"]
    c.add_argument("--title", required=True, help="the task's new wording")
    c.add_argument("--output", dest="expected_output",
                   help="its expected output (default: as it stands)")
    c = parsers["trigger"]
    c.add_argument("--on", dest="triggered_on", type=parse_date, required=True)
    c.add_argument("--note", default="")
    c = parsers["report"]
    c.add_argument("--period", required=True, help="YYYY, YYYY-H1, YYYY-Q2, YYYY-9M or YYYY-MM")
    c.add_argument("--percent", type=int, required=True)
    c.add_argument("--narrative", required=True)
    c.add_argument("--difficulties", default="")
    c.add_argument("--proposals", default="")
    c.add_argument("--evidence", action="append", help="evidence document (repeatable)")
    c.add_argument("--agency", help="reporting agency (must lead or coordinate the task)")
    for name in ("verify", "return"):
        parsers[name].add_argument("report", type=int, help="report number")
    parsers["verify"].add_argument("--note", default="")
    parsers["return"].add_argument("--reason", required=True)
    c = parsers["complete"]
    c.add_argument("--output", dest="output_document", required=True,
                   help="output document, e.g. 12/KH-UBND")
    c.add_argument("--on", dest="completed_on", type=parse_date, required=True,
                   help="completion date")
    c.add_argument("--agency", help="reporting agency (must lead the task)")
    c.add_argument("--note", default="")
    _review_arguments(parsers)
    cli_agencies.register_task(tsub, _add, recorder, parse_date, parse_instant)


def _review_arguments(parsers: dict[str, argparse.ArgumentParser]) -> None:
    """The review workflow's commands: completion, extensions, directions, files."""
    for name in ("accept-completion", "return-completion", "approve-extension",
                 "refuse-extension"):
        parsers[name].add_argument("request", type=int, help="request number")
    parsers["accept-completion"].add_argument("--note", default="")
    parsers["return-completion"].add_argument("--reason", required=True)
    parsers["refuse-extension"].add_argument("--reason", required=True)
    c = parsers["approve-extension"]
    c.add_argument("--decision", dest="decision_ref", required=True,
                   help="deciding document, e.g. 123/QĐ-UBND")
    c.add_argument("--note", default="")
    c = parsers["correct-completion"]
    c.add_argument("--on", dest="completed_on", type=parse_date, required=True)
    c.add_argument("--reason", required=True)
    c.add_argument("--decision", dest="decision_ref", default="")
    c = parsers["request-extension"]
    c.add_argument("deadline", help="the deadline asked for, e.g. 12/2025")
    c.add_argument("--reason", required=True)
    c.add_argument("--agency", help="requesting agency (must lead the task)")
    c = parsers["direct"]
    c.add_argument("--text", required=True)
    c.add_argument("--due", dest="due_on", type=parse_date, help="answer by, dd/mm/yyyy")
    c = parsers["answer"]
    c.add_argument("direction", type=int, help="direction number")
    c.add_argument("--text", required=True)
    c.add_argument("--agency", help="answering agency (leads or coordinates the task)")
    for name in ("report", "complete", "request-extension", "answer"):
        parsers[name].add_argument("--file", dest="file_paths", action="append",
                                   help="evidence file to attach (repeatable)")


def _indicator_commands(sub: Any) -> None:
    p = sub.add_parser("indicator", help="indicators and their values")
    isub = p.add_subparsers(dest="action", required=True)
    _add(isub, "list", cmd_indicator_list, "list indicators with their latest values")
    c = _add(isub, "report", recorder(ReportIndicatorValue, "Indicator {indicator}: value "
                                      "recorded"), "report a value", writes=True)
    c.add_argument("indicator", metavar="code")
    c.add_argument("--period", required=True)
    c.add_argument("--value", required=True)
    c.add_argument("--source", required=True)
    c.add_argument("--agency")
    c.add_argument("--plan")
    c = _add(isub, "target", recorder(ChangeTarget, "Indicator {indicator}: target changed"),
             "change the target", writes=True)
    c.add_argument("indicator", metavar="code")
    c.add_argument("target")
    c.add_argument("--reason", required=True)
    c.add_argument("--decision", dest="decision_ref", default="")
    c.add_argument("--plan")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="r57", description="R57 Plan Ledger")
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database administration")
    dsub = db.add_subparsers(dest="action", required=True)
    _add(dsub, "migrate", cmd_migrate, "apply schema migrations", tenant=False)
    db_role.register(dsub, _add)
    c = _add(dsub, "prune-idempotency", cmd_prune_idempotency,
             "delete expired Idempotency-Keys (and form tokens)", tenant=False)
    c.add_argument("--older-than", type=_hours, metavar="HOURS",
                   help="delete keys older than this (default: the retention period, 24)")
    _tenant_commands(sub)
    _plan_commands(sub)
    _agency_commands(sub)
    _task_commands(sub)
    _indicator_commands(sub)
    cli_reports.register(sub, _add, parse_date, parse_instant)
    cli_integrity.register(sub, _add)
    cli_reminders.register(sub, _add, parse_date)
    cli_replica.register(sub, _add)
    cli_access.register(sub, _add, parse_date)
    _add(sub, "demo", cmd_demo, "build tenant 'demo': the seed plan with its simulated history",
             tenant=False, writes=True)
    c = _add(sub, "serve", cmd_serve,
             "run the HTTP API under gunicorn (migrates, loads the demo unless --no-demo)",
             tenant=False)
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=8057)
    c.add_argument("--workers", type=int, help="worker processes (default 2 x cores + 1)")
    c.add_argument("--no-demo", dest="demo", action="store_false",
                   help="no demo tenant and no demo principals (production)")
    c.add_argument("--checkpoint-every", type=_seconds, metavar="SECONDS",
                   help="sign every active tenant's checkpoint this often (default: never)")
    c.add_argument("--key-dir", type=Path,
                   help="signing keys for --checkpoint-every (default DATA_DIR/keys; "
                        "required on PostgreSQL)")
    c.add_argument("--replicate-every", type=_seconds, metavar="SECONDS",
                   help="sync every replica (r57 replica add) this often (default: never)")
    c.add_argument("--reminders-every", type=_seconds_or_zero, metavar="SECONDS",
                   help="look for reminders due and e-mails to send this often; 0: never "
                        "(default $R57_REMINDERS_EVERY_SECONDS, else 300)")
    c.add_argument("--projector", action="store_true",
                   help="keep the read models in one process beside the workers; reads wait "
                        "for it instead of catching up themselves (also $R57_PROJECTOR=1)")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `r57 status | head` ends quietly
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _canonical_arguments(args)
    except TextRefused as exc:
        print(f"error: {render(exc.as_message(), 'en')}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        args.settings = settings or Settings.from_env()  # the mail server: `r57 reminders`
        tenancy = build_tenancy(args.settings)
    except (ValueError, OSError) as exc:
        print(f"error: cannot open the store: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        resolve_days(args, tenancy.clock)
        args.handler(tenancy, args)
    except ImportRefused as exc:
        print(f"error: {render(exc.as_message() or Message(exc.message), 'en')}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  row {problem.row}: {render(problem.reason, 'en')}: {problem.content}",
                  file=sys.stderr)
        return EXIT_REFUSED
    except ImportFormatError as exc:
        print(f"error: {render(exc.as_message(), 'en')}", file=sys.stderr)
        return EXIT_REFUSED
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as exc:
        where = f" [{exc.field}]" if exc.field else ""
        coded = exc.as_message()
        print(f"error{where}: {render(coded, 'en') if coded else exc.message}", file=sys.stderr)
        return _exit_code(exc)
    except Exception as exc:
        reason = unavailable_reason(exc)
        if reason is None:
            raise
        print(f"error: the database is unavailable ({reason}); retry shortly", file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        tenancy.close()
    return 0


# Arguments naming files may hold any bytes the file system allows; the rest is text.
_FILE_ARGUMENTS = frozenset({"file", "target", "document", "handler"})


def _canonical_arguments(args: argparse.Namespace) -> None:
    """Every text argument as the ledger stores it; raises TextRefused for a control
    character or an undecodable byte (an unpaired surrogate) naming the argument."""
    for name, value in vars(args).items():
        if isinstance(value, str) and name not in _FILE_ARGUMENTS:
            try:
                setattr(args, name, canonical_text(value))
            except TextRefused as exc:
                raise TextRefused(exc.char, f"--{name.replace('_', '-')}") from None


def _exit_code(exc: DomainError) -> int:
    if isinstance(exc, SourceUnavailable):
        return EXIT_UNAVAILABLE
    if isinstance(exc, Conflict | AlreadyExists):
        return EXIT_CONFLICT
    if isinstance(exc, NotFound):
        return EXIT_NOT_FOUND
    return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
