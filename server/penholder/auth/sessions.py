"""Browser sessions. The cookie holds 32 random bytes; the database keeps their SHA-256,
when they expire, and whether they were revoked (signing out, or out everywhere). The
CSRF token is derived from the session secret, so it needs no storage and changes with
every session."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime, timedelta

from penholder.auth.load import load_principal
from penholder.auth.principal import Principal
from penholder.auth.tokens import hash_token
from penholder.store import Engine
from penholder.store import sessions as stored
from penholder.store.accounts import Account
from penholder.store.credentials import NewSession

COOKIE = "penholder_session"
CSRF_COOKIE = "penholder_csrf"
CSRF_HEADER = "x-csrf-token"


def lifetime() -> timedelta:
    """How long a session lasts from sign-in: PENHOLDER_SESSION_HOURS, 12 by default
    (a negotiating day)."""
    return timedelta(hours=float(os.environ.get("PENHOLDER_SESSION_HOURS") or 12))


def new_session() -> tuple[str, NewSession]:
    """A new session's secret (for the cookie, returned once) and what is stored of it."""
    secret = secrets.token_urlsafe(32)
    return secret, NewSession(hash_token(secret), datetime.now(UTC) + lifetime())


def start_session(engine: Engine, user_id: int, *, password_hash: str | None = None) -> tuple[Account, str]:
    """A new session of the account (storing a new hash of its password with it, if
    given): the account and the secret for the cookie."""
    secret, new = new_session()
    return stored.start(engine, user_id, new, password_hash=password_hash), secret


def session_principal(engine: Engine, secret: str) -> Principal | None:
    """The principal a session cookie stands for, or None if unknown, expired or revoked."""
    if not secret:
        return None
    who = stored.holder_of(engine, hash_token(secret))
    return None if who is None else load_principal(who, via="session")


def end_session(engine: Engine, secret: str) -> bool:
    return bool(secret) and stored.end(engine, hash_token(secret))


def end_all_sessions(engine: Engine, user_id: int) -> int:
    """Sign a user out everywhere; returns how many sessions were open."""
    return stored.end_all(engine, user_id)


def csrf_token(secret: str) -> str:
    """The CSRF token of a session: readable by the page (a cookie without HttpOnly), sent
    back in the X-CSRF-Token header, which another site can neither read nor set."""
    return hashlib.sha256(b"penholder csrf\0" + secret.encode()).hexdigest()


def csrf_ok(secret: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(secret), sent or "")
