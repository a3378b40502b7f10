"""Bearer tokens. Only a SHA-256 of each token is stored: a copy of the database does not
let anyone sign in. A token is 32 random bytes, so a plain (unsalted, fast) hash is
enough; salting and stretching are for guessable passwords."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from datetime import datetime, timedelta

from penholder.auth.load import load_principal
from penholder.auth.principal import Principal
from penholder.store.tables import Token, User, utcnow


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_NAME = 100


def issue_token(db: Session, user: User, draft_id: int | None = None, *, name: str | None = None,
                expires_days: float | None = None) -> str:
    """A new token for `user` (limited to one draft if `draft_id`, valid for `expires_days`
    if given, else until revoked); returned once, never stored."""
    name = " ".join((name or "").split()) or None
    if name is not None and len(name) > MAX_NAME:
        raise ValueError(f"a token's name is at most {MAX_NAME} characters")
    if expires_days is not None and not 0 < expires_days <= 3650:
        raise ValueError("a token expires after 1 to 3650 days")
    expires = utcnow() + timedelta(days=expires_days) if expires_days is not None else None
    # The prefix names what the secret is (for people and secret scanners), and keeps a
    # token from starting with "-", which a command line would take for an option
    # (`--token -x...`: one token in 64 did).
    token = "ph_" + secrets.token_urlsafe(32)
    db.add(Token(user_id=user.id, token_hash=hash_token(token), draft_id=draft_id, name=name, expires_at=expires))
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
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return row


def authenticate(db: Session, token: str) -> Principal | None:
    """The principal a token stands for, or None if it is unknown, expired or revoked."""
    row = _live_token(db, token)
    if row is None:
        return None
    user = db.get(User, row.user_id)
    if user is None:
        return None
    return load_principal(db, user, draft_id=row.draft_id)


def list_tokens(db: Session, user_id: int | None = None) -> list[Token]:
    """Tokens still usable (not revoked, not expired), newest first; of one user if given."""
    now = utcnow()
    q = select(Token).where(Token.revoked_at.is_(None)).order_by(Token.id.desc())
    if user_id is not None:
        q = q.where(Token.user_id == user_id)
    return [t for t in db.scalars(q) if t.expires_at is None or t.expires_at > now]


def revoke_by_id(db: Session, token_id: int, user_id: int | None = None) -> bool:
    """Revoke a token by its id (of that user only, if given); False if none was live."""
    row = db.get(Token, token_id)
    if row is None or row.revoked_at is not None or (user_id is not None and row.user_id != user_id):
        return False
    row.revoked_at = utcnow()
    db.flush()
    return True


def token_json(t: Token) -> dict[str, object]:
    def at(d: datetime | None) -> str | None:
        return d.isoformat() if d else None
    return {"id": t.id, "name": t.name, "user_id": t.user_id, "draft_id": t.draft_id,
            "created_at": at(t.created_at), "expires_at": at(t.expires_at)}


def revoke(db: Session, token: str) -> bool:
    """Revoke a token; False if it was unknown or already revoked. The caller commits."""
    row = _live_token(db, token)
    if row is None:
        return False
    row.revoked_at = utcnow()
    db.flush()
    return True
