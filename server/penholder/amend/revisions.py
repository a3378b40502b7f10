"""Revisions: the zero draft, Rev.1, Rev.2 ... frozen texts with each paragraph's
standing (agreed ad ref, pending, bracketed) and the amendments applied since the last."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from penholder.amend.operations import AmendmentError
from penholder.store.tables import Amendment, Revision, RevisionParagraph, User
from penholder.sync.schema import read

STANDINGS = ("agreed ad ref", "pending", "bracketed")


def label(number: int) -> str:
    return "zero draft" if number == 0 else f"Rev.{number}"


def cut(engine: Engine, draft_id: int, user_id: int, state: bytes, upto_seq: int,
        standings: dict[str, str] | None) -> int:
    doc = Doc()
    doc.apply_update(state)
    ids = [p.id for p in read(doc).paragraphs()]
    standings = standings or {}
    unknown = set(standings) - set(ids)
    if unknown:
        raise AmendmentError(f"no paragraph {sorted(unknown)[0]!r} in this draft")
    for pid, s in standings.items():
        if s not in STANDINGS:
            raise AmendmentError(f"unknown standing {s!r} for {pid} (one of {', '.join(STANDINGS)})")
    with Session(engine) as db, db.begin():
        number = (db.scalar(select(func.max(Revision.number)).where(Revision.draft_id == draft_id)))
        number = 0 if number is None else number + 1
        rev = Revision(draft_id=draft_id, number=number, created_by=user_id, upto_seq=upto_seq, state=state)
        db.add(rev)
        db.flush()
        db.add_all(RevisionParagraph(revision_id=rev.id, paragraph_id=pid, status=standings.get(pid, "pending"))
                   for pid in ids)
        return number


def set_standing(engine: Engine, draft_id: int, number: int, paragraph_id: str, standing: str) -> None:
    if standing not in STANDINGS:
        raise AmendmentError(f"unknown standing {standing!r} (one of {', '.join(STANDINGS)})")
    with Session(engine) as db, db.begin():
        rev = db.scalars(select(Revision).where(Revision.draft_id == draft_id, Revision.number == number)).first()
        if rev is None:
            raise LookupError(f"no revision {number} of draft {draft_id}")
        row = db.scalars(select(RevisionParagraph).where(RevisionParagraph.revision_id == rev.id,
                                                         RevisionParagraph.paragraph_id == paragraph_id)).first()
        if row is None:
            raise AmendmentError(f"no paragraph {paragraph_id!r} in {label(number)}")
        row.status = standing


def listing(engine: Engine, draft_id: int, with_text: int | None = None) -> list[dict[str, Any]]:
    with Session(engine) as db:
        revs = db.scalars(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.number)).all()
        out = []
        previous = 0
        for rev in revs:
            applied = db.scalars(select(Amendment.number).where(
                Amendment.draft_id == draft_id, Amendment.applied_seq > previous,
                Amendment.applied_seq <= rev.upto_seq).order_by(Amendment.number)).all()
            standings = dict(db.execute(select(RevisionParagraph.paragraph_id, RevisionParagraph.status)
                                        .where(RevisionParagraph.revision_id == rev.id)).all())
            item: dict[str, Any] = {
                "number": rev.number, "label": label(rev.number), "created_at": rev.created_at.isoformat(),
                "created_by": db.scalar(select(User.name).where(User.id == rev.created_by)),
                "upto_seq": rev.upto_seq, "amendments_applied": list(applied), "standing": standings}
            if with_text == rev.number:
                doc = Doc()
                doc.apply_update(rev.state)
                item["text"] = read(doc).to_json()
            out.append(item)
            previous = rev.upto_seq
        return out


def state_of(engine: Engine, draft_id: int, number: int) -> bytes:
    with Session(engine) as db:
        state = db.scalar(select(Revision.state).where(Revision.draft_id == draft_id, Revision.number == number))
    if state is None:
        raise LookupError(f"no revision {number} of draft {draft_id}")
    return state
