"""New credentials as stored: an API token, a one-time link, a browser session, each as
the SHA-256 of its secret (never the secret, which auth/ makes and hands out once),
written in the caller's transaction so that they are made with what they come with (an
account, a password)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from penholder.store.tables import OneTimeLink, Token, WebSession, utcnow


@dataclass(frozen=True)
class NewToken:
    token_hash: str
    draft_id: int | None = None  # opens this draft only
    name: str | None = None
    expires_at: datetime | None = None  # None: until revoked


@dataclass(frozen=True)
class NewLink:
    token_hash: str
    purpose: str  # auth.links.INVITE, RESET, SIGNIN
    expires_at: datetime
    created_by: int | None = None


@dataclass(frozen=True)
class NewSession:
    token_hash: str
    expires_at: datetime


def add_token(db: Session, user_id: int, t: NewToken) -> Token:
    row = Token(user_id=user_id, token_hash=t.token_hash, draft_id=t.draft_id, name=t.name, expires_at=t.expires_at)
    db.add(row)
    db.flush()
    return row


def add_link(db: Session, user_id: int, link: NewLink) -> None:
    """The link; the user's earlier unused links of the same purpose stop working."""
    db.execute(update(OneTimeLink).where(OneTimeLink.user_id == user_id, OneTimeLink.purpose == link.purpose,
                                         OneTimeLink.used_at.is_(None)).values(used_at=utcnow()))
    db.add(OneTimeLink(token_hash=link.token_hash, purpose=link.purpose, user_id=user_id,
                       created_by=link.created_by, expires_at=link.expires_at))
    db.flush()


def add_session(db: Session, user_id: int, s: NewSession) -> None:
    db.add(WebSession(user_id=user_id, token_hash=s.token_hash, expires_at=s.expires_at))
    db.flush()
