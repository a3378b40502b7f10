"""Amendment rows and their JSON: sponsors, co-sponsors, events, standing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from penholder.amend.operations import Proposal, Stale, current_state, describe, labels
from penholder.model import Resolution
from penholder.store.tables import (
    Amendment,
    AmendmentEvent,
    Cosponsor,
    Delegation,
    Revision,
    User,
)


def proposal_of(a: Amendment) -> Proposal:
    return Proposal(a.operation, a.paragraph_id, a.position, a.kind, a.target_text, a.new_text,
                    a.context, a.paragraph_digest)


def delegation_names(db: Session) -> dict[int, str]:
    return dict(db.execute(select(Delegation.id, Delegation.name)).all())  # type: ignore[arg-type]


def next_number(db: Session, draft_id: int) -> int:
    return (db.scalar(select(func.max(Amendment.number)).where(Amendment.draft_id == draft_id)) or 0) + 1


def cosponsors(db: Session, amendment_id: int, names: dict[int, str]) -> list[dict[str, Any]]:
    rows = db.scalars(select(Cosponsor).where(Cosponsor.amendment_id == amendment_id).order_by(Cosponsor.id))
    return [{"delegation": names[c.delegation_id], "joined_at": c.joined_at.isoformat(),
             "left_at": c.left_at.isoformat() if c.left_at else None} for c in rows]


def events(db: Session, amendment_id: int, names: dict[int, str]) -> list[dict[str, Any]]:
    rows = db.execute(select(AmendmentEvent, User.name).join(User, User.id == AmendmentEvent.user_id)
                      .where(AmendmentEvent.amendment_id == amendment_id).order_by(AmendmentEvent.id)).all()
    return [{"action": e.action, "at": e.at.isoformat(), "by": user,
             "delegation": names.get(e.delegation_id) if e.delegation_id else None, "note": e.note}
            for e, user in rows]


def to_json(db: Session, a: Amendment, res: Resolution | None, names: dict[int, str] | None = None) -> dict[str, Any]:
    names = names or delegation_names(db)
    p = proposal_of(a)
    out: dict[str, Any] = {
        "id": a.id, "number": a.number, "draft_id": a.draft_id,
        "sponsor": names[a.sponsor_id],
        "cosponsors": [c for c in cosponsors(db, a.id, names) if c["left_at"] is None],
        "filed_by": db.scalar(select(User.name).where(User.id == a.filed_by)),
        "filed_at": a.created_at.isoformat(), "status": a.status,
        "operation": a.operation, "paragraph_id": a.paragraph_id, "position": a.position, "kind": a.kind,
        "target_text": a.target_text, "new_text": a.new_text, "context": a.context, "rationale": a.rationale,
        "revision_id": a.revision_id, "against_seq": a.against_seq, "applied_seq": a.applied_seq,
        # the revision it was made on: 0, the zero draft, when none was cut yet
        "revision": db.scalar(select(Revision.number).where(Revision.id == a.revision_id)) if a.revision_id else 0,
        "superseded_by": a.superseded_by,
        "summary": describe(p, res),
        "paragraph": labels(res).get(a.paragraph_id or "") if res else None,
        "stale": None, "current_text": None,
        "sponsorship": cosponsors(db, a.id, names),
        "events": events(db, a.id, names),
    }
    if res is not None and a.status == "proposed":
        try:
            current_state(p, res)
            out["stale"] = False
        except Stale as exc:
            out["stale"], out["current_text"] = True, exc.current_text
            out["stale_reason"] = exc.reason
    return out
