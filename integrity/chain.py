"""The exactly-once follower that binds a tenant's log into its hash chain.

Like the read-model projector: in one transaction it locks the tenant's tracking row, reads
the entries after the tracked position, writes their chain rows and the new position. A
crash loses nothing (the next run starts from the committed position) and nothing is bound
twice (the lock serialises followers; chain rows are unique per position).

It runs after each append has committed, not inside the append's transaction, so the
ledger's write path (and PostgreSQL's exclusive lock on the tenant's table) stays as it is.
That leaves a window, normally a millisecond, between an append's commit and its chaining;
a failed follower widens it until the next append or chaining command closes the gap. A
change made to an event inside the window is chained as if it were the original, and every
later checkpoint is computed from it too, so neither can reveal it: only a copy of the
original taken before chaining could. Any change after chaining is detected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice

from integrity.canonical import ChainHead, Entry, link_entries
from integrity.store import IntegrityStore

EntrySource = Callable[[int], Iterator[Entry]]  # the log's entries after a position, in order
BATCH = 2000


def extend_chain(store: IntegrityStore, entries_after: EntrySource) -> ChainHead:
    """Bind every entry after the chain's head; returns the new head."""
    while True:
        # Read the log before taking the chain lock: on SQLite the log shares the file, and
        # reading it while holding the write lock would wait on writers that wait on us.
        seen = store.head()
        batch = list(islice(entries_after(seen.position), BATCH))
        if not batch:
            return seen
        with store.db.transaction() as cursor:
            head = store.lock_head(cursor)
            if head.position != seen.position:
                continue  # another follower moved the chain on; read again from there
            links, head = link_entries(head, batch)
            store.advance(cursor, links, head)
        if len(batch) < BATCH:
            return head
