"""Display names by id, for the store modules that answer with names rather than ids."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from penholder.store.tables import Delegation, User


def delegation_names(db: Session) -> dict[int, str]:
    return dict(db.execute(select(Delegation.id, Delegation.name)).all())  # type: ignore[arg-type]


def user_names(db: Session) -> dict[int, str]:
    return dict(db.execute(select(User.id, User.name)).all())  # type: ignore[arg-type]
