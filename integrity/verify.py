"""Checks one tenant's log, entry by entry, against its chain and its signed checkpoints.

The same checker serves the live store and an exported bundle: it is fed, in position
order, each entry with what the chain recorded for it, and recomputes everything. Where an
entry and its record disagree it reports the position and carries on from the record, so
one tampered entry is reported once and the checkpoints then tell whether the chain itself
was rewritten. A copy held elsewhere (an earlier export) adds its leaves and checkpoints,
which locates even a wholesale, self-consistent forgery.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from integrity.canonical import GENESIS, MISSING_LEAF, Entry, Link, chain_hash, leaf_hash
from integrity.checkpoints import Checkpoint, MalformedCheckpoint, parse, signature_problem
from integrity.keys import PublicKey
from integrity.merkle import EMPTY_ROOT, Frontier

SignedText = tuple[str, bytes]


@dataclass(frozen=True)
class Failure:
    position: int | None  # the log position at fault, None when no entry can be named
    reason: str


@dataclass
class Report:
    tenant: str
    entries: int = 0
    last_position: int = 0
    root_hash: bytes = EMPTY_ROOT
    chain_hash: bytes = GENESIS
    checkpoints: int = 0  # checkpoints whose signature and tree head both verified
    signed_by: set[str] = field(default_factory=set)
    pending: int = 0  # live only: entries after the chain's head, not bound yet
    files_checked: int = 0  # evidence files whose bytes hashed to the digest cited
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first(self) -> Failure | None:
        ordered = sorted(self.failures, key=lambda f: (f.position is None, f.position or 0))
        return ordered[0] if ordered else None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tenant": self.tenant, "entries": self.entries,
                "last_position": self.last_position, "root_hash": self.root_hash.hex(),
                "chain_hash": self.chain_hash.hex(), "checkpoints_verified": self.checkpoints,
                "signed_by": sorted(self.signed_by), "pending": self.pending,
                "evidence_files_checked": self.files_checked,
                "first_failure": _doc(self.first), "failures": [_doc(f) for f in self.failures],
                "notes": self.notes}


def _doc(failure: Failure | None) -> dict[str, Any] | None:
    return None if failure is None else {"position": failure.position, "reason": failure.reason}


def pair_up(entries: Iterable[Entry],
            links: Iterable[Link]) -> Iterator[tuple[Entry | None, Link | None]]:
    """Merge the log and the chain rows by position."""
    entry_it, link_it = iter(entries), iter(links)
    entry, link = next(entry_it, None), next(link_it, None)
    while entry is not None or link is not None:
        if link is None or (entry is not None and entry.position < link.position):
            yield entry, None
            entry = next(entry_it, None)
        elif entry is None or link.position < entry.position:
            yield None, link
            link = next(link_it, None)
        else:
            yield entry, link
            entry, link = next(entry_it, None), next(link_it, None)


class LogChecker:
    def __init__(self, tenant: str, checkpoints: Sequence[SignedText],
                 keys: Mapping[str, PublicKey], held: Mapping[int, bytes] | None = None) -> None:
        self.report = Report(tenant)
        self._checkpoints = self._genuine(checkpoints, keys)
        self._wanted = {c.tree_size for c in self._checkpoints}
        self._heads: dict[int, tuple[bytes, bytes, int]] = {0: (EMPTY_ROOT, GENESIS, 0)}
        self._frontier, self._chain = Frontier(), GENESIS
        self._held = dict(held or {})
        self._held_end = max(self._held, default=0)

    def fail(self, position: int | None, reason: str) -> None:
        self.report.failures.append(Failure(position, reason))

    def _genuine(self, signed: Sequence[SignedText],
                 keys: Mapping[str, PublicKey]) -> list[Checkpoint]:
        genuine = []
        for body, signature in signed:
            try:
                checkpoint = parse(body, signature)
            except MalformedCheckpoint as exc:
                self.fail(None, f"a checkpoint is unreadable: {exc}")
                continue
            problem = signature_problem(checkpoint, keys)
            if problem is None and checkpoint.head.tenant != self.report.tenant:
                problem = f"it is for tenant {checkpoint.head.tenant!r}"
            if problem:
                self.fail(None, f"the {checkpoint.describe()} is not genuine: {problem}")
            else:
                genuine.append(checkpoint)
        return sorted(genuine, key=lambda c: c.tree_size)

    def step(self, entry: Entry | None, link: Link | None) -> None:
        """One position: the entry the log holds there and what the chain recorded."""
        position = entry.position if entry is not None else link.position if link else 0
        if position <= self.report.last_position:
            self.fail(position, f"out of order: comes after position {self.report.last_position}")
            return
        leaf = leaf_hash(entry) if entry is not None else None
        self._compare_with_held(position, leaf)
        if link is None:
            self.fail(position, "in the log but never chained: inserted among chained entries")
        elif entry is None:
            self.fail(position, "chained, but missing from the log: deleted")
        elif link.leaf_index != self._frontier.size:
            gap = link.leaf_index - self._frontier.size
            self.fail(position, self._misplaced(gap))
            for _ in range(max(gap, 0)):  # reported once: the entries after it keep their place
                self._frontier.append(MISSING_LEAF)
        elif leaf != link.leaf_hash:
            self.fail(position, "the stored event does not hash to what was chained for it: "
                                 "altered after chaining")
        elif chain_hash(self._chain, link.leaf_hash) != link.chain_hash:
            self.fail(position, "the chain is broken: this link does not follow from the one "
                                 "before")
        if link is not None:  # carry on from the record, so one change is reported once
            self._bind(position, link)

    def _misplaced(self, gap: int) -> str:
        if gap > 0:
            return (f"{gap} chained entries after position {self.report.last_position} are "
                    "missing before this one: deleted")
        return f"{-gap} entries that were never chained come before this one: inserted"

    def _bind(self, position: int, link: Link) -> None:
        self._frontier.append(link.leaf_hash)
        self._chain = link.chain_hash
        self.report.last_position = position
        if self._frontier.size in self._wanted:
            self._heads[self._frontier.size] = (self._frontier.root(), self._chain, position)

    def _compare_with_held(self, position: int, leaf: bytes | None) -> None:
        held = self._held.pop(position, None)
        if held is None and leaf is not None and position < self._held_end:
            self.fail(position, "not in the copy held elsewhere: inserted since")
        elif held is not None and leaf is not None and held != leaf:
            self.fail(position, "differs from the copy held elsewhere: rewritten since")

    def finish(self) -> Report:
        report = self.report
        report.entries, report.root_hash = self._frontier.size, self._frontier.root()
        report.chain_hash = self._chain
        if self._held:
            first = min(self._held)
            self.fail(first, f"in the copy held elsewhere but missing from the log "
                              f"({len(self._held)} entries from here on)")
        good_until = 0
        for checkpoint in self._checkpoints:
            if self._check_against(checkpoint, good_until):
                good_until = max(good_until, checkpoint.head.last_position)
        if not self._checkpoints:
            report.notes.append("no signed checkpoint: the chain alone cannot show that the "
                                "history was not rewritten wholesale")
        elif self._checkpoints[-1].tree_size < report.entries:
            report.notes.append(f"{report.entries - self._checkpoints[-1].tree_size} entries "
                                "after the last signed checkpoint are covered by the chain "
                                "only")
        return report

    def _check_against(self, checkpoint: Checkpoint, good_until: int) -> bool:
        head = checkpoint.head
        if head.tree_size > self._frontier.size:
            self.fail(self.report.last_position + 1,
                       f"the log ends at position {self.report.last_position} but the "
                       f"{checkpoint.describe()} covers more: entries were removed from its end")
            return False
        if self._heads.get(head.tree_size) != (head.root_hash, head.chain_hash,
                                               head.last_position):
            # Name the first entry already found at fault in the range, if any.
            located = [f.position for f in self.report.failures
                       if f.position is not None and good_until < f.position <= head.last_position]
            if located:  # already reported where it happened: the checkpoint only confirms it
                self.report.notes.append(f"the {checkpoint.describe()} does not match either, "
                                         f"as the failure at position {min(located)} explains")
                return False
            self.fail(good_until + 1,
                      f"the first {head.tree_size} entries do not match the signed "
                      f"{checkpoint.describe()}: the history after position {good_until} was "
                      "rewritten")
            return False
        self.report.checkpoints += 1
        self.report.signed_by.add(checkpoint.key_id)
        return True
