"""One-time links: an invitation (or `penholder user add`'s sign-in link) and a password
reset, which sign the person in once, before they expire, and ask for a password; and a
demo account's sign-in link (`penholder serve --demo`), which only signs in."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from penholder.auth.sessions import new_session
from penholder.auth.signin import find_account
from penholder.auth.tokens import hash_token
from penholder.store import Engine
from penholder.store import links as stored
from penholder.store.accounts import Account
from penholder.store.credentials import NewLink

INVITE = "invite"
RESET = "reset"
SIGNIN = "signin"  # demo accounts only: no password to choose
LIFETIME = {INVITE: timedelta(days=7), RESET: timedelta(hours=1), SIGNIN: timedelta(days=1)}
NEEDS_PASSWORD = frozenset({INVITE, RESET})
RESETS_PER_HOUR = 3  # reset mails per account and hour: nobody floods an inbox through the form


def new_link(purpose: str, created_by: int | None = None) -> tuple[str, NewLink]:
    """A new link's secret (for the address, returned once) and what is stored of it."""
    secret = secrets.token_urlsafe(32)
    return secret, NewLink(hash_token(secret), purpose, datetime.now(UTC) + LIFETIME[purpose], created_by)


def issue_link(engine: Engine, user_id: int, purpose: str, created_by: int | None = None) -> str:
    """A new link secret; earlier unused links of the same purpose for the user stop working."""
    secret, link = new_link(purpose, created_by)
    stored.issue(engine, user_id, link)
    return secret


def link_url(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/signin.html#link={secret}"


def _hash(secret: object) -> str | None:
    if not isinstance(secret, str) or not secret or len(secret) > 200:
        return None
    return hash_token(secret)


def purpose_of(engine: Engine, secret: str) -> str | None:
    """What a live link is for, without using it; None if it is not live."""
    digest = _hash(secret)
    return None if digest is None else stored.purpose_of(engine, digest)


def redeem(engine: Engine, secret: str, password_hash: str | None = None) -> tuple[Account, str] | None:
    """Use the link and sign its account in: the account and the session's secret (for the
    cookie); None if the link is unknown, used or expired. With a password hash, the
    password is set and the account's other sessions end, in the same transaction."""
    digest = _hash(secret)
    if digest is None:
        return None
    session, new = new_session()
    found = stored.redeem(engine, digest, new, password_hash)
    return None if found is None else (found[0], session)


def reset_link(engine: Engine, login: str, base_url: str) -> tuple[Account, str] | None:
    """A password reset link for the account a login names, and the account; None if no
    account has that login or it was sent RESETS_PER_HOUR links in the last hour."""
    user = find_account(engine, login)
    if user is None or stored.issued_since(engine, user.id, RESET,
                                           datetime.now(UTC) - timedelta(hours=1)) >= RESETS_PER_HOUR:
        return None
    return user, link_url(base_url, issue_link(engine, user.id, RESET))

