"""Single sign-on with OpenID Connect: the authorization code flow with PKCE, a state and a
nonce, against the provider a deployment configures (a province's SSO, the national identity
service for organisations).

The ID token's signature is checked against the provider's published keys, and its issuer,
audience, nonce and expiry against what we sent and expect; anything else is refused with a
code (`SsoRefused`) the interfaces put into words and record. Who the identity may sign in as
is decided by the accounts (service/accounts.py: only an identity an administrator
authorised).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.integrations.requests_client import OAuth2Session  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    DecodeError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")
HTTP_TIMEOUT = 5.0


class SsoRefused(Exception):
    """The provider's answer was not accepted; `code` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    name: str = "SSO"  # shown on the sign-in button: "Đăng nhập qua {name}"
    email_claim: str = "email"
    scope: str = "openid email profile"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OidcConfig | None:
        env = os.environ if env is None else env
        issuer = env.get("R57_OIDC_ISSUER", "").strip()
        if not issuer:
            return None
        return cls(issuer=issuer, client_id=env.get("R57_OIDC_CLIENT_ID", ""),
                   client_secret=env.get("R57_OIDC_CLIENT_SECRET", ""),
                   name=env.get("R57_OIDC_NAME", "SSO") or "SSO",
                   email_claim=env.get("R57_OIDC_EMAIL_CLAIM", "email") or "email")


@dataclass(frozen=True)
class Started:
    url: str  # where the browser goes to sign in
    state: str
    nonce: str
    verifier: str  # PKCE


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str
    name: str


class OidcClient:
    def __init__(self, config: OidcConfig) -> None:
        self.config = config
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._lock = threading.Lock()

    def _get(self, url: str) -> dict[str, Any]:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            found: dict[str, Any] = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SsoRefused("provider_unreachable", str(error)) from None
        return found

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                found = self._get(self.config.issuer.rstrip("/")
                                  + "/.well-known/openid-configuration")
                if found.get("issuer") != self.config.issuer:
                    raise SsoRefused("issuer", "the discovery document names another issuer")
                self._metadata = found
            return self._metadata

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            keys = self._keys
        if keys is None or refresh:
            keys = KeySet.import_key_set(self._get(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
            with self._lock:
                self._keys = keys
        return keys

    def start(self, redirect_uri: str) -> Started:
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        verifier = generate_token(64)
        query = urlencode({
            "response_type": "code", "client_id": self.config.client_id,
            "redirect_uri": redirect_uri, "scope": self.config.scope, "state": state,
            "nonce": nonce, "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        })
        return Started(f"{self.metadata()['authorization_endpoint']}?{query}", state, nonce,
                       verifier)

    def finish(self, redirect_uri: str, params: Mapping[str, str], started: Started
               ) -> Identity:
        """The identity the provider vouches for, from its answer to our request."""
        return self.verify_id_token(self.exchange(redirect_uri, params, started),
                                    started.nonce)

    def exchange(self, redirect_uri: str, params: Mapping[str, str], started: Started) -> str:
        """The ID token the provider gives for the code in its answer (not yet checked)."""
        if params.get("error"):
            raise SsoRefused("provider_error", params.get("error", "")[:100])
        offered = params.get("state", "")
        if not started.state or not secrets.compare_digest(offered, started.state):
            raise SsoRefused("state")
        code = params.get("code", "")
        if not code:
            raise SsoRefused("no_code")
        session = OAuth2Session(self.config.client_id, self.config.client_secret,
                                token_endpoint_auth_method="client_secret_basic")  # noqa: S106
        try:
            token = session.fetch_token(self.metadata()["token_endpoint"], code=code,
                                        redirect_uri=redirect_uri,
                                        code_verifier=started.verifier, timeout=HTTP_TIMEOUT)
        except Exception as error:
            raise SsoRefused("token_exchange", str(error)[:200]) from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SsoRefused("no_id_token")
        return id_token

    def verify_id_token(self, id_token: str, nonce: str, now: int | None = None) -> Identity:
        claims = self._decode(id_token)
        registry = jwt.JWTClaimsRegistry(
            now=now, leeway=60,
            iss={"essential": True, "value": self.config.issuer},
            aud={"essential": True, "value": self.config.client_id},
            sub={"essential": True}, exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise SsoRefused("expired") from None
        except (InvalidClaimError, MissingClaimError) as error:
            raise SsoRefused(str(getattr(error, "claim", "") or "claims"), str(error)) from None
        except ClaimError as error:
            raise SsoRefused("claims", str(error)) from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise SsoRefused("aud", "several audiences and we are not the authorised party")
        email = claims.get(self.config.email_claim)
        if not isinstance(email, str) or not email:
            raise SsoRefused("no_email")
        if self.config.email_claim == "email" and claims.get("email_verified") is False:
            raise SsoRefused("email_unverified")
        return Identity(str(claims["iss"]), str(claims["sub"]), email.strip().lower(),
                        str(claims.get("name") or email))

    def _decode(self, id_token: str) -> dict[str, Any]:
        for refresh in (False, True):  # the provider may have rotated its keys
            try:
                token = jwt.decode(id_token, self._key_set(refresh), algorithms=list(ALGORITHMS))
            except BadSignatureError:
                raise SsoRefused("signature") from None
            except DecodeError:
                raise SsoRefused("malformed") from None
            except JoseError as error:  # no key with this id, an algorithm we do not take
                if refresh:
                    raise SsoRefused("signature", str(error)) from None
                continue
            claims: dict[str, Any] = dict(token.claims)
            return claims
        raise SsoRefused("signature")
