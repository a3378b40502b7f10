"""One-time links as stored (the SHA-256 of the secret, its purpose, when it expires,
whether it was used): issuing one, what a live one is for, redeeming it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from penholder.store.accounts import Account, account
from penholder.store.credentials import NewLink, NewSession, add_link, add_session
from penholder.store.errors import Missing
from penholder.store.sessions import end_all_of
from penholder.store.tables import OneTimeLink, User, utcnow


def _live(db: Session, token_hash: str) -> OneTimeLink | None:
    row = db.scalars(select(OneTimeLink).where(OneTimeLink.token_hash == token_hash)).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def issue(engine: Engine, user_id: int, link: NewLink) -> None:
    """The link; the user's earlier unused links of the same purpose stop working.
    Missing: no such account."""
    with Session(engine) as db, db.begin():
        if db.get(User, user_id) is None:
            raise Missing(f"no user {user_id}")
        add_link(db, user_id, link)


def issued_since(engine: Engine, user_id: int, purpose: str, since: datetime) -> int:
    """How many links of that purpose the user was given since then."""
    with Session(engine) as db:
        return db.scalar(select(func.count()).select_from(OneTimeLink).where(
            OneTimeLink.user_id == user_id, OneTimeLink.purpose == purpose, OneTimeLink.created_at > since)) or 0


def purpose_of(engine: Engine, token_hash: str) -> str | None:
    """What a live link is for, without using it; None if it is not live."""
    with Session(engine) as db:
        row = _live(db, token_hash)
        return None if row is None else row.purpose


def redeem(engine: Engine, token_hash: str, session: NewSession,
           password_hash: str | None = None) -> tuple[Account, str] | None:
    """Use a live link and start a session of its account, in one transaction (the link
    is spent only with the session made): with a password hash, store it and end the
    account's other sessions (a reset signs out whoever knew the old password). The
    account and the link's purpose; None if the link is unknown, used or expired."""
    with Session(engine) as db, db.begin():
        row = _live(db, token_hash)
        if row is None:
            return None
        u = db.get(User, row.user_id)
        if u is None:
            return None
        row.used_at = utcnow()
        if password_hash is not None:
            u.password_hash = password_hash
            end_all_of(db, u.id)
        add_session(db, u.id, session)
        return account(u), row.purpose
