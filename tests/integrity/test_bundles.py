"""Export bundles, verified offline: the same tampering, done to a bundle file, is detected
and located with no database, from a bundle exported on either store."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from integrity.audit import BundleUnreadable, verify_bundle
from integrity.bundle import CHECKPOINTS, EVENTS, KEYS, MANIFEST, ROOT, decode_line, encode_line
from integrity.canonical import EMPTY_HEAD, Entry, Link, link_entries
from integrity.checkpoints import Checkpoint, TreeHead, sign
from integrity.keys import Keyring
from integrity.merkle import root_of
from integrity.offline import held_copy, verify_file
from integrity.verify import Report
from service.integrity import TenantIntegrity
from service.ledger import TenantLedger
from tests.integrity.conftest import report_progress

Lines = list[bytes]


@pytest.fixture
def bundle(integrity: TenantIntegrity, ledger: TenantLedger, tmp_path: Path) -> Path:
    """151 entries and three checkpoints (141, 146 and 151 entries)."""
    integrity.checkpoint()
    report_progress(ledger, 5)
    integrity.checkpoint()
    report_progress(ledger, 5)
    path = tmp_path / "quang-nam.zip"
    integrity.export(path)
    return path


def rewrite(source: Path, target: Path, edit: Callable[[Lines], Lines],
            members: dict[str, bytes] | None = None) -> Path:
    """Copy a bundle, editing its event lines (and replacing whole members)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == ROOT + EVENTS:
                data = b"".join(edit(data.splitlines(keepends=True)))
            zout.writestr(info.filename, (members or {}).get(info.filename, data))
    return target


def first_failure(report: Report) -> tuple[int | None, str]:
    assert not report.ok, "the tampering went unnoticed"
    assert report.first is not None
    return report.first.position, report.first.reason


def line_at(lines: Lines, position: int) -> int:
    return next(i for i, line in enumerate(lines) if json.loads(line)["position"] == position)


def test_an_untouched_bundle_verifies_offline_with_its_published_key(bundle: Path,
                                                                     key_dir: Path) -> None:
    key_id = Keyring(key_dir).current_id()
    assert key_id is not None
    report = verify_file(bundle, ids=[key_id])
    assert report.ok, report.failures
    assert (report.entries, report.checkpoints, report.signed_by) == (151, 3, {key_id})


def test_the_offline_verifier_needs_no_database_driver_and_no_network(bundle: Path) -> None:
    blocked = ("import sys; [sys.modules.__setitem__(m, None) for m in "
               "('psycopg', 'sqlite3', '_sqlite3', 'socket', 'eventsourcing', 'service')]; "
               "from integrity.offline import main; sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", blocked, "verify", str(bundle)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: bundle")


def test_one_changed_byte_in_a_bundle_is_located(bundle: Path, tmp_path: Path) -> None:
    def flip(lines: Lines) -> Lines:
        i = line_at(lines, 77)
        entry, link = decode_line(lines[i])
        state = bytearray(entry.state)
        state[5] ^= 0x01
        lines[i] = encode_line(Entry(77, entry.originator_id, entry.originator_version,
                                     entry.topic, bytes(state)), link)
        return lines

    position, reason = first_failure(verify_bundle(rewrite(bundle, tmp_path / "t.zip", flip)))
    assert position == 77 and "altered" in reason


def test_a_line_deleted_from_a_bundle_is_located_after_the_gap(bundle: Path,
                                                               tmp_path: Path) -> None:
    def delete(lines: Lines) -> Lines:
        del lines[line_at(lines, 100)]
        return lines

    position, reason = first_failure(verify_bundle(rewrite(bundle, tmp_path / "t.zip", delete)))
    assert position == 101 and "after position 99" in reason and "deleted" in reason


def test_two_lines_deleted_from_a_bundle_are_reported_once_each(bundle: Path,
                                                                tmp_path: Path) -> None:
    def delete(lines: Lines) -> Lines:
        del lines[line_at(lines, 100)]
        del lines[line_at(lines, 130)]
        return lines

    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip", delete))
    located = [f for f in report.failures if f.position is not None]
    assert [f.position for f in located] == [101, 131]
    assert all("deleted" in f.reason for f in located)


def test_two_swapped_lines_in_a_bundle_are_located(bundle: Path, tmp_path: Path) -> None:
    def swap(lines: Lines) -> Lines:
        a, b = line_at(lines, 30), line_at(lines, 90)
        lines[a], lines[b] = lines[b], lines[a]
        return lines

    assert first_failure(verify_bundle(rewrite(bundle, tmp_path / "t.zip", swap)))[0] == 30


def test_a_forged_line_inserted_in_a_bundle_is_located(bundle: Path, tmp_path: Path) -> None:
    def insert(lines: Lines) -> Lines:
        i = line_at(lines, 50)
        entry, link = decode_line(lines[i])
        forged = Entry(50, entry.originator_id, entry.originator_version, entry.topic,
                       b'{"forged":"yes"}')
        lines.insert(i, encode_line(forged, link))
        return lines

    position, _ = first_failure(verify_bundle(rewrite(bundle, tmp_path / "t.zip", insert)))
    assert position == 50


def test_a_truncated_bundle_fails_its_last_checkpoint(bundle: Path, tmp_path: Path) -> None:
    position, reason = first_failure(
        verify_bundle(rewrite(bundle, tmp_path / "t.zip", lambda lines: lines[:120])))
    assert position == 121 and "removed from its end" in reason


def forge_from(position: int) -> Callable[[Lines], Lines]:
    """Rewrite every entry from `position` on and recompute the whole chain: the bundle is
    consistent in itself, only the signatures can tell."""

    def forge(lines: Lines) -> Lines:
        entries = [decode_line(line)[0] for line in lines]
        entries = [e if e.position < position else
                   Entry(e.position, e.originator_id, e.originator_version, e.topic,
                         e.state + b" ") for e in entries]
        links, _ = link_entries(EMPTY_HEAD, entries)
        return [encode_line(e, k) for e, k in zip(entries, links, strict=True)]

    return forge


def consistent_members(path: Path, links: list[Link],
                       checkpoints: list[Checkpoint] | None = None,
                       keys: bytes | None = None) -> dict[str, bytes]:
    """A manifest (and optionally checkpoints and keys) that match a forged bundle."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read(ROOT + MANIFEST))
        events = z.read(ROOT + EVENTS)
        members = {ROOT + CHECKPOINTS: z.read(ROOT + CHECKPOINTS), ROOT + KEYS: z.read(ROOT + KEYS)}
    if checkpoints is not None:
        members[ROOT + CHECKPOINTS] = json.dumps([c.to_dict() for c in checkpoints]).encode()
    if keys is not None:
        members[ROOT + KEYS] = keys
    manifest["root_hash"] = root_of(k.leaf_hash for k in links).hex()
    manifest["files"] = {name.removeprefix(ROOT): {"sha256": hashlib.sha256(data).hexdigest()}
                         for name, data in members.items()}
    manifest["files"][EVENTS] = {"sha256": hashlib.sha256(events).hexdigest()}
    return members | {ROOT + MANIFEST: json.dumps(manifest).encode()}


def forged_bundle(bundle: Path, tmp_path: Path, resign: bool = False) -> Path:
    draft = rewrite(bundle, tmp_path / "draft.zip", forge_from(40))
    with zipfile.ZipFile(draft) as z:
        links = [k for k in (decode_line(line)[1] for line in z.read(ROOT + EVENTS).splitlines())
                 if k is not None]
    checkpoints = keys = None
    if resign:  # the forger signs with a key of their own and ships its public half
        forger = Keyring(tmp_path / "forger")
        key_id, key = forger.signing_key()
        head = TreeHead("quang-nam", len(links), links[-1].position,
                        root_of(k.leaf_hash for k in links), links[-1].chain_hash)
        checkpoints = [sign(head, "2025-12-31T00:00:00+00:00", key_id, key)]
        keys = json.dumps([k.to_dict() for k in forger.public_keys().values()]).encode()
    members = consistent_members(draft, links, checkpoints, keys)
    return rewrite(draft, tmp_path / "forged.zip", lambda lines: lines, members)


def test_a_self_consistent_forged_bundle_fails_the_signed_checkpoints(
    bundle: Path, tmp_path: Path
) -> None:
    report = verify_bundle(forged_bundle(bundle, tmp_path))
    assert all(f.position is None or "checkpoint" in f.reason for f in report.failures)
    position, reason = first_failure(report)
    assert position == 1 and "rewritten" in reason


def test_a_forged_bundle_is_located_exactly_against_a_bundle_held_elsewhere(
    bundle: Path, tmp_path: Path
) -> None:
    report = verify_file(forged_bundle(bundle, tmp_path, resign=True), against=bundle)
    position, reason = first_failure(report)
    assert position == 40 and "held elsewhere" in reason


def test_a_forged_bundle_resigned_with_another_key_fails_once_the_key_is_pinned(
    bundle: Path, tmp_path: Path, key_dir: Path
) -> None:
    forged = forged_bundle(bundle, tmp_path, resign=True)
    unpinned = verify_file(forged)
    assert unpinned.ok  # consistent in itself; the report names the key to compare
    forger_id = Keyring(tmp_path / "forger").current_id()
    assert forger_id is not None and forger_id in unpinned.notes[-1]
    real_id = Keyring(key_dir).current_id()
    assert real_id is not None
    _, reason = first_failure(verify_file(forged, ids=[real_id]))
    assert "not a trusted key" in reason


def test_an_earlier_bundle_must_verify_before_it_can_serve_as_evidence(
    bundle: Path, tmp_path: Path
) -> None:
    broken = rewrite(bundle, tmp_path / "broken.zip", lambda lines: lines[:-1])
    with pytest.raises(BundleUnreadable, match="does not verify"):
        held_copy(broken, None)


def test_a_file_that_is_not_a_bundle_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(BundleUnreadable):
        verify_bundle(junk)


def test_a_key_handed_out_under_another_id_is_refused(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as z:
        keys = json.loads(z.read(ROOT + KEYS))
    keys[0]["key_id"] = "0" * 64
    tampered = rewrite(bundle, tmp_path / "t.zip", lambda lines: lines,
                       {ROOT + KEYS: json.dumps(keys).encode()})
    report = verify_bundle(tampered)
    assert any("does not hash to its id" in f.reason for f in report.failures)
