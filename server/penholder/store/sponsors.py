"""Sponsors of a draft resolution (main, co-sponsor, additional) as stored: who joined
when, who left. Delegations are found by name without regard to case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from penholder.store.errors import Conflict, Missing
from penholder.store.tables import Delegation, Draft, DraftSponsor, utcnow


def current(engine: Engine, draft_id: int) -> list[tuple[str, str, datetime]]:
    """(kind, delegation, joined at) of the draft's sponsors now, in the order they joined."""
    with Session(engine) as db:
        rows = db.execute(select(DraftSponsor, Delegation.name).join(Delegation, Delegation.id == DraftSponsor.delegation_id)
                          .where(DraftSponsor.draft_id == draft_id, DraftSponsor.left_at.is_(None))
                          .order_by(DraftSponsor.joined_at, DraftSponsor.id)).all()
        return [(s.kind, name, s.joined_at) for s, name in rows]


def _named(db: Session, name: str) -> Delegation | None:
    """The delegation of exactly that name, without regard to case (no pattern
    matching: '%' is a character like any other)."""
    return db.scalars(select(Delegation).where(func.lower(Delegation.name) == name.lower())).first()


def _sponsoring(db: Session, draft_id: int, delegation_id: int) -> DraftSponsor | None:
    return db.scalars(select(DraftSponsor).where(DraftSponsor.draft_id == draft_id,
                                                 DraftSponsor.delegation_id == delegation_id,
                                                 DraftSponsor.left_at.is_(None))).first()


def join(engine: Engine, draft_id: int, name: str, kind: str) -> str:
    """Add the delegation (created if no delegation has that name) as a sponsor; a
    co-sponsor of a tabled draft (one with a symbol) is recorded as additional. Return
    the kind recorded. Missing: no draft; Conflict: it sponsors the draft already."""
    with Session(engine) as db, db.begin():
        draft = db.get(Draft, draft_id)
        if draft is None:
            raise Missing(f"no draft {draft_id}")
        d = _named(db, name)
        if d is None:
            d = Delegation(name=name)
            db.add(d)
            db.flush()
        if _sponsoring(db, draft_id, d.id):
            raise Conflict(f"{d.name} already sponsors this draft")
        if kind == "cosponsor" and draft.symbol:
            kind = "additional"  # after tabling, the Secretariat lists them apart
        db.add(DraftSponsor(draft_id=draft_id, delegation_id=d.id, kind=kind))
    return kind


def leave(engine: Engine, draft_id: int, name: str) -> None:
    """Missing: no draft; Conflict: the delegation does not sponsor it."""
    with Session(engine) as db, db.begin():
        if db.get(Draft, draft_id) is None:
            raise Missing(f"no draft {draft_id}")
        d = _named(db, name)
        row = None if d is None else _sponsoring(db, draft_id, d.id)
        if row is None:
            raise Conflict(f"{name} does not sponsor this draft")
        row.left_at = utcnow()


def add_main(db: Session, draft_id: int, delegation_id: int) -> None:
    """Make the delegation a main sponsor of the draft, unless it is one already; in the
    caller's transaction."""
    held = db.scalars(select(DraftSponsor.id).where(
        DraftSponsor.draft_id == draft_id, DraftSponsor.delegation_id == delegation_id,
        DraftSponsor.kind == "main", DraftSponsor.left_at.is_(None))).first()
    if held is None:
        db.add(DraftSponsor(draft_id=draft_id, delegation_id=delegation_id, kind="main"))
        db.flush()


def hold_pen(engine: Engine, draft_id: int, delegation_id: int) -> None:
    """add_main in a transaction of its own: a delegation that starts a draft holds its pen."""
    with Session(engine) as db, db.begin():
        add_main(db, draft_id, delegation_id)
