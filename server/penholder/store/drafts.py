"""Drafts: the resolutions being negotiated, one live Y document each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from penholder.store.tables import Draft


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
