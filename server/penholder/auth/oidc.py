"""Single sign-on by OpenID Connect (authorization code with PKCE, through Authlib): the
provider's settings, and the account an ID token signs in. An account is matched by its
verified email address only; its delegation and kind come from the invitation that made
it, never from a claim the person controls at the provider.

Settings (docs/deploy.md): PENHOLDER_OIDC_ISSUER, PENHOLDER_OIDC_CLIENT_ID,
PENHOLDER_OIDC_CLIENT_SECRET, PENHOLDER_OIDC_SCOPE ("openid email")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import JoseError
from penholder.store import Engine
from penholder.store import accounts
from penholder.store.accounts import Account


class SsoError(Exception):
    """Single sign-on did not sign anyone in; the message says why, for the person."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str | None
    scope: str

    @staticmethod
    def from_env() -> OidcSettings | None:
        issuer, client = os.environ.get("PENHOLDER_OIDC_ISSUER"), os.environ.get("PENHOLDER_OIDC_CLIENT_ID")
        if not issuer or not client:
            return None
        return OidcSettings(issuer.rstrip("/"), client, os.environ.get("PENHOLDER_OIDC_CLIENT_SECRET") or None,
                            os.environ.get("PENHOLDER_OIDC_SCOPE") or "openid email")


def verified_claims(settings: OidcSettings, id_token: str, jwks: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce check out."""
    try:
        claims = jwt.decode(id_token, JsonWebKey.import_key_set(jwks), claims_options={
            "iss": {"essential": True, "value": settings.issuer},
            "aud": {"essential": True, "value": settings.client_id},
            "nonce": {"essential": True, "value": nonce},
            "exp": {"essential": True}})
        claims.validate(leeway=60)
    except JoseError as exc:
        raise SsoError(f"the identity provider's answer did not check out ({exc.error})") from None
    return dict(claims)


def account_for(engine: Engine, claims: dict[str, Any]) -> Account:
    """The invited account whose address the provider has verified."""
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise SsoError("the identity provider gave no email address: ask it to share your address")
    if claims.get("email_verified") is not True:
        raise SsoError(f"the identity provider has not verified {email}: verify it there first")
    user = accounts.by_email(engine, email.strip().lower())
    if user is None:
        raise SsoError(f"no account is invited with {email}: ask the Secretariat or your delegation's focal point")
    return user
