"""Sponsors of the draft resolution: main sponsors, co-sponsors, and the additional
co-sponsors who join after the draft is tabled (has its L. symbol), listed apart."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from penholder.amend.lifecycle import NotFound, WrongState
from penholder.amend.operations import AmendmentError
from penholder.auth import Principal
from penholder.store.tables import Delegation, Draft, DraftSponsor, utcnow

KINDS = ("main", "cosponsor", "additional")


def listing(engine: Engine, draft_id: int) -> dict[str, list[dict[str, Any]]]:
    with Session(engine) as db:
        rows = db.execute(select(DraftSponsor, Delegation.name).join(Delegation, Delegation.id == DraftSponsor.delegation_id)
                          .where(DraftSponsor.draft_id == draft_id, DraftSponsor.left_at.is_(None))
                          .order_by(DraftSponsor.joined_at, DraftSponsor.id)).all()
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for s, name in rows:
        out[s.kind].append({"delegation": name, "joined_at": s.joined_at.isoformat()})
    return out


def names_in_order(engine: Engine, draft_id: int) -> list[str]:
    """The sponsors line: main sponsors, then co-sponsors, in the order they joined."""
    s = listing(engine, draft_id)
    return [x["delegation"] for x in s["main"] + s["cosponsor"]]


def _named(db: Session, name: str) -> Delegation | None:
    """The delegation of exactly that name, without regard to case or extra spaces (no
    pattern matching: '%' is a character like any other)."""
    return db.scalars(select(Delegation).where(func.lower(Delegation.name) == name.lower())).first()


def clean_name(delegation: str | None, who: Principal) -> str:
    name = " ".join((delegation or who.delegation or "").split())
    if not name:
        raise AmendmentError("name the delegation")
    if len(name) > 200:
        raise AmendmentError("a delegation's name is at most 200 characters")
    return name


def join(engine: Engine, draft_id: int, who: Principal, delegation: str | None, kind: str) -> str:
    """Add a sponsor; returns the kind recorded. The caller has authorized the principal
    (web.review: a delegation joins under its own name, the Secretariat may record any;
    main sponsors are set by a penholder or the Secretariat)."""
    if kind not in KINDS:
        raise AmendmentError(f"kind must be one of {', '.join(KINDS)}")
    name = clean_name(delegation, who)
    with Session(engine) as db, db.begin():
        draft = db.get(Draft, draft_id)
        if draft is None:
            raise NotFound(f"no draft {draft_id}")
        d = _named(db, name)
        if d is None:
            d = Delegation(name=name)
            db.add(d)
            db.flush()
        if db.scalars(select(DraftSponsor).where(DraftSponsor.draft_id == draft_id, DraftSponsor.delegation_id == d.id,
                                                 DraftSponsor.left_at.is_(None))).first():
            raise WrongState(f"{d.name} already sponsors this draft")
        if kind == "cosponsor" and draft.symbol:
            kind = "additional"  # after tabling, the Secretariat lists them apart
        db.add(DraftSponsor(draft_id=draft_id, delegation_id=d.id, kind=kind))
    return kind


def leave(engine: Engine, draft_id: int, who: Principal, delegation: str | None) -> None:
    """The caller has authorized the principal, as for join."""
    name = clean_name(delegation, who)
    with Session(engine) as db, db.begin():
        if db.get(Draft, draft_id) is None:
            raise NotFound(f"no draft {draft_id}")
        d = _named(db, name)
        row = None if d is None else db.scalars(select(DraftSponsor).where(
            DraftSponsor.draft_id == draft_id, DraftSponsor.delegation_id == d.id,
            DraftSponsor.left_at.is_(None))).first()
        if row is None:
            raise WrongState(f"{name} does not sponsor this draft")
        row.left_at = utcnow()
