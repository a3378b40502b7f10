"""A principal from its account row: the account with its relations to drafts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from penholder.auth.principal import Principal
from penholder.auth.roles import Kind
from penholder.store.tables import Draft, DraftFacilitator, DraftSponsor, User


def load_principal(db: Session, user: User, *, draft_id: int | None = None, via: str = "token") -> Principal:
    sponsors: frozenset[int] = frozenset()
    if user.delegation_id is not None:
        sponsors = frozenset(db.scalars(select(DraftSponsor.draft_id).where(
            DraftSponsor.delegation_id == user.delegation_id, DraftSponsor.kind == "main",
            DraftSponsor.left_at.is_(None))))
    facilitates = frozenset(db.scalars(select(DraftFacilitator.draft_id).where(DraftFacilitator.user_id == user.id)))
    kind = Kind(user.kind)
    open_drafts: frozenset[int] = frozenset()
    if kind is Kind.OBSERVER:
        open_drafts = frozenset(db.scalars(select(Draft.id).where(Draft.observers_propose.is_(True))))
    return Principal(
        user_id=user.id,
        name=user.name,
        delegation=user.delegation.name if user.delegation else None,
        kind=kind,
        delegation_id=user.delegation_id,
        draft_id=draft_id,
        main_sponsor_of=sponsors,
        facilitator_of=facilitates,
        observers_propose=open_drafts,
        focal_point=user.focal_point,
        via=via,
    )
