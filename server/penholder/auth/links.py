"""One-time links: an invitation (or `penholder user add`'s sign-in link) and a password
reset, which sign the person in once, before they expire, and ask for a password; and a
demo account's sign-in link (`penholder serve --demo`), which only signs in."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from penholder.auth.tokens import hash_token
from penholder.store.tables import OneTimeLink, User, utcnow

INVITE = "invite"
RESET = "reset"
SIGNIN = "signin"  # demo accounts only: no password to choose
LIFETIME = {INVITE: timedelta(days=7), RESET: timedelta(hours=1), SIGNIN: timedelta(days=1)}
NEEDS_PASSWORD = frozenset({INVITE, RESET})


def issue_link(db: Session, user: User, purpose: str, created_by: int | None = None) -> str:
    """A new link secret; earlier unused links of the same purpose for the user stop working.
    The caller commits."""
    db.execute(update(OneTimeLink).where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose,
                                         OneTimeLink.used_at.is_(None)).values(used_at=utcnow()))
    secret = secrets.token_urlsafe(32)
    db.add(OneTimeLink(token_hash=hash_token(secret), purpose=purpose, user_id=user.id, created_by=created_by,
                       expires_at=utcnow() + LIFETIME[purpose]))
    db.flush()
    return secret


RESETS_PER_HOUR = 3  # reset mails per account and hour: nobody floods an inbox through the form


def recent_resets(db: Session, user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return len(db.scalars(select(OneTimeLink.id).where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == RESET,
                                                       OneTimeLink.created_at > since)).all())


def link_url(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/signin.html#link={secret}"


def _live(db: Session, secret: str) -> OneTimeLink | None:
    if not isinstance(secret, str) or not secret or len(secret) > 200:
        return None
    row = db.scalars(select(OneTimeLink).where(OneTimeLink.token_hash == hash_token(secret))).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def purpose_of(db: Session, secret: str) -> str | None:
    """What a live link is for, without using it; None if it is not live."""
    row = _live(db, secret)
    return None if row is None else row.purpose


def redeem(db: Session, secret: str) -> tuple[User, str] | None:
    """The link's user and purpose, marking it used; None if unknown, used or expired.
    The caller commits (only then is the link spent)."""
    row = _live(db, secret)
    if row is None:
        return None
    row.used_at = utcnow()
    user = db.get(User, row.user_id)
    return None if user is None else (user, row.purpose)
