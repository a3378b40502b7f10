"""Browser sessions. The cookie holds 32 random bytes; the database keeps their SHA-256,
when they expire, and whether they were revoked (signing out, or out everywhere). The
CSRF token is derived from the session secret, so it needs no storage and changes with
every session."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from penholder.auth.load import load_principal
from penholder.auth.principal import Principal
from penholder.auth.tokens import hash_token
from penholder.store.tables import User, WebSession, utcnow

COOKIE = "penholder_session"
CSRF_COOKIE = "penholder_csrf"
CSRF_HEADER = "x-csrf-token"


def lifetime() -> timedelta:
    """How long a session lasts from sign-in: PENHOLDER_SESSION_HOURS, 12 by default
    (a negotiating day)."""
    return timedelta(hours=float(os.environ.get("PENHOLDER_SESSION_HOURS") or 12))


def start_session(db: Session, user: User) -> str:
    """A new session for `user`; the secret is returned once, for the cookie. The caller commits."""
    secret = secrets.token_urlsafe(32)
    db.add(WebSession(user_id=user.id, token_hash=hash_token(secret), expires_at=utcnow() + lifetime()))
    db.flush()
    return secret


def _live(db: Session, secret: str) -> WebSession | None:
    if not secret:
        return None
    digest = hash_token(secret)
    row = db.scalars(select(WebSession).where(WebSession.token_hash == digest)).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row if hmac.compare_digest(row.token_hash, digest) else None


def session_principal(db: Session, secret: str) -> Principal | None:
    """The principal a session cookie stands for, or None if unknown, expired or revoked."""
    row = _live(db, secret)
    if row is None:
        return None
    user = db.get(User, row.user_id)
    return None if user is None else load_principal(db, user, via="session")


def end_session(db: Session, secret: str) -> bool:
    row = _live(db, secret)
    if row is None:
        return False
    row.revoked_at = utcnow()
    return True


def end_all_sessions(db: Session, user_id: int) -> int:
    """Sign a user out everywhere; returns how many sessions were open. The caller commits."""
    result = db.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None),
                                                 WebSession.expires_at > utcnow()).values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def csrf_token(secret: str) -> str:
    """The CSRF token of a session: readable by the page (a cookie without HttpOnly), sent
    back in the X-CSRF-Token header, which another site can neither read nor set."""
    return hashlib.sha256(b"penholder csrf\0" + secret.encode()).hexdigest()


def csrf_ok(secret: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(secret), sent or "")
