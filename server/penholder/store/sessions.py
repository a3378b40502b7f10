"""Browser sessions as stored (the SHA-256 of the cookie's secret, when it expires,
whether it was revoked): starting one, the account a live one stands for, ending them."""

from __future__ import annotations

import hmac

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from penholder.store.accounts import Account, Holder, account, holder
from penholder.store.credentials import NewSession, add_session
from penholder.store.errors import Missing
from penholder.store.tables import User, WebSession, utcnow


def _live(db: Session, token_hash: str) -> WebSession | None:
    row = db.scalars(select(WebSession).where(WebSession.token_hash == token_hash)).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row if hmac.compare_digest(row.token_hash, token_hash) else None


def end_all_of(db: Session, user_id: int) -> int:
    """In the caller's transaction: revoke the user's live sessions; how many there were."""
    result = db.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None),
                                                 WebSession.expires_at > utcnow()).values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def start(engine: Engine, user_id: int, new: NewSession, *, password_hash: str | None = None) -> Account:
    """A new session of the account, storing its new password hash with it if given (a
    stronger hash of the password it signed in with); the account. Missing: no account."""
    with Session(engine) as db, db.begin():
        u = db.get(User, user_id)
        if u is None:
            raise Missing(f"no user {user_id}")
        if password_hash is not None:
            u.password_hash = password_hash
        add_session(db, user_id, new)
        return account(u)


def holder_of(engine: Engine, token_hash: str) -> Holder | None:
    """The account a live session stands for; None if unknown, expired or revoked."""
    with Session(engine) as db:
        row = _live(db, token_hash)
        return None if row is None else holder(db, row.user_id)


def end(engine: Engine, token_hash: str) -> bool:
    """Revoke a live session; False if there was none."""
    with Session(engine) as db, db.begin():
        row = _live(db, token_hash)
        if row is None:
            return False
        row.revoked_at = utcnow()
        return True


def end_all(engine: Engine, user_id: int) -> int:
    """Sign a user out everywhere; how many sessions were live."""
    with Session(engine) as db, db.begin():
        return end_all_of(db, user_id)
