"""RFC 9162 Merkle trees: the published Certificate Transparency test vectors, and
properties against a reference written straight from the RFC's recursive definitions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_proof,
    hash_children,
    hash_leaf,
    inclusion_proof,
    root_of,
    verify_consistency,
    verify_inclusion,
)

# The leaves and roots of the Certificate Transparency reference tests (RFC 6962 trees).
LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HASHES = [hash_leaf(leaf) for leaf in LEAVES]
INCLUSION = [  # (leaf index, tree size, proof), from the same reference tests
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (first size, second size, proof)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]


# -- the reference: RFC 9162 section 2.1, transcribed -----------------------------------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return hash_children(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    return [*path(m, d[:k]), mth(d[k:])] if m < k else [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


leaves = st.lists(st.binary(max_size=8), min_size=1, max_size=70).map(
    lambda items: [hash_leaf(item) for item in items])


# -- vectors ------------------------------------------------------------------------------


def test_the_empty_tree_hashes_to_the_hash_of_nothing() -> None:
    assert root_of([]) == EMPTY_ROOT == Frontier().root()
    assert EMPTY_ROOT.hex().startswith("e3b0c442")


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_reference_vectors(size: int) -> None:
    assert root_of(HASHES[:size]).hex() == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_inclusion_proofs_match_the_reference_vectors(index: int, size: int,
                                                      expected: list[str]) -> None:
    proof = inclusion_proof(HASHES[:size], index)
    assert [node.hex() for node in proof] == expected
    assert verify_inclusion(HASHES[index], index, size, proof, bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize(("first", "second", "expected"), CONSISTENCY)
def test_consistency_proofs_match_the_reference_vectors(first: int, second: int,
                                                        expected: list[str]) -> None:
    proof = consistency_proof(HASHES[:second], first)
    assert [node.hex() for node in proof] == expected
    assert verify_consistency(first, second, bytes.fromhex(ROOTS[first - 1]),
                              bytes.fromhex(ROOTS[second - 1]), proof)


# -- properties ---------------------------------------------------------------------------


@given(leaves)
def test_the_streaming_root_is_the_rfc_root_at_every_size(hashes: list[bytes]) -> None:
    frontier = Frontier()
    for n, leaf in enumerate(hashes, 1):
        frontier.append(leaf)
        assert frontier.root() == mth(hashes[:n])


@given(leaves, st.data())
def test_every_leaf_has_the_rfc_inclusion_proof_and_it_verifies(hashes: list[bytes],
                                                                data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(hashes) - 1))
    proof = inclusion_proof(hashes, index)
    assert proof == path(index, hashes)
    assert verify_inclusion(hashes[index], index, len(hashes), proof, mth(hashes))


@given(leaves, st.data())
def test_an_inclusion_proof_fails_for_anything_else(hashes: list[bytes],
                                                    data: st.DataObject) -> None:
    n, root = len(hashes), mth(hashes)
    index = data.draw(st.integers(0, n - 1))
    proof = inclusion_proof(hashes, index)
    other_leaf = hash_leaf(b"forged")
    assert not verify_inclusion(other_leaf, index, n, proof, root)
    assert not verify_inclusion(hashes[index], index, n, proof, hash_leaf(b"other root"))
    assert not verify_inclusion(hashes[index], index, n, [*proof, root], root)
    assert not verify_inclusion(hashes[index], n, n, proof, root)
    if proof:
        assert not verify_inclusion(hashes[index], index, n, proof[:-1], root)
        at = data.draw(st.integers(0, len(proof) - 1))
        bent = [*proof[:at], other_leaf, *proof[at + 1:]]
        assert not verify_inclusion(hashes[index], index, n, bent, root)
    wrong = data.draw(st.integers(0, n - 1))
    if hashes[wrong] != hashes[index] and wrong != index:
        assert not verify_inclusion(hashes[wrong], index, n, proof, root)


@given(leaves, st.data())
def test_every_prefix_has_the_rfc_consistency_proof_and_it_verifies(
    hashes: list[bytes], data: st.DataObject
) -> None:
    first = data.draw(st.integers(0, len(hashes)))
    proof = consistency_proof(hashes, first)
    if 0 < first < len(hashes):
        assert proof == subproof(first, hashes, True)
    assert verify_consistency(first, len(hashes), mth(hashes[:first]), mth(hashes), proof)


@given(leaves, st.data())
def test_a_consistency_proof_fails_when_the_old_tree_was_rewritten(
    hashes: list[bytes], data: st.DataObject
) -> None:
    n = len(hashes)
    first = data.draw(st.integers(1, n))
    changed = data.draw(st.integers(0, first - 1))
    rewritten = [*hashes[:changed], hash_leaf(b"rewritten"), *hashes[changed + 1:]]
    if rewritten[changed] == hashes[changed]:
        return
    proof = consistency_proof(rewritten, first)
    assert not verify_consistency(first, n, mth(hashes[:first]), mth(rewritten), proof)
    if first < n:
        assert not verify_consistency(first, n, mth(hashes[:first]), mth(hashes), proof[:-1])


def test_proofs_are_refused_outside_the_tree() -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(HASHES[:3], 3)
    with pytest.raises(ValueError, match="outside"):
        consistency_proof(HASHES[:3], 4)
    assert not verify_consistency(4, 3, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(2, 2, HASHES[0], HASHES[1], [])
    assert verify_consistency(0, 5, EMPTY_ROOT, mth(HASHES[:5]), [])
