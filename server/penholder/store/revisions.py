"""Revisions (the zero draft, Rev.1, Rev.2 ... frozen texts) and each paragraph's
standing in them, as the store holds them. What a revision changed is amend/'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pycrdt import Doc
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from penholder.store.errors import Conflict, Missing
from penholder.store.log import log_data_upto
from penholder.store.replay import apply_all
from penholder.store.tables import Amendment, Draft, Revision, RevisionParagraph, Update, User

CREATION = ("seed", "technical")  # origins of the updates that make a new draft


@dataclass(frozen=True)
class RevisionRow:
    number: int
    created_at: datetime
    created_by: str | None
    upto_seq: int
    state: bytes
    standing: dict[str, str]        # paragraph id -> standing
    amendments_applied: list[int]   # numbers of those applied since the revision before


def _zero_seq(db: Session, draft_id: int) -> int:
    """The last seq of the leading run of creation updates (the prior text, the rollover)."""
    seq = 0
    for s, origin in db.execute(select(Update.seq, Update.origin).where(Update.draft_id == draft_id)
                                .order_by(Update.seq).limit(50)):
        if not (origin or "").startswith(CREATION):
            break
        seq = s
    return seq


def _state_at(db: Session, draft_id: int, seq: int) -> bytes:
    doc = Doc()
    apply_all(doc, log_data_upto(db, draft_id, seq))
    return doc.get_update()


def _store(db: Session, draft_id: int, number: int, user_id: int, seq: int, state: bytes,
           standings: dict[str, str], ids: list[str]) -> Revision:
    rev = Revision(draft_id=draft_id, number=number, created_by=user_id, upto_seq=seq, state=state)
    db.add(rev)
    db.flush()
    db.add_all(RevisionParagraph(revision_id=rev.id, paragraph_id=pid, status=standings.get(pid, "pending"))
               for pid in ids)
    return rev


def cut(engine: Engine, draft_id: int, user_id: int, state: bytes, upto_seq: int, standings: dict[str, str],
        paragraph_ids: Callable[[bytes], list[str]]) -> int:
    """Freeze `state` as the next revision, the standings of the one before carried
    forward unless set anew; the zero draft is stored first if it is not yet. Return
    its number. `paragraph_ids(state)`: the paragraphs a state holds. Missing: no draft;
    Conflict: another cut took the number first."""
    try:
        return _cut(engine, draft_id, user_id, state, upto_seq, standings, paragraph_ids)
    except IntegrityError:  # the same number, taken by a cut that committed first
        raise Conflict("another revision was cut meanwhile; reload and cut again") from None


def _cut(engine: Engine, draft_id: int, user_id: int, state: bytes, upto_seq: int, standings: dict[str, str],
         paragraph_ids: Callable[[bytes], list[str]]) -> int:
    with Session(engine) as db, db.begin():
        last = db.scalars(select(Revision).where(Revision.draft_id == draft_id)
                          .order_by(Revision.number.desc()).limit(1)).first()
        if last is None:
            draft = db.get(Draft, draft_id)
            if draft is None:
                raise Missing(f"no draft {draft_id}")
            seq0 = _zero_seq(db, draft_id)
            zero = _state_at(db, draft_id, seq0)
            last = _store(db, draft_id, 0, draft.created_by, seq0, zero, {}, paragraph_ids(zero))
            last.created_at = draft.created_at  # the zero draft dates from the draft's creation
        carried = dict(db.execute(select(RevisionParagraph.paragraph_id, RevisionParagraph.status)
                                  .where(RevisionParagraph.revision_id == last.id)).all())
        number = last.number + 1
        _store(db, draft_id, number, user_id, upto_seq, state, carried | standings, paragraph_ids(state))
        return number


def set_standing(engine: Engine, draft_id: int, number: int, paragraph_id: str, standing: str) -> bool:
    """Set a paragraph's standing in a revision; False if the revision has no such
    paragraph. Missing: no such revision."""
    with Session(engine) as db, db.begin():
        rev = db.scalars(select(Revision).where(Revision.draft_id == draft_id, Revision.number == number)).first()
        if rev is None:
            raise Missing(f"no revision {number} of draft {draft_id}")
        row = db.scalars(select(RevisionParagraph).where(RevisionParagraph.revision_id == rev.id,
                                                         RevisionParagraph.paragraph_id == paragraph_id)).first()
        if row is None:
            return False
        row.status = standing
        return True


def of_draft(engine: Engine, draft_id: int) -> list[RevisionRow]:
    """The draft's stored revisions in order, each with the amendments applied since the
    one before."""
    with Session(engine) as db:
        revs = db.scalars(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.number)).all()
        out = []
        after = 0
        for rev in revs:
            applied = db.scalars(select(Amendment.number).where(
                Amendment.draft_id == draft_id, Amendment.applied_seq > after,
                Amendment.applied_seq <= rev.upto_seq).order_by(Amendment.number)).all()
            standings = dict(db.execute(select(RevisionParagraph.paragraph_id, RevisionParagraph.status)
                                        .where(RevisionParagraph.revision_id == rev.id)).all())
            out.append(RevisionRow(rev.number, rev.created_at,
                                   db.scalar(select(User.name).where(User.id == rev.created_by)),
                                   rev.upto_seq, rev.state, standings, list(applied)))
            after = rev.upto_seq
        return out


def zero(engine: Engine, draft_id: int) -> RevisionRow | None:
    """The zero draft as the log has it (before Rev.1 is cut it is not stored), without
    standings; None: no such draft."""
    with Session(engine) as db:
        draft = db.get(Draft, draft_id)
        if draft is None:
            return None
        seq = _zero_seq(db, draft_id)
        return RevisionRow(0, draft.created_at, db.scalar(select(User.name).where(User.id == draft.created_by)),
                           seq, _state_at(db, draft_id, seq), {}, [])


def state(engine: Engine, draft_id: int, number: int) -> bytes | None:
    """A revision's encoded state (the zero draft's from the log until it is stored);
    None: no such revision."""
    with Session(engine) as db:
        found = db.scalar(select(Revision.state).where(Revision.draft_id == draft_id, Revision.number == number))
        if found is None and number == 0 and db.get(Draft, draft_id) is not None:
            return _state_at(db, draft_id, _zero_seq(db, draft_id))
        return found


def stored(engine: Engine, draft_id: int, number: int | None) -> tuple[int, bytes] | None:
    """Revision `number` as stored (the latest stored when None) as its number and encoded
    state; None: no such revision stored."""
    with Session(engine) as db:
        q = select(Revision.number, Revision.state).where(Revision.draft_id == draft_id)
        q = q.where(Revision.number == number) if number is not None else q.order_by(Revision.number.desc())
        row = db.execute(q.limit(1)).first()
        return None if row is None else (row.number, row.state)


def frozen(engine: Engine, draft_id: int, number: int) -> tuple[bytes, int] | None:
    """A revision's encoded state and the seq it was cut at; None: no such revision."""
    with Session(engine) as db:
        rev = db.scalars(select(Revision).where(Revision.draft_id == draft_id, Revision.number == number)).first()
        return None if rev is None else (rev.state, rev.upto_seq)


def unstored_zero_seq(engine: Engine, draft_id: int) -> int | None:
    """The seq the zero draft stands at while it is not stored (before Rev.1 is cut);
    None once it is."""
    with Session(engine) as db:
        if db.scalar(select(Revision.id).where(Revision.draft_id == draft_id, Revision.number == 0)):
            return None
        return _zero_seq(db, draft_id)
