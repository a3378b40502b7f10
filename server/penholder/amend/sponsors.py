"""Sponsors of the draft resolution: main sponsors, co-sponsors, and the additional
co-sponsors who join after the draft is tabled (has its L. symbol), listed apart."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.amend.lifecycle import NotAllowed, WrongState
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


def join(engine: Engine, draft_id: int, who: Principal, delegation: str | None, kind: str) -> str:
    """Add a sponsor; returns the kind recorded. A delegation joins under its own name;
    the Secretariat may record any delegation. Main sponsors are set by a penholder (for
    its own delegation) or the Secretariat."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    staff = who.role.value == "secretariat"
    name = delegation or who.delegation
    if name is None:
        raise ValueError("name the delegation")
    if not staff and name.casefold() != (who.delegation or "").casefold():
        raise NotAllowed(f"a delegation acts only under its own name: you are {who.delegation}")
    if not staff and not who.can("propose", draft_id):
        raise NotAllowed(f"a {who.role.value} may not sponsor a draft")
    if kind == "main" and not (staff or who.role.value == "penholder"):
        raise NotAllowed("main sponsors are recorded by the penholder or the Secretariat")
    with Session(engine) as db, db.begin():
        draft = db.get(Draft, draft_id)
        if draft is None:
            raise LookupError(f"no draft {draft_id}")
        d = db.scalars(select(Delegation).where(Delegation.name.ilike(name))).first()
        if d is None:
            d = Delegation(name=name.strip())
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
    staff = who.role.value == "secretariat"
    name = delegation or who.delegation or ""
    if not staff and name.casefold() != (who.delegation or "").casefold():
        raise NotAllowed(f"a delegation acts only under its own name: you are {who.delegation}")
    with Session(engine) as db, db.begin():
        row = db.scalars(select(DraftSponsor).join(Delegation, Delegation.id == DraftSponsor.delegation_id).where(
            DraftSponsor.draft_id == draft_id, Delegation.name.ilike(name), DraftSponsor.left_at.is_(None))).first()
        if row is None:
            raise WrongState(f"{name} does not sponsor this draft")
        row.left_at = utcnow()
