"""A tenant's signed checkpoints and proofs over the API: what a replica (or an auditor)
fetches to check the log it copied against what the tenant's deployment signed."""

from __future__ import annotations

from marshmallow import fields, validate

from api.schemas.common import Strict


class SignedCheckpointSchema(Strict):
    body = fields.String(required=True, metadata={
        "description": "The signed text: compact JSON (format r57-checkpoint/1) with the "
                       "tenant, tree size, last position, Merkle root and chain hash."})
    signature = fields.String(required=True, metadata={
        "description": "Ed25519 signature of `body` (UTF-8), base64."})


class PublicKeySchema(Strict):
    key_id = fields.String(required=True, metadata={
        "description": "SHA-256 of the raw public key, hex."})
    algorithm = fields.String(required=True)
    public_key = fields.String(required=True, metadata={"description": "Raw key, base64."})
    created_at = fields.String(required=True)


class IntegrityHeadSchema(Strict):
    position = fields.Integer(required=True, metadata={
        "description": "Log position of the latest event recorded."})
    tree_size = fields.Integer(required=True, metadata={
        "description": "Events bound into the hash chain."})
    recorded_at = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "When the latest event was recorded (null: nothing yet)."})
    checkpoint = fields.Nested(SignedCheckpointSchema, required=True, allow_none=True,
                               metadata={"description": "The latest genuine signed "
                                                        "checkpoint (null: none yet)."})
    keys = fields.List(fields.Nested(PublicKeySchema), required=True, metadata={
        "description": "The public keys the deployment signs with; a replica pins them "
                       "when it is added."})
    simulated = fields.Boolean(required=True, metadata={
        "description": "True when the tenant's history is simulated for demonstration "
                       "(`r57 demo`); a replica of it is flagged simulated too."})


class ConsistencyQuerySchema(Strict):
    first = fields.Integer(required=True, validate=validate.Range(min=0, max=2**62),
                           metadata={"description": "Tree size of the earlier checkpoint."})
    second = fields.Integer(required=True, validate=validate.Range(min=0, max=2**62),
                            metadata={"description": "Tree size of the later checkpoint."})


class InclusionQuerySchema(Strict):
    position = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))
    tree_size = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**62),
                               metadata={"description": "The checkpoint's tree size "
                                                        "(default: the latest)."})


class ProofSchema(Strict):
    """A proof document (integrity/proofs.py): it carries the checkpoints it relies on, so
    it is checked alone with the signer's public keys (`r57 proof check`)."""

    kind = fields.String(required=True, metadata={"enum": ["inclusion", "consistency"]})
    tenant = fields.String(required=True)
    path = fields.List(fields.String(), required=True, metadata={
        "description": "The proof's Merkle nodes, hex."})
    # consistency
    first_size = fields.Integer()
    second_size = fields.Integer()
    first = fields.Nested(SignedCheckpointSchema)
    second = fields.Nested(SignedCheckpointSchema)
    # inclusion
    position = fields.Integer()
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String()
    entry = fields.Dict(metadata={"description": "originator_id, originator_version, topic "
                                                 "and the stored state (base64)."})
    checkpoint = fields.Nested(SignedCheckpointSchema)
