"""Bearer tokens. Only a SHA-256 of each token is stored: a copy of the database does not
let anyone sign in. A token is 32 random bytes, so a plain (unsalted, fast) hash is
enough; salting and stretching are for guessable passwords."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from penholder.auth.principal import Principal
from penholder.auth.roles import Role
from penholder.store.tables import Token, User, utcnow


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db: Session, user: User, draft_id: int | None = None) -> str:
    """A new token for `user` (limited to one draft if `draft_id`); returned once, never stored."""
    # The prefix names what the secret is (for people and secret scanners), and keeps a
    # token from starting with "-", which a command line would take for an option
    # (`--token -x...`: one token in 64 did).
    token = "ph_" + secrets.token_urlsafe(32)
    db.add(Token(user_id=user.id, token_hash=hash_token(token), draft_id=draft_id))
    db.flush()
    return token


def _live_token(db: Session, token: str) -> Token | None:
    if not token:
        return None
    digest = hash_token(token)
    # Looked up by hash, so the database compares digests of the attacker's guess, which
    # leak nothing about stored tokens through timing; compare_digest guards the final check.
    row = db.scalars(select(Token).where(Token.token_hash == digest)).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return row


def authenticate(db: Session, token: str) -> Principal | None:
    """The principal a token stands for, or None if it is unknown or revoked."""
    row = _live_token(db, token)
    if row is None:
        return None
    user = db.get(User, row.user_id)
    if user is None:
        return None
    return Principal(
        user_id=user.id,
        name=user.name,
        delegation=user.delegation.name if user.delegation else None,
        role=Role(user.role),
        delegation_id=user.delegation_id,
        draft_id=row.draft_id,
    )


def revoke(db: Session, token: str) -> bool:
    """Revoke a token; False if it was unknown or already revoked. The caller commits."""
    row = _live_token(db, token)
    if row is None:
        return False
    row.revoked_at = utcnow()
    db.flush()
    return True
