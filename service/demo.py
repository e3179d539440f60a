"""The demo: plan 1534 with a simulated history, recorded as it would have been.

`service/seed/demo-history.json` is the script: what plausibly happened to the seed plan from
its import on 28/02/2025 on (completions asked for, returned and accepted, extensions granted
and refused, deadline changes, reassignments, a cancelled, a suspended and a resumed task, a
conditional task triggered, directions and answers, agencies renamed when the province merged,
the plan revised by an amending decision, indicator values), plus the routine of quarterly
progress reports, drawn from a seeded random generator (some late, some returned and
resubmitted). The same file and seed give the same history.

`script` turns the file (and the revised plan documents it names) into dated steps; `play`
records each step through `TenantLedger.handle`, the way every user's command is recorded, on
a ledger whose clock is set to the step's instant, so recorded times, effective dates, "as
known at", the change log and the hash chain show the history as it would have been recorded.
`build_demo` makes the tenant (flagged simulated: every page, answer, export and bundle of it
says so) and plays the script up to now.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.clock import Clock, fixed
from domain.deadlines import DeadlineKind
from domain.errors import NotFound
from domain.periods import ReportingPeriod
from domain.plan_document import PlanDocument
from domain.task import OPEN, RETURNED, SUBMITTED
from importers import read_plan_document
from service import commands
from service.commands import (
    AcceptCompletion,
    Command,
    CompleteTask,
    Context,
    ImportPlan,
    ReportIndicatorValue,
    ReportProgress,
    ReturnReport,
    VerifyReport,
)
from service.ledger import TenantLedger
from service.tenancy import Tenancy

SEED = Path(__file__).parent / "seed"
HISTORY = SEED / "demo-history.json"
STANDING_BODY = "standing_body"
DATE_FIELDS = frozenset({"completed_on", "triggered_on", "due_on", "issued_on", "amending_on"})
# The step fields that name an earlier record by what the task holds when the step is played.
REFERENCES: dict[str, tuple[str, ...]] = {
    "report": ("last",), "request": ("pending", "open"), "direction": ("last",)}
SIMULATED_MARK = "DU LIEU MO PHONG DE TRINH DIEN - KHONG PHAI VAN BAN THAT"


@dataclass(frozen=True)
class Move:
    """One command to record, by whom."""

    command: Command
    context: Context


@dataclass(frozen=True)
class Step:
    """Something that happened at `at`: `move` decides, from what the ledger holds then,
    the command to record (None: nothing, e.g. a report on a task completed meanwhile)."""

    at: datetime  # the instant it is recorded at, in UTC
    order: int
    what: str
    move: Callable[[TenantLedger], Move | None]


@dataclass(frozen=True)
class DemoResult:
    slug: str
    recorded: int  # commands recorded
    skipped: int  # steps that had nothing to record when played
    seconds: float
    built: bool  # False: the tenant was there already


def load(path: Path = HISTORY) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


# -- the script --------------------------------------------------------------------------


class _Script:
    def __init__(self, history: Mapping[str, Any], document: PlanDocument, sha256: str,
                 clock: Clock, seed: Path) -> None:
        self.history, self.document, self.sha256, self.clock = history, document, sha256, clock
        self.seed = seed  # where the documents the steps name are
        self.revisions: list[PlanDocument] = []  # the revised plan documents, in story order
        self.steps: list[Step] = []
        self.reporters: dict[str, str] = dict(history.get("reporters", {}))
        self.standing_body: str = history["standing_body"]
        self._keys: dict[str, str] = {}  # the reporters' agencies by key, once registered

    def instant(self, day: str | date, at: str = "10:00") -> datetime:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        hour, minute = (int(part) for part in at.split(":"))
        start = self.clock.start_of_day(when)
        return start + timedelta(hours=hour, minutes=minute)

    def add(self, at: datetime, what: str, move: Callable[[TenantLedger], Move | None]) -> None:
        self.steps.append(Step(at, len(self.steps), what, move))

    def acting(self, who: str) -> Context:
        if who == STANDING_BODY:
            return Context(actor=self.standing_body)
        return Context(actor=self.reporters.get(who, self.standing_body), agency=who)

    # the plan itself
    def imported(self) -> None:
        spec = self.history["imported"]
        command = ImportPlan(document=self.document, sha256=self.sha256)
        self.add(self.instant(spec["on"], spec.get("at", "08:30")), "ImportPlan",
                 lambda _: Move(command, Context(actor=spec["by"])))

    # the story, step by step
    def story(self) -> None:
        for step in self.history.get("steps", []):
            self.add(self.instant(step["on"], step.get("at", "10:00")), step["do"],
                     self._explicit(step))
        for done in self.history.get("completions", []):
            self._completion(done)
        for batch in self.history.get("indicator_values", []):
            start = self.instant(batch["on"], batch.get("at", "09:00"))
            for i, (code, value) in enumerate(batch["values"].items()):
                command = ReportIndicatorValue(indicator=code, period=batch["period"],
                                               value=value, source=batch["source"])
                self.add(start + timedelta(minutes=2 * i), "ReportIndicatorValue",
                         _fixed_move(command, self.acting(batch["as"])))

    def _explicit(self, step: Mapping[str, Any]) -> Callable[[TenantLedger], Move | None]:
        cls: type[Command] = getattr(commands, step["do"])
        context = self.acting(step["as"])
        if "effective_on" in step:
            context = Context(context.actor, date.fromisoformat(step["effective_on"]),
                              context.agency)
        names = {f.name for f in fields(cls)}
        values = {key: _value(key, value) for key, value in step.items() if key in names}
        if "document" in step:  # a revised plan, recorded as `r57 plan revise` records it
            values.update(self._revision(step["document"]))
        unknown = set(step) - names - {"on", "at", "as", "do", "files", "effective_on"}
        if unknown:
            raise ValueError(f"step {step['do']} on {step['on']}: unknown {sorted(unknown)}")
        files = step.get("files", [])

        def move(ledger: TenantLedger) -> Move:
            given = dict(values)
            for key, wanted in REFERENCES.items():
                if given.get(key) in wanted:
                    given[key] = _reference(ledger, str(given["task"]), key, given[key])
            if files:
                given["files"] = tuple(_store(ledger, f["name"], f["title"], step["on"])
                                       for f in files)
            return Move(cls(**given), context)
        return move

    def _revision(self, name: str) -> dict[str, Any]:
        path = self.seed / name
        document = read_plan_document(path)
        self.revisions.append(document)
        return {"document": document, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}

    def _completion(self, done: Mapping[str, Any]) -> None:
        task, output = str(done["task"]), done["output"]
        name = f"hoan-thanh-nhiem-vu-{task}.pdf"

        def request(ledger: TenantLedger) -> Move:
            digest = _store(ledger, name, output, done["requested"])
            return Move(CompleteTask(task=task, output_document=output,
                                     completed_on=date.fromisoformat(done["completed_on"]),
                                     files=(digest,)), self.acting(done["by"]))

        def accept(ledger: TenantLedger) -> Move | None:
            pending = ledger.task(task).pending_completion
            if pending is None:
                return None
            return Move(AcceptCompletion(task=task, request=pending,
                                         note="Đã kiểm tra văn bản, hồ sơ kèm theo."),
                        self.acting(STANDING_BODY))

        self.add(self.instant(done["requested"], done.get("at", "14:00")), "CompleteTask",
                 request)
        if done.get("accepted"):  # none: it still waits for the standing body's review
            self.add(self.instant(done["accepted"], "15:30"), "AcceptCompletion", accept)

    # the routine: quarterly reports of every open task, reviewed by the standing body
    def routine(self) -> None:
        spec = self.history["routine_reports"]
        rng = random.Random(self.history["seed"])  # noqa: S311 - a replayable story, not a secret
        numbers = [t.number for t in self.document.tasks] + [
            str(s["number"]) for s in self.history.get("steps", []) if s["do"] == "AddTask"]
        numbers += [n for n in dict.fromkeys(  # the tasks revisions add
            t.number.rstrip(".") for d in self.revisions for t in d.tasks) if n not in numbers]
        skip = set(spec.get("skip_tasks", []))
        unreviewed = set(spec.get("unreviewed_periods", []))  # waiting in the review queue
        for code in spec["periods"]:
            period = ReportingPeriod.parse(code)
            for number in numbers:
                late = rng.random() < spec["late_share"]
                days = rng.randint(*spec["late_days_after_period_end" if late
                                        else "submitted_days_after_period_end"])
                at = self.instant(period.end + timedelta(days=days),
                                  f"{rng.randint(8, 16)}:{rng.randint(0, 59):02d}")
                step = rng.choice(spec["percent_steps"])
                narrative = rng.choice(spec["narratives"])
                difficulty = rng.choice(spec["difficulties"])
                review = at + timedelta(days=rng.randint(*spec["reviewed_days_after"]))
                returned = rng.random() < spec["returned_share"]
                reason = rng.choice(spec["return_reasons"])
                again = review + timedelta(days=rng.randint(*spec["resubmitted_days_after_return"]))
                if number in skip:
                    continue
                self.add(at, "ReportProgress", self._report(
                    number, code, step, spec["percent_cap"], narrative, difficulty))
                if code in unreviewed:
                    continue
                if returned:
                    self.add(review, "ReturnReport", self._review(number, code, reason))
                    self.add(again, "ReportProgress", self._report(
                        number, code, 0, spec["percent_cap"], spec["resubmitted_narrative"],
                        difficulty, again=True))
                    self.add(again + timedelta(days=3), "VerifyReport",
                             self._review(number, code, None))
                else:
                    self.add(review, "VerifyReport", self._review(number, code, None))

    def _reporter(self, ledger: TenantLedger, leads: Iterable[str]) -> Context:
        if not self._keys:
            self._keys = {ledger.agency(name).key: name for name in self.reporters}
        for key in leads:
            if key in self._keys:
                return self.acting(self._keys[key])
        return self.acting(STANDING_BODY)  # a collective lead: the standing body compiles

    def _report(self, number: str, code: str, step: int, cap: int, narrative: str,
                difficulty: str, again: bool = False) -> Callable[[TenantLedger], Move | None]:
        def move(ledger: TenantLedger) -> Move | None:
            try:
                task = ledger.task(number)
            except NotFound:
                return None  # added to the plan later
            if task.status != OPEN or (task.deadline.kind is DeadlineKind.CONDITIONAL
                                       and task.deadline.due is None):
                return None
            of_period = [r for r in task.reports if r.period == code]
            if again != bool(of_period and of_period[-1].state == RETURNED):
                return None
            counted = [r.percent for r in task.reports if r.state != RETURNED]
            percent = of_period[-1].percent if again else min(
                cap, max(counted, default=0) + step)
            return Move(ReportProgress(task=number, period=code, percent=percent,
                                       narrative=narrative, difficulties=difficulty),
                        self._reporter(ledger, task.leads))
        return move

    def _review(self, number: str, code: str, reason: str | None
                ) -> Callable[[TenantLedger], Move | None]:
        def move(ledger: TenantLedger) -> Move | None:
            try:
                task = ledger.task(number)
            except NotFound:
                return None
            waiting = [r for r in task.reports if r.period == code and r.state == SUBMITTED]
            if not waiting:
                return None
            command: Command = (
                VerifyReport(task=number, report=waiting[-1].number, note="Đã kiểm tra.")
                if reason is None else
                ReturnReport(task=number, report=waiting[-1].number, reason=reason))
            return Move(command, self.acting(STANDING_BODY))
        return move


def script(history: Mapping[str, Any], document: PlanDocument, sha256: str,
           clock: Clock | None = None, until: datetime | None = None,
           seed: Path = SEED) -> list[Step]:
    """The dated steps of the history, in the order they are recorded (those after `until`
    left out); `seed`: where the documents it names are. Deterministic: the same files and
    seed give the same steps."""
    built = _Script(history, document, sha256, clock or Clock(), seed)
    built.imported()
    built.story()
    built.routine()
    steps = sorted(built.steps, key=lambda s: (s.at, s.order))
    return [s for s in steps if until is None or s.at <= until]


def play(steps: Iterable[Step], ledger_at: Callable[[Clock], TenantLedger],
         zone: Clock | None = None) -> tuple[int, int]:
    """Record each step on a ledger whose clock stands at the step's instant; returns the
    numbers of commands recorded and of steps that had nothing to record."""
    base = zone or Clock()
    recorded = skipped = 0
    for step in steps:
        ledger = ledger_at(fixed(step.at, base.zone.key))
        move = step.move(ledger)
        if move is None:
            skipped += 1
            continue
        ledger.handle(move.command, move.context)
        recorded += 1
    return recorded, skipped


# -- the tenant --------------------------------------------------------------------------


def build_demo(tenancy: Tenancy, history_path: Path = HISTORY,
               slug: str | None = None) -> DemoResult:
    """Create the simulated tenant (the script's, or `slug`) and record its history up to
    now (once: a tenant already there is left as it is)."""
    history = load(history_path)
    about = history["tenant"]
    slug = slug or about["slug"]
    if any(t.slug == slug for t in tenancy.registry.list(include_archived=True)):
        return DemoResult(slug, 0, 0, 0.0, built=False)
    started = time.perf_counter()
    document_path = history_path.parent / history["plan_document"]
    document = read_plan_document(document_path)
    sha256 = hashlib.sha256(document_path.read_bytes()).hexdigest()
    tenancy.create_tenant(slug, about["name"], about.get("admin_code"), simulated=True)
    steps = script(history, document, sha256, tenancy.clock, until=tenancy.clock.now(),
                   seed=history_path.parent)
    recorded, skipped = play(
        steps, lambda clock: tenancy.ledger(slug, for_writing=True, clock=clock),
        tenancy.clock)
    return DemoResult(slug, recorded, skipped, time.perf_counter() - started, built=True)


# -- helpers -----------------------------------------------------------------------------


def _fixed_move(command: Command, context: Context) -> Callable[[TenantLedger], Move]:
    return lambda _: Move(command, context)


def _value(key: str, value: Any) -> Any:
    if key in DATE_FIELDS and isinstance(value, str):
        return date.fromisoformat(value)
    return tuple(value) if isinstance(value, list) else value


def _reference(ledger: TenantLedger, number: str, key: str, wanted: str) -> int:
    task = ledger.task(number)
    found: int | None
    if key == "report":
        found = task.reports[-1].number if task.reports else None
    elif key == "direction":
        found = task.directions or None
    else:
        found = task.pending_completion if wanted == "pending" else task.open_extension
    if found is None:
        raise ValueError(f"task {number} has no {wanted} {key}")
    return found


def _store(ledger: TenantLedger, name: str, title: str, day: str) -> str:
    return ledger.files.put(evidence_pdf(title, day), name).sha256


def ascii_text(text: str) -> str:
    """Vietnamese as the PDF's standard font can show it: without its marks."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c))


def evidence_pdf(title: str, day: str) -> bytes:
    """A one-page PDF standing for a document of the simulated history, marked as such."""
    def line(text: str, y: int, size: int) -> str:
        escaped = ascii_text(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"BT /F1 {size} Tf 60 {y} Td ({escaped[:90]}) Tj ET\n"

    stream = (line(SIMULATED_MARK, 780, 11) + line(title, 740, 14)
              + line(f"Ngay {date.fromisoformat(day).strftime('%d/%m/%Y')}", 715, 11)
              + line("Ke hoach 1534/KH-UBND - Quang Nam (demo)", 695, 11))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")
