"""API tokens as stored (`TokenRow`: never the secret, only its SHA-256): issuing,
listing the live ones, revoking, and the account a live token opens."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.store.accounts import Holder, holder
from penholder.store.credentials import NewToken, add_token
from penholder.store.errors import Missing
from penholder.store.tables import Draft, Token, User, utcnow


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str | None
    user_id: int
    draft_id: int | None
    created_at: datetime
    expires_at: datetime | None


def _row(t: Token) -> TokenRow:
    return TokenRow(t.id, t.name, t.user_id, t.draft_id, t.created_at, t.expires_at)


def _live(db: Session, token_hash: str) -> Token | None:
    # Looked up by hash, so the database compares digests of the attacker's guess, which
    # leak nothing about stored tokens through timing; compare_digest guards the final check.
    row = db.scalars(select(Token).where(Token.token_hash == token_hash)).first()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.token_hash, token_hash):
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return row


def holder_of(engine: Engine, token_hash: str) -> tuple[Holder, int | None] | None:
    """The account a live token opens, with the one draft it is limited to (None: any);
    None if the token is unknown, expired or revoked."""
    with Session(engine) as db:
        row = _live(db, token_hash)
        if row is None:
            return None
        who = holder(db, row.user_id)
        return None if who is None else (who, row.draft_id)


def issue(engine: Engine, user_id: int, new: NewToken) -> TokenRow:
    """Missing: no such account, or no such draft to limit it to."""
    with Session(engine) as db, db.begin():
        if db.get(User, user_id) is None:
            raise Missing(f"no user {user_id}")
        if new.draft_id is not None and db.get(Draft, new.draft_id) is None:
            raise Missing(f"no draft {new.draft_id}")
        return _row(add_token(db, user_id, new))


def live(engine: Engine, user_id: int | None = None) -> list[TokenRow]:
    """Tokens still usable (not revoked, not expired), newest first; of one user if given."""
    now = utcnow()
    with Session(engine) as db:
        q = select(Token).where(Token.revoked_at.is_(None)).order_by(Token.id.desc())
        if user_id is not None:
            q = q.where(Token.user_id == user_id)
        return [_row(t) for t in db.scalars(q) if t.expires_at is None or t.expires_at > now]


def revoke_id(engine: Engine, token_id: int, user_id: int | None = None) -> bool:
    """Revoke a token by its id (of that user only, if given); False if none was live."""
    with Session(engine) as db, db.begin():
        row = db.get(Token, token_id)
        if row is None or row.revoked_at is not None or (user_id is not None and row.user_id != user_id):
            return False
        row.revoked_at = utcnow()
        return True


def revoke_hash(engine: Engine, token_hash: str) -> bool:
    """Revoke a live token; False if it was unknown, expired or revoked already."""
    with Session(engine) as db, db.begin():
        row = _live(db, token_hash)
        if row is None:
            return False
        row.revoked_at = utcnow()
        return True
