"""Amendment records: filing, co-sponsoring, claiming a decision and recording it, and
reading them back as plain values (`AmendmentRow`) with names in place of ids. What an
amendment means for the text (its summary, whether it is stale) is amend/'s."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from penholder.store.errors import Missing
from penholder.store.names import delegation_names
from penholder.store.tables import Amendment, AmendmentEvent, Cosponsor, Revision, User, utcnow

# A proposal's fields as stored, in this order (amend.operations.Proposal's).
PROPOSAL_FIELDS = ("operation", "paragraph_id", "position", "kind", "target_text", "new_text", "context",
                   "paragraph_digest")


@dataclass(frozen=True)
class AmendmentRow:
    id: int
    number: int
    draft_id: int
    sponsor_id: int
    sponsor: str
    filed_by_id: int
    filed_by: str | None
    created_at: datetime
    status: str
    proposal: tuple[Any, ...]  # PROPOSAL_FIELDS' values
    rationale: str | None
    revision_id: int | None
    revision: int  # its number; 0, the zero draft, when none was cut yet
    against_seq: int | None
    applied_seq: int | None
    superseded_by: int | None
    sponsorship: list[dict[str, Any]]  # every co-sponsorship, joined and left
    events: list[dict[str, Any]]

    def field(self, name: str) -> Any:
        return self.proposal[PROPOSAL_FIELDS.index(name)]


CHUNK = 500  # amendments read together: one query each for their co-sponsors and events


def _rows(db: Session, amendments: Sequence[Amendment], names: dict[int, str]) -> list[AmendmentRow]:
    """Amendments as AmendmentRows: their co-sponsorships, events, filers and revision
    numbers read for all of them at once (a few queries per CHUNK, not three per
    amendment: a draft's list of hundreds of amendments was a thousand queries)."""
    out: list[AmendmentRow] = []
    for start in range(0, len(amendments), CHUNK):
        chunk = amendments[start:start + CHUNK]
        ids = [a.id for a in chunk]
        sponsorship: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for c in db.scalars(select(Cosponsor).where(Cosponsor.amendment_id.in_(ids)).order_by(Cosponsor.id)):
            sponsorship[c.amendment_id].append({"delegation": names[c.delegation_id],
                                                "joined_at": c.joined_at.isoformat(),
                                                "left_at": c.left_at.isoformat() if c.left_at else None})
        events: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for e, user in db.execute(select(AmendmentEvent, User.name).join(User, User.id == AmendmentEvent.user_id)
                                  .where(AmendmentEvent.amendment_id.in_(ids)).order_by(AmendmentEvent.id)):
            events[e.amendment_id].append({"action": e.action, "at": e.at.isoformat(), "by": user,
                                           "delegation": names.get(e.delegation_id) if e.delegation_id else None,
                                           "note": e.note})
        filers = dict(db.execute(select(User.id, User.name).where(
            User.id.in_({a.filed_by for a in chunk}))).all())
        revision_ids = {a.revision_id for a in chunk if a.revision_id}
        numbers = dict(db.execute(select(Revision.id, Revision.number).where(
            Revision.id.in_(revision_ids))).all()) if revision_ids else {}
        out += [AmendmentRow(
            a.id, a.number, a.draft_id, a.sponsor_id, names[a.sponsor_id], a.filed_by, filers.get(a.filed_by),
            a.created_at, a.status, tuple(getattr(a, f) for f in PROPOSAL_FIELDS), a.rationale, a.revision_id,
            numbers.get(a.revision_id) if a.revision_id else 0, a.against_seq, a.applied_seq, a.superseded_by,
            sponsorship[a.id], events[a.id]) for a in chunk]
    return out


def _row(db: Session, a: Amendment, names: dict[int, str]) -> AmendmentRow:
    return _rows(db, [a], names)[0]


def _get(db: Session, amendment_id: int) -> Amendment:
    a = db.get(Amendment, amendment_id)
    if a is None:
        raise Missing(f"no amendment {amendment_id}")
    return a


def get(engine: Engine, amendment_id: int) -> AmendmentRow:
    with Session(engine) as db:
        return _row(db, _get(db, amendment_id), delegation_names(db))


def get_many(engine: Engine, ids: Sequence[int]) -> list[AmendmentRow]:
    with Session(engine) as db:
        names = delegation_names(db)
        return _rows(db, [_get(db, i) for i in ids], names)


def of_draft(engine: Engine, draft_id: int, status: str | None = None, paragraph: str | None = None,
             revision: int | None = None) -> list[AmendmentRow]:
    """A draft's amendments in number order: with that status, on (or inserted after)
    that paragraph, made on that revision (0: before any was cut)."""
    with Session(engine) as db:
        names = delegation_names(db)
        q = select(Amendment).where(Amendment.draft_id == draft_id).order_by(Amendment.number)
        if status:
            q = q.where(Amendment.status == status)
        if paragraph:
            q = q.where((Amendment.paragraph_id == paragraph) | (Amendment.position == f"after:{paragraph}"))
        if revision is not None:
            on = Revision.number == revision
            if revision == 0:  # made before any revision was cut: on the zero draft
                on = on | Amendment.revision_id.is_(None)
            q = q.outerjoin(Revision, Revision.id == Amendment.revision_id).where(on)
        return _rows(db, db.scalars(q).all(), names)


def draft_and_sponsor(engine: Engine, amendment_id: int) -> tuple[int, int]:
    with Session(engine) as db:
        a = _get(db, amendment_id)
        return a.draft_id, a.sponsor_id


def file(engine: Engine, draft_id: int, sponsor_id: int, user_id: int,
         proposals: Sequence[tuple[tuple[Any, ...], str]], against_seq: int,
         since: datetime, allow: Callable[[int], None]) -> list[int]:
    """Store proposals (PROPOSAL_FIELDS' values, rationale) under the next numbers, on
    the newest revision, each with its `proposed` event, in one transaction; return
    their ids. `allow(recent)` is told how many the delegation filed since `since`
    first, and raises to refuse them all."""
    with Session(engine) as db, db.begin():
        allow(db.scalar(select(func.count()).select_from(Amendment).where(
            Amendment.sponsor_id == sponsor_id, Amendment.created_at > since)) or 0)
        revision = db.scalar(select(Revision.id).where(Revision.draft_id == draft_id)
                             .order_by(Revision.number.desc()).limit(1))
        number = (db.scalar(select(func.max(Amendment.number)).where(Amendment.draft_id == draft_id)) or 0) + 1
        rows = []
        for offset, (fields, rationale) in enumerate(proposals):
            a = Amendment(draft_id=draft_id, number=number + offset, sponsor_id=sponsor_id, filed_by=user_id,
                          rationale=rationale, revision_id=revision, against_seq=against_seq, status="proposed",
                          **dict(zip(PROPOSAL_FIELDS, fields, strict=True)))
            db.add(a)
            rows.append((a, rationale))
        db.flush()
        db.add_all(AmendmentEvent(amendment_id=a.id, user_id=user_id, delegation_id=sponsor_id,
                                  action="proposed", note=rationale or None) for a, rationale in rows)
        return [a.id for a, _ in rows]


def cosponsor(engine: Engine, amendment_id: int, delegation_id: int | None, user_id: int, join: bool,
              check: Callable[[AmendmentRow, bool], None]) -> None:
    """Join (or leave) an amendment's co-sponsors, with its event. `check(row,
    already)` raises to refuse, told whether the delegation co-sponsors it now."""
    with Session(engine) as db, db.begin():
        a = _get(db, amendment_id)
        current = db.scalars(select(Cosponsor).where(
            Cosponsor.amendment_id == a.id, Cosponsor.delegation_id == delegation_id,
            Cosponsor.left_at.is_(None))).first()
        check(_row(db, a, delegation_names(db)), current is not None)
        if join:
            db.add(Cosponsor(amendment_id=a.id, delegation_id=delegation_id))
        else:
            assert current is not None
            current.left_at = utcnow()
        db.add(AmendmentEvent(amendment_id=a.id, user_id=user_id, delegation_id=delegation_id,
                              action="cosponsored" if join else "left"))


def claim(engine: Engine, amendment_id: int, expected: str, target: str) -> bool:
    """Move the amendment from status `expected` to `target`; False if it was not in
    `expected` (decided meanwhile, perhaps by another process)."""
    with Session(engine) as db, db.begin():
        done = db.execute(update(Amendment).where(Amendment.id == amendment_id, Amendment.status == expected)
                          .values(status=target)).rowcount
        return done == 1


def record(engine: Engine, amendment_id: int, user_id: int, delegation_id: int | None, action: str,
           note: str | None, applied_seq: int | None = None, superseded_by: int | None = None) -> None:
    """An event of the amendment (`accepted`, ...), with the seq its change was stored
    under or the amendment that supersedes it."""
    with Session(engine) as db, db.begin():
        a = _get(db, amendment_id)
        if applied_seq is not None:
            a.applied_seq = applied_seq
        if superseded_by is not None:
            a.superseded_by = superseded_by
        db.add(AmendmentEvent(amendment_id=a.id, user_id=user_id, delegation_id=delegation_id,
                              action=action, note=note))


def pending(engine: Engine, draft_id: int) -> list[tuple[int, str, datetime, tuple[Any, ...]]]:
    """The draft's pending amendments in number order, as (number, sponsor, filed at,
    PROPOSAL_FIELDS' values): what applying them all needs, without their history."""
    with Session(engine) as db:
        names = delegation_names(db)
        rows = db.scalars(select(Amendment).where(Amendment.draft_id == draft_id, Amendment.status == "proposed")
                          .order_by(Amendment.number)).all()
        return [(a.number, names[a.sponsor_id], a.created_at, tuple(getattr(a, f) for f in PROPOSAL_FIELDS))
                for a in rows]
