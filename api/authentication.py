"""Bearer tokens: who a request comes from. Repeated failures from one client address on one
token id, or from one address on many, are refused for a while (429) without the token being
checked; a token id is locked for everyone only on evidence of an attack (service/security.py)."""

from __future__ import annotations

from flask import request

from api import i18n, scope
from api.errors import TooManyFailures, Unauthenticated
from api.services import services
from service.access import PrincipalView, token_id_of

CHALLENGE = 'Bearer realm="r57"'
MAX_TOKEN_LENGTH = 512  # ours are about 60 characters; longer ones are not worth hashing


def authenticate() -> PrincipalView:
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise Unauthenticated(i18n.text("api.bearer_missing"),
                              headers={"WWW-Authenticate": CHALLENGE})
    scheme, _, token = header.partition(" ")
    token = token.strip()
    fits = scheme.lower() == "bearer" and 0 < len(token) <= MAX_TOKEN_LENGTH
    token_id = token_id_of(token) if fits else None
    address, subject = request.remote_addr or "", f"token:{token_id}" if token_id else ""
    throttle = services().throttle
    # One statement: the throttle's counts, the named tenant (kept for the guard, which
    # looks at it only once the grants let the principal see it) and the access log's head.
    reads = services().reads.read(throttle, address, subject, scope.requested_tenant())
    scope.read_tenant(scope.requested_tenant(), reads.tenant)
    if reads.wait is not None:
        raise TooManyFailures(
            i18n.text("api.too_many_failures", seconds=reads.wait),
            headers={"Retry-After": str(reads.wait)})
    principal = (services().tenancy.access.authenticate(token, reads.access_head)
                 if fits else None)
    if principal is None:
        throttle.failed(address, subject)
        raise Unauthenticated(i18n.text("api.bearer_unknown"),
                              headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    return principal
