"""Issues a tenant's signed checkpoint, refusing to sign a history that contradicts one
already signed.

The tree head is computed from the chain's stored leaf hashes, under the chain lock. Before
signing, the signer checks that the chain still reproduces its own head and every earlier
checkpoint: those stored in the database and the last one this signer remembers in its key
directory. So someone who rewrote the events and recomputed the chain, even after deleting
the checkpoint rows, cannot get the forgery signed; checking the events themselves against
the chain is the verifier's job (`integrity.verify`).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from domain.messages import Message, Param
from integrity.canonical import GENESIS, chain_hash
from integrity.checkpoints import (
    Checkpoint,
    MalformedCheckpoint,
    TreeHead,
    parse,
    sign,
    signature_problem,
)
from integrity.keys import Keyring, PublicKey
from integrity.merkle import Frontier
from integrity.store import IntegrityStore, SignedText


class RefusedToSign(Exception):
    """The stored history contradicts a checkpoint already signed; `message` says how."""

    def __init__(self, code: str, /, **params: Param) -> None:
        self.message = Message(code, params)
        super().__init__(str(self.message))


def issue_checkpoint(store: IntegrityStore, keyring: Keyring, now: datetime) -> Checkpoint:
    """Sign the head of the chain as it stands (call `extend_chain` first to include the
    latest entries). Signing the same head twice with the same key returns the first."""
    key_id, key = keyring.signing_key()
    trusted = keyring.public_keys()
    with store.db.transaction() as cursor:
        head = store.lock_head(cursor)
        leaves = store.leaf_hashes(cursor)
        stored = _trusted(store.checkpoints(cursor), trusted, store.tenant)
        remembered = keyring.last_signed(store.tenant)
        own = [] if remembered is None else [
            (str(remembered["body"]), base64.b64decode(remembered["signature"]))]
        priors = stored + _trusted(own, trusted, store.tenant)
        heads = heads_at(leaves, {p.tree_size for p in priors if p.tree_size <= len(leaves)})
        root, chain = heads[len(leaves)]
        if len(leaves) != head.tree_size or chain != head.chain_hash:
            raise RefusedToSign("integrity.sign.head_not_reproduced")
        for prior in priors:
            _check_extends(prior, heads)
        for prior in stored:
            if prior.key_id == key_id and prior.tree_size == head.tree_size:
                return prior
        tree = TreeHead(store.tenant, head.tree_size, head.position, root, chain)
        checkpoint = sign(tree, now.astimezone(UTC).isoformat(timespec="seconds"), key_id, key)
        store.add_checkpoint(cursor, checkpoint)
        keyring.remember_signed(store.tenant, checkpoint.to_dict())
        return checkpoint


def heads_at(leaves: list[bytes], sizes: Iterable[int]) -> dict[int, tuple[bytes, bytes]]:
    """(Merkle root, chain hash) of the first n leaves, for each wanted n and for all."""
    wanted = set(sizes) | {len(leaves)}
    frontier, chain = Frontier(), GENESIS
    heads = {0: (frontier.root(), chain)} if 0 in wanted else {}
    for leaf in leaves:
        frontier.append(leaf)
        chain = chain_hash(chain, leaf)
        if frontier.size in wanted:
            heads[frontier.size] = (frontier.root(), chain)
    return heads


def _check_extends(prior: Checkpoint, heads: Mapping[int, tuple[bytes, bytes]]) -> None:
    now = heads.get(prior.tree_size)
    if now is None:
        raise RefusedToSign("integrity.sign.chain_shorter", checkpoint=prior.described())
    if now != (prior.head.root_hash, prior.head.chain_hash):
        raise RefusedToSign("integrity.sign.chain_rewritten", checkpoint=prior.described())


def _trusted(signed: list[SignedText], keys: Mapping[str, PublicKey],
             tenant: str) -> list[Checkpoint]:
    checkpoints = []
    for body, signature in signed:
        try:
            checkpoint = parse(body, signature)
        except MalformedCheckpoint as exc:
            raise RefusedToSign("integrity.sign.checkpoint_unreadable", reason=str(exc)) from None
        problem = signature_problem(checkpoint, keys)
        if problem or checkpoint.head.tenant != tenant:
            raise RefusedToSign("integrity.sign.checkpoint_not_genuine",
                                checkpoint=checkpoint.described(),
                                problem=problem or "it names another tenant")
        checkpoints.append(checkpoint)
    return checkpoints
