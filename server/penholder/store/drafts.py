"""Drafts: the resolutions being negotiated, one live Y document each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.store.tables import Draft, User
from penholder.store.updates import append_update

SECRETARIAT_USER = "Secretariat (technical services)"
SECRETARIAT_KIND = "secretariat"  # auth.roles.Kind.SECRETARIAT


def create_draft(
    db: Session,
    *,
    title: str,
    session: int,
    created_by: int,
    symbol: str | None = None,
    committee: str | None = None,
    agenda_item: str | None = None,
    agenda_title: str | None = None,
    base_symbol: str | None = None,
) -> Draft:
    """Add a draft with an empty update log. `base_symbol` names the prior resolution it was
    rolled over from (A/RES/79/53); `symbol` stays None until one is issued."""
    if not title.strip():
        raise ValueError("a draft needs a title")
    draft = Draft(
        title=title.strip(),
        session=session,
        created_by=created_by,
        symbol=symbol,
        committee=committee,
        agenda_item=agenda_item,
        agenda_title=agenda_title,
        base_symbol=base_symbol,
    )
    db.add(draft)
    db.flush()  # assigns the id
    return draft


def get_draft(db: Session, draft_id: int) -> Draft | None:
    return db.get(Draft, draft_id)


def list_drafts(db: Session) -> list[Draft]:
    """Every draft, newest first."""
    return list(db.scalars(select(Draft).order_by(Draft.id.desc())))


def owner(engine: Engine, draft_id: int) -> int | None:
    """The user who created the draft (server changes to it are stored under them); None:
    no such draft."""
    with Session(engine) as db:
        return db.scalar(select(Draft.created_by).where(Draft.id == draft_id))


@dataclass(frozen=True)
class DraftInfo:
    id: int
    title: str
    session: int
    symbol: str | None
    committee: str | None
    agenda_item: str | None
    agenda_title: str | None
    base_symbol: str | None
    created_by: int
    created_at: datetime


def _info(d: Draft) -> DraftInfo:
    return DraftInfo(d.id, d.title, d.session, d.symbol, d.committee, d.agenda_item, d.agenda_title,
                     d.base_symbol, d.created_by, d.created_at)


def info(engine: Engine, draft_id: int) -> DraftInfo | None:
    """The draft's record as a plain value; None: no such draft."""
    with Session(engine) as db:
        d = db.get(Draft, draft_id)
        return None if d is None else _info(d)


def every(engine: Engine) -> list[DraftInfo]:
    """Every draft, newest first."""
    with Session(engine) as db:
        return [_info(d) for d in list_drafts(db)]


def secretariat_user(db: Session) -> User:
    """The account the Secretariat's technical changes are stored under (made the first
    time it is needed)."""
    user = db.scalars(select(User).where(User.name == SECRETARIAT_USER)).first()
    if user is None:
        user = User(name=SECRETARIAT_USER, kind=SECRETARIAT_KIND, delegation_id=None)
        db.add(user)
        db.flush()
    return user


def secretariat_user_id(engine: Engine) -> int:
    with Session(engine) as db, db.begin():
        return secretariat_user(db).id


def create_logged(engine: Engine, updates: list[tuple[bytes, str]], *, title: str, session: int,
                  created_by: int, symbol: str | None, committee: str | None, agenda_item: str | None,
                  agenda_title: str | None, base_symbol: str | None) -> DraftInfo:
    """A new draft whose log starts with these updates (each with its origin), stored
    under the Secretariat's account, in one transaction."""
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db)
        draft = create_draft(db, title=title, session=session, created_by=created_by, symbol=symbol,
                             committee=committee, agenda_item=agenda_item, agenda_title=agenda_title,
                             base_symbol=base_symbol)
        for update, origin in updates:
            append_update(db, draft.id, update, user_id=staff.id, origin=origin)
        return _info(draft)


def set_symbol(engine: Engine, draft_id: int, symbol: str) -> bool:
    """The symbol the draft is issued under; False: no such draft."""
    with Session(engine) as db, db.begin():
        draft = db.get(Draft, draft_id)
        if draft is None:
            return False
        draft.symbol = symbol
        return True


def set_observers_propose(engine: Engine, draft_id: int, value: bool) -> bool:
    """Whether observers may propose amendments to the draft; False: no such draft."""
    with Session(engine) as db, db.begin():
        draft = db.get(Draft, draft_id)
        if draft is None:
            return False
        draft.observers_propose = value
        return True
