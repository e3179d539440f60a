"""A tenant's chain head, its latest signed checkpoint with the keys that sign it, and
consistency and inclusion proofs: what a replica checks the log it copied against."""

from __future__ import annotations

from typing import Any

from api import scope
from api.event_log import recorded_at
from api.routing import TENANT_PREFIX, ApiBlueprint
from api.schemas.integrity import (
    ConsistencyQuerySchema,
    InclusionQuerySchema,
    IntegrityHeadSchema,
    ProofSchema,
)
from api.services import services
from domain.policy import Action
from service.integrity import TenantIntegrity

bp = ApiBlueprint("integrity", __name__, url_prefix=TENANT_PREFIX + "/integrity")


def _integrity() -> TenantIntegrity:
    return TenantIntegrity(scope.ledger().app, services().tenancy.key_dir)


@bp.operation("/head", action=Action.READ_FEED, response=IntegrityHeadSchema())
def head() -> dict[str, Any]:
    """The head of the log and of its chain, the latest signed checkpoint and the public
    keys that sign.

    A replica reads this before each sync: how far the source is (its lag), and the
    checkpoint to verify what it copied against.
    """
    integrity = _integrity()
    chained = integrity.store.head()
    app = integrity.app
    position = app.recorder.max_notification_id() or 0
    checkpoints = integrity.genuine_checkpoints()
    return {
        "position": position, "tree_size": chained.tree_size,
        "recorded_at": recorded_at(app, position) if position else None,
        "checkpoint": checkpoints[-1].to_dict() if checkpoints else None,
        "keys": [k.to_dict() for k in integrity.public_keys().values()],
        "simulated": integrity.simulated(),
    }


@bp.operation("/consistency", action=Action.READ_FEED, query=ConsistencyQuerySchema(),
              response=ProofSchema(), also=(404, 409))
def consistency(query: dict[str, Any]) -> dict[str, Any]:
    """Proof that the log signed at `second` entries extends the one signed at `first`.

    404 when no genuine checkpoint of one of the sizes is stored.
    """
    return _integrity().consistency(query["first"], query["second"])


@bp.operation("/inclusion", action=Action.READ_FEED, query=InclusionQuerySchema(),
              response=ProofSchema(), also=(404, 409))
def inclusion(query: dict[str, Any]) -> dict[str, Any]:
    """Proof that the event at `position` is in a signed checkpoint."""
    return _integrity().inclusion(query["position"], query["tree_size"])
