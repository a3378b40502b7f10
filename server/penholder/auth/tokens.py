"""Bearer tokens. Only a SHA-256 of each token is stored: a copy of the database does not
let anyone sign in. A token is 32 random bytes, so a plain (unsalted, fast) hash is
enough; salting and stretching are for guessable passwords."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from penholder.auth.load import load_principal
from penholder.auth.principal import Principal
from penholder.store import Engine
from penholder.store import tokens as stored
from penholder.store.credentials import NewToken
from penholder.store.tokens import TokenRow


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_NAME = 100


def new_token(draft_id: int | None = None, *, name: str | None = None,
              expires_days: float | None = None) -> tuple[str, NewToken]:
    """A new token's secret (handed out once, never stored) and what is stored of it:
    limited to one draft if `draft_id`, valid for `expires_days` if given, else until
    revoked. ValueError: a name or an expiry out of bounds."""
    name = " ".join((name or "").split()) or None
    if name is not None and len(name) > MAX_NAME:
        raise ValueError(f"a token's name is at most {MAX_NAME} characters")
    if expires_days is not None and not 0 < expires_days <= 3650:
        raise ValueError("a token expires after 1 to 3650 days")
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days is not None else None
    # The prefix names what the secret is (for people and secret scanners), and keeps a
    # token from starting with "-", which a command line would take for an option
    # (`--token -x...`: one token in 64 did).
    token = "ph_" + secrets.token_urlsafe(32)
    return token, NewToken(hash_token(token), draft_id, name, expires)


def issue_token(engine: Engine, user_id: int, draft_id: int | None = None, *, name: str | None = None,
                expires_days: float | None = None) -> str:
    """A new token for the account (see new_token); returned once, never stored.
    store.errors.Missing: no such account or draft."""
    token, new = new_token(draft_id, name=name, expires_days=expires_days)
    stored.issue(engine, user_id, new)
    return token


def authenticate(engine: Engine, token: str) -> Principal | None:
    """The principal a token stands for, or None if it is unknown, expired or revoked."""
    if not token:
        return None
    found = stored.holder_of(engine, hash_token(token))
    if found is None:
        return None
    who, draft_id = found
    return load_principal(who, draft_id=draft_id)


def token_json(t: TokenRow) -> dict[str, object]:
    def at(d: datetime | None) -> str | None:
        return d.isoformat() if d else None
    return {"id": t.id, "name": t.name, "user_id": t.user_id, "draft_id": t.draft_id,
            "created_at": at(t.created_at), "expires_at": at(t.expires_at)}


def revoke(engine: Engine, token: str) -> bool:
    """Revoke a token; False if it was unknown, expired or already revoked."""
    return bool(token) and stored.revoke_hash(engine, hash_token(token))
