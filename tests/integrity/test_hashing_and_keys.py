"""The canonical bytes of an event, the chain over them, and the signing keys."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity.canonical import GENESIS, Entry, canonical, chain_hash, leaf_hash
from integrity.checkpoints import MalformedCheckpoint, TreeHead, parse, sign, signature_problem
from integrity.keys import Keyring, PublicKey
from integrity.merkle import EMPTY_ROOT

ID = UUID("12345678-1234-5678-1234-567812345678")
entries = st.builds(Entry, st.integers(1, 2**63), st.uuids(), st.integers(1, 2**63),
                    st.text(max_size=20), st.binary(max_size=40))


def test_canonical_bytes_are_five_length_prefixed_fields_in_a_fixed_order() -> None:
    entry = Entry(7, ID, 2, "domain.task:Task.Created", b'{"a":1}')
    assert canonical(entry) == b"".join([
        b"\x00\x00\x00\x08" + (7).to_bytes(8, "big"),
        b"\x00\x00\x00\x10" + ID.bytes,
        b"\x00\x00\x00\x08" + (2).to_bytes(8, "big"),
        b"\x00\x00\x00\x18" + b"domain.task:Task.Created",
        b"\x00\x00\x00\x07" + b'{"a":1}',
    ])
    assert leaf_hash(entry) == hashlib.sha256(b"\x00" + canonical(entry)).digest()
    assert chain_hash(GENESIS, leaf_hash(entry)) == hashlib.sha256(
        b"\x02" + bytes(32) + leaf_hash(entry)).digest()


@given(entries, entries)
def test_different_entries_never_share_canonical_bytes(a: Entry, b: Entry) -> None:
    assert (canonical(a) == canonical(b)) == (a == b)


def test_moving_bytes_between_topic_and_state_changes_the_leaf() -> None:
    assert leaf_hash(Entry(1, ID, 1, "ab", b"c")) != leaf_hash(Entry(1, ID, 1, "a", b"bc"))


def test_a_key_is_created_on_first_use_readable_only_by_its_owner(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    key_id, _ = keyring.signing_key()
    assert stat.S_IMODE((tmp_path / "keys" / f"{key_id}.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    public = keyring.public_keys()[key_id]
    assert key_id == hashlib.sha256(public.raw).hexdigest()
    assert keyring.signing_key()[0] == key_id  # the same key next time


def test_rotation_destroys_the_old_private_key_and_keeps_its_public_key(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    old_id, old_key = keyring.signing_key()
    old = sign(TreeHead("t", 0, 0, EMPTY_ROOT, GENESIS), "2025-01-01T00:00:00+00:00",
               old_id, old_key)
    new_id = keyring.rotate()
    assert new_id != old_id and keyring.current_id() == new_id
    assert not (tmp_path / "keys" / f"{old_id}.pem").exists()
    assert set(keyring.public_keys()) == {old_id, new_id}
    assert signature_problem(old, keyring.public_keys()) is None


def test_a_checkpoint_with_a_changed_body_or_an_unknown_key_is_not_genuine(
    tmp_path: Path,
) -> None:
    keyring = Keyring(tmp_path / "keys")
    key_id, key = keyring.signing_key()
    good = sign(TreeHead("t", 3, 5, b"\x01" * 32, b"\x02" * 32), "2025-01-01T00:00:00+00:00",
                key_id, key)
    keys = keyring.public_keys()
    assert signature_problem(parse(good.body, good.signature), keys) is None
    altered = parse(good.body.replace('"tree_size":3', '"tree_size":4'), good.signature)
    assert altered.tree_size == 4
    assert signature_problem(altered, keys) == "the signature does not match the checkpoint"
    assert "not a trusted key" in (signature_problem(good, {}) or "")
    with pytest.raises(MalformedCheckpoint):
        parse("{not json", good.signature)


def test_a_published_key_must_hash_to_its_id(tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    key_id, _ = keyring.signing_key()
    doc = keyring.public_keys()[key_id].to_dict()
    assert PublicKey.from_dict(json.loads(json.dumps(doc))).key_id == key_id
    with pytest.raises(ValueError, match="does not hash to its id"):
        PublicKey.from_dict(doc | {"key_id": "0" * 64})
