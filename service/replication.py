"""Replication of a tenant of another deployment (a province's own server) into a local,
read-only tenant (the national hub), verified against the source's signed checkpoints.

A sync asks the source for its head and latest signed checkpoint, copies the events after
the replica's chain head from the source's event feed, unchanged (same positions,
originator ids, versions, topics and stored bytes), and binds them into the replica's own
hash chain in the transaction that inserts them: an interrupted sync resumes from that head,
with no gap and no duplicate. Then it checks the source's newest checkpoint:

- the signature, with the keys pinned when the replica was added;
- that it extends the checkpoint verified before (a consistency proof fetched from the
  source, checked here with the pinned keys);
- that the events copied reproduce its Merkle root and chain hash at its tree size.

Any failure means the source's history is not the one copied before (a fork, a rewrite, a
forged or withheld entry): replication of that tenant stops for good, the refusal is
recorded (on the replica's row and as a failed integrity finding of the tenant, which its
pages and API then warn of) and logged as an error for the monitoring to alert on.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, NoReturn
from uuid import UUID

from domain.errors import AlreadyExists, DomainError
from integrity.canonical import Entry, link_entries
from integrity.checkpoints import Checkpoint, MalformedCheckpoint, signature_problem
from integrity.evidence import cited_files, matches
from integrity.findings import Finding, FindingsStore
from integrity.keys import PublicKey
from integrity.proofs import check_document
from integrity.signer import heads_at
from integrity.store import IntegrityStore
from service.replicas import Replica, ReplicaStore
from service.tenancy import Tenancy
from tenants.database import Cursor
from tenants.files import FileStore
from tenants.slugs import validate_slug

log = logging.getLogger("r57.replication")
PAGE = 500
TIMEOUT = 30.0


class ReplicationRefused(DomainError):
    """The source's history contradicts what was copied and verified before."""


class SourceUnavailable(DomainError):
    """The source did not answer, or answered with an error: retried at the next sync."""


class SourceClient:
    """The source deployment's API, read with a bearer token."""

    def __init__(self, url: str, tenant: str, token: str, timeout: float = TIMEOUT) -> None:
        self.base = url.rstrip("/") + "/api/v1/tenants/" + urllib.parse.quote(tenant)
        self.token, self.timeout = token, timeout

    def get(self, path: str, **query: Any) -> dict[str, Any]:
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        request = urllib.request.Request(url, headers={  # noqa: S310 - http(s) checked at add
            "Authorization": f"Bearer {self.token}", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                found: dict[str, Any] = json.loads(answer.read())
                return found
        except urllib.error.HTTPError as exc:
            exc.close()  # the error carries the answer's connection
            raise SourceUnavailable("replica.source_error", field="source",
                                    status=str(exc.code), url=url) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SourceUnavailable("replica.source_unreachable", field="source",
                                    url=url, reason=str(getattr(exc, "reason", exc))) from None

    def file(self, sha256: str) -> bytes:
        """An evidence file of the tenant, as stored there."""
        url = f"{self.base}/files/{sha256}"
        request = urllib.request.Request(url, headers={  # noqa: S310 - http(s) checked at add
            "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                content: bytes = answer.read()
                return content
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SourceUnavailable("replica.source_error", field="source",
                                    status=str(exc.code), url=url) from None
        except (urllib.error.URLError, OSError) as exc:
            raise SourceUnavailable("replica.source_unreachable", field="source",
                                    url=url, reason=str(getattr(exc, "reason", exc))) from None

    def head(self) -> dict[str, Any]:
        return self.get("/integrity/head")

    def feed(self, after: int, limit: int) -> dict[str, Any]:
        return self.get("/events", after=after, limit=limit)

    def consistency(self, first: int, second: int) -> dict[str, Any]:
        return self.get("/integrity/consistency", first=first, second=second)


ClientFactory = Callable[[Replica], SourceClient]


def _client(replica: Replica) -> SourceClient:
    return SourceClient(replica.source_url, replica.source_tenant, replica.token)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_replica(tenancy: Tenancy, slug: str, source_url: str, token: str, *,
                source_tenant: str | None = None, display_name: str | None = None,
                admin_code: str | None = None,
                client: ClientFactory = _client) -> Replica:
    """Register a replica of `source_tenant` (default: the same slug) at `source_url` and
    make its local tenant, flagged simulated when the source's is. The source's signing keys
    are fetched and pinned now: later checkpoints must be signed with one of them."""
    slug = validate_slug(slug)
    parts = urllib.parse.urlsplit(source_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError("replica.bad_source", field="source", url=source_url)
    pending = Replica(slug, source_url.rstrip("/"), validate_slug(source_tenant or slug),
                      token, {}, _now())
    head = client(pending).head()
    keys = {k.key_id: k for k in (PublicKey.from_dict(d) for d in head.get("keys") or [])}
    if not keys:
        raise DomainError("replica.no_source_keys", field="source", url=source_url)
    replica = replace(pending, public_keys=keys)
    if any(t.slug == slug for t in tenancy.registry.list(include_archived=True)):
        # A tenant recorded here is never turned into a replica of another deployment.
        raise AlreadyExists("tenant.exists", field="slug", tenant=slug)
    tenancy.replicas.add(replica)  # first: the new tenant is read-only from its first moment
    try:
        # A simulated source stays marked as such wherever it is copied to.
        tenancy.create_tenant(slug, display_name or f"{slug} (bản sao)", admin_code,
                              simulated=bool(head.get("simulated")))
    except BaseException:
        tenancy.replicas.remove(slug)
        raise
    return replica


def trust_source_keys(tenancy: Tenancy, slug: str,
                      client: ClientFactory = _client) -> tuple[Replica, list[PublicKey]]:
    """Pin the keys the source publishes now besides those pinned before (after the
    province rotated its signing key, confirmed with its IT office); returns the replica
    and the keys added."""
    replica = tenancy.replicas.get(slug)
    published = client(replica).head().get("keys") or []
    added = [k for k in (PublicKey.from_dict(d) for d in published)
             if k.key_id not in replica.public_keys]
    replica = replace(replica, public_keys=replica.public_keys | {k.key_id: k for k in added})
    tenancy.replicas.pin_keys(replica)
    return replica, added


@dataclass(frozen=True)
class SyncResult:
    replica: Replica
    copied: int
    verified: Checkpoint | None  # the checkpoint verified by this sync, if any


class Replicator:
    """Syncs replicas of one tenancy; `sync` is safe to run in several processes at once
    (the chain lock serialises writers of one replica)."""

    def __init__(self, tenancy: Tenancy, client: ClientFactory = _client,
                 page: int = PAGE) -> None:
        self.tenancy, self.client, self.page = tenancy, client, page

    @property
    def store(self) -> ReplicaStore:
        return self.tenancy.replicas

    def sync(self, slug: str, *, max_pages: int | None = None) -> SyncResult:
        replica = self.store.get(slug)
        if replica.refused_at is not None:
            raise ReplicationRefused("replica.stopped", field="tenant", tenant=slug,
                                     reason=replica.refusal or "")
        source = self.client(replica)
        head = source.head()
        copied, replica = self._copy(replica, source, max_pages)
        replica = replace(replica, source_position=max(int(head["position"]), replica.position),
                          source_recorded_at=_iso(head.get("recorded_at")), synced_at=_now())
        verified = None
        if head.get("checkpoint"):
            replica, verified = self._verify(replica, source, head["checkpoint"])
        self.store.save(replica)
        return SyncResult(replica, copied, verified)

    # -- copying -----------------------------------------------------------------------

    def _copy(self, replica: Replica, source: SourceClient,
              max_pages: int | None) -> tuple[int, Replica]:
        app = self.tenancy.application(replica.slug)
        integrity = IntegrityStore(app.storage.tenant_database(replica.slug), replica.slug)
        copied, pages = 0, 0
        while max_pages is None or pages < max_pages:
            after = integrity.head().position  # what was committed: resume from there
            page = source.feed(after, self.page)
            entries, last_recorded, withheld = [], None, None
            for item in page["items"]:
                if item["chain"] == "failed" or not item.get("stored"):
                    withheld = int(item["position"])
                    break
                if item["chain"] != "verified":
                    break  # not chained at the source yet: copied at the next sync
                entries.append(Entry(int(item["position"]), UUID(item["originator_id"]),
                                     int(item["originator_version"]), str(item["topic"]),
                                     base64.b64decode(item["stored"], validate=True)))
                last_recorded = item.get("recorded_at")
            if entries:
                # The files first: a page whose files did not all arrive is not written, so
                # the next sync fetches them again; a file without its entry is harmless.
                self._fetch_files(replica, source, entries)
                tree_size = self._write(replica.slug, integrity, after, entries)
                copied += len(entries)
                replica = replace(replica, position=entries[-1].position, tree_size=tree_size,
                                  recorded_at=_iso(last_recorded) or replica.recorded_at)
            if withheld is not None:  # what came before it is copied; then stop for good
                self._refuse(replica, withheld,
                             f"the source withholds its event at position {withheld}: it "
                             "fails the source's own verification")
            pages += 1
            if not page["has_more"] or len(entries) < len(page["items"]):
                break
        head = integrity.head()
        return copied, replace(replica, position=head.position, tree_size=head.tree_size)

    def _fetch_files(self, replica: Replica, source: SourceClient,
                     entries: list[Entry]) -> None:
        """The evidence files the entries cite that this hub does not hold yet: verifying a
        replica hashes each against the digest its log recorded, as on the source."""
        store = FileStore(self.tenancy.storage.tenant_database(replica.slug), replica.slug,
                          self.tenancy.file_limits)
        for entry in entries:
            for digest, name in cited_names(entry.state).items():
                if store.describe(digest) is not None:
                    continue
                content = source.file(digest)
                if not matches(digest, content):
                    self._refuse(replica, entry.position,
                                 f"the source's evidence file {digest[:16]}… cited at "
                                 f"position {entry.position} no longer matches its SHA-256")
                store.put(content, name)

    def _write(self, slug: str, integrity: IntegrityStore, after: int,
               entries: list[Entry]) -> int:
        """The events, their chain links and the chain head, in one transaction."""
        if any(e.position <= after for e in entries) or any(
                b.position <= a.position for a, b in pairwise(entries)):
            self._refuse(self.store.get(slug), entries[0].position,
                         "the source's feed is not in log order")
        table = self.tenancy.storage.events_table(slug)
        with integrity.db.transaction() as cursor:
            head = integrity.lock_head(cursor)
            if head.position != after:
                # Another sync of this replica committed first; this one reads again.
                raise SourceUnavailable("replica.busy", field="tenant", tenant=slug)
            _insert(cursor, table, entries)
            links, new_head = link_entries(head, entries)
            integrity.advance(cursor, links, new_head)
        return new_head.tree_size

    # -- verifying ---------------------------------------------------------------------

    def _verify(self, replica: Replica, source: SourceClient,
                signed: Mapping[str, Any]) -> tuple[Replica, Checkpoint | None]:
        try:
            checkpoint = Checkpoint.from_dict(signed)
        except MalformedCheckpoint as exc:
            self._refuse(replica, None, f"the source's checkpoint is unreadable: {exc}")
        if checkpoint.key_id not in replica.public_keys:
            # A rotated key, or a forger's: copying goes on, verifying waits for an operator
            # to confirm the key with the province (r57 replica trust) and pin it.
            log.error("ALERT replica %s: the source's %s is signed with a key not pinned; "
                      "nothing after the checkpoint verified before is verified until it "
                      "is trusted (r57 replica trust %s)", replica.slug,
                      checkpoint.describe(), replica.slug,
                      extra={"alert": "replication_untrusted_key", "tenant": replica.slug})
            return replica, None
        problem = signature_problem(checkpoint, replica.public_keys)
        if problem:
            self._refuse(replica, None, f"the source's {checkpoint.describe()}: {problem}")
        if checkpoint.head.tenant != replica.source_tenant:
            self._refuse(replica, None, f"the source's {checkpoint.describe()} names tenant "
                                        f"{checkpoint.head.tenant}")
        prior = replica.verified_checkpoint
        if prior is not None:
            if checkpoint.tree_size < prior.tree_size:
                self._refuse(replica, None,
                             f"the source's latest {checkpoint.describe()} is smaller than "
                             f"the {prior.describe()} verified before: its log was cut back")
            if checkpoint.tree_size == prior.tree_size:
                if checkpoint.head.root_hash != prior.head.root_hash:
                    self._refuse(replica, None,
                                 f"the source's {checkpoint.describe()} has another root than "
                                 f"the {prior.describe()} verified before: its history was "
                                 "rewritten")
                return replica, None
            self._check_consistency(replica, source, prior, checkpoint)
        if replica.tree_size < checkpoint.tree_size:
            return replica, None  # verified once the events it covers are copied
        self._check_copy(replica, checkpoint)
        integrity = IntegrityStore(
            self.tenancy.storage.tenant_database(replica.slug), replica.slug)
        with integrity.db.transaction() as cursor:
            stored = {body for body, _ in integrity.checkpoints(cursor)}
            if checkpoint.body not in stored:
                integrity.add_checkpoint(cursor, checkpoint)
        log.info("replica %s verified the source's %s", replica.slug, checkpoint.describe())
        return replace(replica, verified_size=checkpoint.tree_size,
                       verified_position=checkpoint.head.last_position,
                       verified_checkpoint=checkpoint), checkpoint

    def _check_consistency(self, replica: Replica, source: SourceClient, prior: Checkpoint,
                           checkpoint: Checkpoint) -> None:
        try:
            doc = source.consistency(prior.tree_size, checkpoint.tree_size)
        except SourceUnavailable as exc:
            if exc.params.get("status") in ("404", "409"):
                self._refuse(replica, None,
                             f"the source cannot prove that its {checkpoint.describe()} "
                             f"extends the {prior.describe()} verified before")
            raise
        problems = check_document(doc, replica.public_keys)
        try:
            first = Checkpoint.from_dict(doc["first"])
            second = Checkpoint.from_dict(doc["second"])
        except (KeyError, TypeError, MalformedCheckpoint):
            problems.append("the consistency proof is unreadable")
        else:
            if first.body != prior.body or second.head.root_hash != checkpoint.head.root_hash:
                problems.append("the consistency proof is about other checkpoints")
        if problems:
            self._refuse(replica, None,
                         f"the source's {checkpoint.describe()} is not consistent with the "
                         f"{prior.describe()} verified before: {'; '.join(problems)}")

    def _check_copy(self, replica: Replica, checkpoint: Checkpoint) -> None:
        integrity = IntegrityStore(
            self.tenancy.storage.tenant_database(replica.slug), replica.slug)
        with integrity.db.transaction() as cursor:
            leaves = integrity.leaf_hashes(cursor)
        size = checkpoint.tree_size
        root, chain = heads_at(leaves[:size], {size})[size]
        if (root, chain) != (checkpoint.head.root_hash, checkpoint.head.chain_hash):
            self._refuse(replica, checkpoint.head.last_position,
                         f"the events copied do not reproduce the source's "
                         f"{checkpoint.describe()}: the source's history was rewritten")

    # -- refusing ----------------------------------------------------------------------

    def _refuse(self, replica: Replica, position: int | None, reason: str) -> NoReturn:
        """Stop replicating this tenant, record why, alert, and raise."""
        when = datetime.now(UTC)
        self.store.save(replace(replica, refused_at=when.isoformat(timespec="seconds"),
                                refusal=reason, synced_at=_now()))
        FindingsStore(self.tenancy.storage.tenant_database(replica.slug), replica.slug).record(
            Finding(when.isoformat(timespec="seconds"), False, replica.tree_size, 1, position,
                    f"replication refused: {reason}"))
        self.tenancy.integrity.forget(replica.slug)
        log.error("ALERT replication of %s from %s refused: %s", replica.slug,
                  replica.source_url, reason, extra={"alert": "replication_refused",
                                                     "tenant": replica.slug})
        raise ReplicationRefused("replica.refused", field="tenant", tenant=replica.slug,
                                 reason=reason)

    # -- following ---------------------------------------------------------------------

    def sync_all(self) -> dict[str, SyncResult | DomainError]:
        """One sync of every replica that has not been stopped; one's failure does not
        stop the others."""
        outcome: dict[str, SyncResult | DomainError] = {}
        for replica in self.store.list():
            if replica.refused_at is not None:
                continue
            try:
                outcome[replica.slug] = self.sync(replica.slug)
            except ReplicationRefused as exc:
                outcome[replica.slug] = exc
            except SourceUnavailable as exc:
                log.warning("replica %s: source unavailable (%s); retrying next round",
                            replica.slug, exc.params)
                outcome[replica.slug] = exc
        return outcome


class PeriodicReplication:
    """Runs `sync_all` every `every` seconds on a daemon thread (`start()`, `stop()`)."""

    def __init__(self, replicator: Replicator, every: float = 30.0) -> None:
        self.replicator, self.every = replicator, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="r57-replication", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            try:
                self.replicator.sync_all()
            except Exception:  # the next round retries; nothing half-written survives
                log.warning("replication round failed; retrying next period", exc_info=True)
            if self._stop.wait(self.every):
                return


def _insert(cursor: Cursor, table: str, entries: list[Entry]) -> None:
    if cursor.dialect == "sqlite":
        statement = ("INSERT INTO stored_events (rowid, originator_id, originator_version, "
                     "topic, state) VALUES (:p, :o, :v, :t, :s)")
        ids: list[Any] = [e.originator_id.hex for e in entries]
    else:
        # `table` is the storage's name for a validated slug (tenants/slugs.table_prefix).
        statement = (f"INSERT INTO {table} (notification_id, originator_id, "  # noqa: S608
                     "originator_version, topic, state) VALUES (:p, :o, :v, :t, :s)")
        ids = [e.originator_id for e in entries]
    cursor.executemany(statement, [
        {"p": e.position, "o": o, "v": e.originator_version, "t": e.topic, "s": e.state}
        for e, o in zip(entries, ids, strict=True)])


def _iso(value: Any) -> str | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value)).astimezone(UTC).isoformat()


def cited_names(state: bytes) -> dict[str, str]:
    """The evidence files an entry cites, by digest, with the name they were uploaded as."""
    found: dict[str, str] = {}
    if b'"evidence_file"' not in state:
        return found
    try:
        doc = json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return found
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("_data_")
            if node.get("_type_") == "evidence_file" and isinstance(data, dict):
                digest = data.get("sha256")
                if isinstance(digest, str) and digest in cited_files(state):
                    found[digest] = str(data.get("name") or digest)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
