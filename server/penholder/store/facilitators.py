"""The facilitators appointed to a draft."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.store.accounts import Account, account
from penholder.store.errors import Conflict, Missing
from penholder.store.tables import Draft, DraftFacilitator, User


def _draft_and_user(db: Session, draft_id: int, user_id: int) -> User:
    if db.get(Draft, draft_id) is None:
        raise Missing(f"no draft {draft_id}")
    u = db.get(User, user_id)
    if u is None:
        raise Missing(f"no user {user_id}")
    return u


def _appointment(db: Session, draft_id: int, user_id: int) -> DraftFacilitator | None:
    return db.scalars(select(DraftFacilitator).where(DraftFacilitator.draft_id == draft_id,
                                                     DraftFacilitator.user_id == user_id)).first()


def of_draft(engine: Engine, draft_id: int) -> list[Account]:
    """The draft's facilitators by name. Missing: no such draft."""
    with Session(engine) as db:
        if db.get(Draft, draft_id) is None:
            raise Missing(f"no draft {draft_id}")
        rows = db.scalars(select(User).join(DraftFacilitator, DraftFacilitator.user_id == User.id)
                          .where(DraftFacilitator.draft_id == draft_id).order_by(User.name))
        return [account(u) for u in rows]


def appoint(engine: Engine, draft_id: int, user_id: int, by: int | None,
            check: Callable[[Account], None]) -> tuple[Account, bool]:
    """Appoint the account facilitator of the draft, unless it is one already; the
    account, and whether it was appointed now. `check(account)` raises to refuse.
    Missing: no such draft or account."""
    with Session(engine) as db, db.begin():
        u = _draft_and_user(db, draft_id, user_id)
        if _appointment(db, draft_id, user_id) is not None:
            return account(u), False
        check(account(u))
        db.add(DraftFacilitator(draft_id=draft_id, user_id=user_id, appointed_by=by))
        return account(u), True


def dismiss(engine: Engine, draft_id: int, user_id: int) -> None:
    """Missing: no such draft or account; Conflict: it is not a facilitator of the draft."""
    with Session(engine) as db, db.begin():
        u = _draft_and_user(db, draft_id, user_id)
        found = _appointment(db, draft_id, user_id)
        if found is None:
            raise Conflict(f"{u.name} is not a facilitator of draft {draft_id}")
        db.delete(found)
