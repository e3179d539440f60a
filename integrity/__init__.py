"""Tamper evidence for a tenant's event log: a hash chain and a Merkle tree over every
stored event, signed checkpoints of the tree head, proofs, export bundles and verification.

Everything here is independent of the service: the hashing scheme (`canonical`, `merkle`),
keys and checkpoints (`keys`, `checkpoints`), the chain follower and the signer over the SQL
port (`store`, `chain`, `signer`), verification (`verify`, `audit`, `offline`), bundles
(`bundle`) and proofs (`proofs`). See README.md in this folder for the design.
"""
