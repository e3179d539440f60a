"""What a revised plan document changes in a plan: which tasks it adds, removes, re-words,
re-dates, gives to other agencies or moves to another group; which groups it renames; which
indicators it adds or removes, or gives another target.

Pure: the plan's tasks as they stand (`CurrentTask`, taken from the read model by the
service) against the rows of the revised document. A row is matched to a task by its number
(qualified by its group when the numbering restarts in each); when an amendment renumbers
tasks (one dropped, the rest moved up), rows are matched by wording instead. Wording is
compared as Vietnamese is read: NFC, case and spacing aside, diacritics kept, a tone mark's
place in the syllable aside ("hoá" and "hóa" are one word, "hoa" another).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from domain.deadlines import Deadline, DeadlineKind, parse_deadline
from domain.plan_document import IndicatorRow, TaskGroup, TaskRow
from domain.text import fold, nfc

ADDED, REMOVED, REWORDED = "added", "removed", "reworded"
DEADLINE_CHANGED, LEAD_CHANGED, COORDINATORS_CHANGED = (
    "deadline_changed", "lead_changed", "coordinators_changed")
GROUP_CHANGED = "group_changed"
UNCHANGED = "unchanged"
KINDS = (ADDED, REMOVED, REWORDED, DEADLINE_CHANGED, LEAD_CHANGED, COORDINATORS_CHANGED,
         GROUP_CHANGED)
# Counted beside the tasks' kinds: a group's, and an indicator's.
GROUP_RENAMED = "group_renamed"
TARGET_CHANGED, INDICATOR_ADDED, INDICATOR_REMOVED = (
    "target_changed", "indicator_added", "indicator_removed")
COUNTED = (*KINDS, GROUP_RENAMED, TARGET_CHANGED, INDICATOR_ADDED, INDICATOR_REMOVED)
CLOSED = ("completed", "cancelled")  # a task in these states takes no change

# Rows this alike (in words) are the same task re-worded, whatever their numbers.
SAME_TASK = 0.6
# A row's own number counts for this much when rows are matched by wording.
_SAME_NUMBER_BONUS = 0.15

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"\w+")

KeysOf = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True)
class CurrentTask:
    """A task of the plan as it stands."""

    number: str
    group_code: str
    title: str
    expected_output: str
    leads: tuple[str, ...]  # agency keys
    coordinators: tuple[str, ...]
    deadline: Deadline
    state: str = "open"


@dataclass(frozen=True)
class TaskDifference:
    """One task the revision touches (or leaves as it is)."""

    kinds: tuple[str, ...]  # KINDS, or (UNCHANGED,)
    reference: str  # the task's number in the ledger (for an added task: the one it gets)
    written_number: str  # its number in the revised document ("" for a removed task)
    group_code: str
    before: CurrentTask | None  # None: added
    after: TaskRow | None  # None: removed
    leads: tuple[str, ...] = ()  # the agency keys the revised row names
    coordinators: tuple[str, ...] = ()
    deadline: Deadline | None = None  # the revised row's deadline, parsed
    similarity: float = 1.0  # of the wordings matched

    @property
    def applicable(self) -> bool:
        """False for a change to a task already completed or cancelled: it stays as it is."""
        return self.before is None or self.before.state not in CLOSED

    @property
    def changed(self) -> bool:
        return self.kinds != (UNCHANGED,)


@dataclass(frozen=True)
class CurrentIndicator:
    """An indicator of the plan as it stands."""

    code: str
    name: str
    target: str  # as written
    is_heading: bool = False
    removed: bool = False  # removed by an earlier amendment: kept, no longer counted


@dataclass(frozen=True)
class TargetDifference:
    code: str
    name: str
    before: str
    after: str
    unit: str = ""


@dataclass(frozen=True)
class GroupRenaming:
    """A group of the plan the revised document heads otherwise, under the same code."""

    code: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionDiff:
    tasks: tuple[TaskDifference, ...]  # removed tasks last
    targets: tuple[TargetDifference, ...] = ()
    groups: tuple[GroupRenaming, ...] = ()
    added_indicators: tuple[IndicatorRow, ...] = ()
    removed_indicators: tuple[CurrentIndicator, ...] = ()

    def of_kind(self, kind: str) -> tuple[TaskDifference, ...]:
        return tuple(t for t in self.tasks if kind in t.kinds)

    @property
    def changes(self) -> tuple[TaskDifference, ...]:
        return tuple(t for t in self.tasks if t.changed)

    @property
    def skipped(self) -> tuple[TaskDifference, ...]:
        return tuple(t for t in self.changes if not t.applicable)

    def counts(self) -> dict[str, int]:
        """Tasks per kind of change that will be recorded (a task may count under several)."""
        counts = {kind: sum(1 for t in self.of_kind(kind) if t.applicable) for kind in KINDS}
        return {**counts, GROUP_RENAMED: len(self.groups), TARGET_CHANGED: len(self.targets),
                INDICATOR_ADDED: len(self.added_indicators),
                INDICATOR_REMOVED: len(self.removed_indicators)}

    @property
    def moved_to(self) -> tuple[str, ...]:
        """The groups tasks are moved to (or added under), each once, in order."""
        return tuple(dict.fromkeys(
            d.after.group_code for d in self.tasks
            if d.after is not None and d.after.group_code and d.applicable
            and (ADDED in d.kinds or GROUP_CHANGED in d.kinds)))


# -- wording -----------------------------------------------------------------------------

def _word_key(word: str) -> str:
    """A word without where its tone mark sits: the tone is kept, after the letters."""
    marks = unicodedata.normalize("NFD", word.casefold())
    tones = "".join(m for m in marks if m in _TONES)
    return unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES)) + tones


@lru_cache(maxsize=4096)
def wording(text: str) -> tuple[str, ...]:
    """The words of a text as compared: NFC, case, spacing and punctuation aside."""
    return tuple(_word_key(w) for w in _WORD.findall(nfc(text)))


def same_wording(a: str, b: str) -> bool:
    return wording(a) == wording(b)


def similarity(a: str, b: str) -> float:
    """How alike two wordings are, 0 to 1, by their words in order."""
    return SequenceMatcher(None, wording(a), wording(b), autojunk=False).ratio()


def same_deadline(a: Deadline, b: Deadline) -> bool:
    if fold(a.text) == fold(b.text):
        return True
    if DeadlineKind.UNPARSED in (a.kind, b.kind):
        return False
    return (a.kind, a.due, a.start) == (b.kind, b.due, b.start)


def same_target(a: str, b: str) -> bool:
    """Targets as written, spacing aside: "≥80" is "≥ 80", "> 80" is another."""
    return nfc(a).replace(" ", "").casefold() == nfc(b).replace(" ", "").casefold()


def target_changes(current: Sequence[CurrentIndicator], rows: Sequence[IndicatorRow]
                   ) -> tuple[TargetDifference, ...]:
    """The indicators both list whose target the revised document writes otherwise (an
    indicator it leaves out, or gives no target, keeps its own)."""
    by_code = {nfc(i.code): i for i in current if not i.is_heading and not i.removed}
    found = []
    for row in rows:
        old = by_code.get(nfc(row.code).rstrip("."))
        if old is not None and row.target.strip() and not same_target(old.target, row.target):
            found.append(TargetDifference(old.code, old.name, old.target, nfc(row.target),
                                          row.unit))
    return tuple(found)


def _code(code: str) -> str:
    return nfc(code).strip().rstrip(".")


def indicators_added(current: Sequence[CurrentIndicator], rows: Sequence[IndicatorRow]
                     ) -> tuple[IndicatorRow, ...]:
    """The rows whose code no indicator of the plan has (one removed before keeps its code:
    the document naming it again adds nothing)."""
    known = {_code(i.code) for i in current}
    return tuple(r for r in rows if _code(r.code) and _code(r.code) not in known)


def indicators_removed(current: Sequence[CurrentIndicator], rows: Sequence[IndicatorRow]
                       ) -> tuple[CurrentIndicator, ...]:
    """The plan's indicators a revised document that lists indicators leaves out (a document
    listing none removes none)."""
    if not rows:
        return ()
    listed = {_code(r.code) for r in rows}
    return tuple(i for i in current if not i.removed and _code(i.code) not in listed)


def groups_renamed(current: Sequence[tuple[str, str]], groups: Sequence[TaskGroup]
                   ) -> tuple[GroupRenaming, ...]:
    """The plan's groups (code, title) the document heads with other words, same code."""
    titles = {fold(code): (code, title) for code, title in current}
    found = []
    for group in groups:
        known = titles.get(fold(group.code))
        if known and group.title.strip() and not same_wording(known[1], group.title):
            found.append(GroupRenaming(known[0], known[1], nfc(group.title)))
    return tuple(found)


def _moves_groups(current: Sequence[CurrentTask], rows: Sequence[TaskRow]) -> bool:
    """Whether the document's groups are the plan's (some code in common): a document under
    no heading, or headed otherwise, moves no task."""
    written = {fold(r.group_code) for r in rows if r.group_code}
    return len(written) > 1 and bool(written & {fold(t.group_code) for t in current})


# -- matching ----------------------------------------------------------------------------

def _number(number: str) -> str:
    """A task's number as the ledger keys it: "5." is 5 (numbers that restart in each group
    come qualified by it: "II.3")."""
    return nfc(number).rstrip(".")


def match_rows(current: Sequence[CurrentTask], rows: Sequence[TaskRow]
               ) -> tuple[list[tuple[CurrentTask, TaskRow, float]], list[TaskRow],
                          list[CurrentTask]]:
    """Pairs (task, row, similarity), rows matching no task, tasks no row matches.

    First the same wording (anywhere), then the most alike wordings (a row's own number
    counting for a little), then whatever is left under the same number and group (its
    wording replaced; any group when the document lists its tasks under no heading of its
    own, as amending decisions often do), unless that task was cancelled."""
    ungrouped = len({fold(r.group_code) for r in rows}) <= 1
    tasks, left = list(current), list(rows)
    pairs: list[tuple[CurrentTask, TaskRow, float]] = []

    def take(task: CurrentTask, row: TaskRow, score: float) -> None:
        pairs.append((task, row, score))
        tasks.remove(task)
        left.remove(row)

    for row in list(left):
        same = [t for t in tasks if same_wording(t.title, row.title)]
        if same:
            own = [t for t in same if _number(t.number) == _number(row.number)]
            take((own or same)[0], row, 1.0)
    scored = sorted(
        ((similarity(t.title, r.title), i, j) for i, t in enumerate(tasks)
         for j, r in enumerate(left)),
        key=lambda s: -(s[0] + _SAME_NUMBER_BONUS * (
            _number(tasks[s[1]].number) == _number(left[s[2]].number))))
    chosen_tasks: set[int] = set()
    chosen_rows: set[int] = set()
    alike: list[tuple[CurrentTask, TaskRow, float]] = []
    for score, i, j in scored:
        if score >= SAME_TASK and i not in chosen_tasks and j not in chosen_rows:
            chosen_tasks.add(i)
            chosen_rows.add(j)
            alike.append((tasks[i], left[j], score))
    for task, row, score in alike:
        take(task, row, score)
    for row in list(left):
        own = [t for t in tasks if _number(t.number) == _number(row.number)
               and t.state != "cancelled"
               and (ungrouped or fold(t.group_code) == fold(row.group_code))]
        if own:
            take(own[0], row, similarity(own[0].title, row.title))
    return pairs, left, tasks


# -- the diff ----------------------------------------------------------------------------

def revision_diff(current: Sequence[CurrentTask], rows: Sequence[TaskRow],
                  keys_of: KeysOf, indicators: Sequence[CurrentIndicator] = (),
                  indicator_rows: Sequence[IndicatorRow] = (), *,
                  partial: bool = False, groups: Sequence[tuple[str, str]] = (),
                  group_rows: Sequence[TaskGroup] = ()) -> RevisionDiff:
    """`keys_of`: the agency keys a cell names, as an import would record them. `partial`:
    the document lists only the tasks it amends or adds (an amending decision's list), so a
    task it leaves out stays as it is instead of being removed, and so does an indicator.
    `groups`: the plan's (code, title); `group_rows`: the document's headings."""
    pairs, _, removed = match_rows(current, rows)
    moves = _moves_groups(current, rows)
    by_row = {id(row): (task, score) for task, row, score in pairs}
    taken = {t.number for t in current}
    out: list[TaskDifference] = []
    for row in rows:
        leads, coordinators = _agencies(row, keys_of)
        deadline = parse_deadline(row.deadline)
        if id(row) in by_row:
            task, score = by_row[id(row)]
            out.append(TaskDifference(
                _kinds(task, row, leads, coordinators, deadline, moves), task.number,
                row.shown_number, task.group_code, task, row, leads, coordinators, deadline,
                score))
        else:
            reference = _free_reference(row, taken)
            taken.add(reference)
            out.append(TaskDifference((ADDED,), reference, row.shown_number, row.group_code,
                                      None, row, leads, coordinators, deadline, 0.0))
    # A task cancelled already is gone from the plan: a revision that leaves it out agrees.
    out += [TaskDifference((REMOVED,), t.number, "", t.group_code, t, None, similarity=0.0)
            for t in removed if t.state != "cancelled" and not partial]
    return RevisionDiff(
        tuple(out), target_changes(indicators, indicator_rows),
        groups_renamed(groups, group_rows), indicators_added(indicators, indicator_rows),
        () if partial else indicators_removed(indicators, indicator_rows))


def _agencies(row: TaskRow, keys_of: KeysOf) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """As an import records them: coordinators that also lead are left out."""
    leads = keys_of(row.leads)
    return leads, tuple(k for k in keys_of(row.coordinators) if k not in leads)


def _kinds(task: CurrentTask, row: TaskRow, leads: tuple[str, ...],
           coordinators: tuple[str, ...], deadline: Deadline, moves: bool) -> tuple[str, ...]:
    kinds = []
    if not (same_wording(task.title, row.title)
            and same_wording(task.expected_output, row.expected_output)):
        kinds.append(REWORDED)
    if not same_deadline(task.deadline, deadline):
        kinds.append(DEADLINE_CHANGED)
    if set(leads) != set(task.leads):
        kinds.append(LEAD_CHANGED)
    if set(coordinators) != set(task.coordinators):
        kinds.append(COORDINATORS_CHANGED)
    if moves and row.group_code and fold(row.group_code) != fold(task.group_code):
        kinds.append(GROUP_CHANGED)
    return tuple(kinds) or (UNCHANGED,)


def _free_reference(row: TaskRow, taken: set[str]) -> str:
    """The row's own number when no task of the plan has it (numbers key a plan's tasks,
    whatever their group), else the next number free (after the last of its group's, when
    numbers are qualified by group: "II.7")."""
    number = nfc(row.number).rstrip(".")
    if number not in taken:
        return number
    prefix, _, last = number.rpartition(".")
    used = [int(n.rpartition(".")[2]) for n in taken
            if n.rpartition(".")[0] == prefix and n.rpartition(".")[2].isdigit()]
    candidate = max(used, default=int(last) if last.isdigit() else 0) + 1
    while (reference := f"{prefix}.{candidate}" if prefix else str(candidate)) in taken:
        candidate += 1
    return reference
