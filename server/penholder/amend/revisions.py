"""Revisions: the zero draft, Rev.1, Rev.2 ... frozen texts with each paragraph's
standing (agreed ad ref, pending, bracketed) and the amendments applied since the last.

The zero draft (0) is the text as the draft was created: the prior resolution and the
Secretariat's rollover, the leading updates of the log. It is stored the first time a
revision is cut, so the first revision cut is Rev.1. A paragraph's standing carries
forward from one revision to the next unless it is set anew."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.amend.lifecycle import NotFound
from penholder.amend.operations import AmendmentError, labels
from penholder.compare import compare
from penholder.model import Resolution
from penholder.store.log import log_data_upto
from penholder.store.tables import Amendment, Draft, Revision, RevisionParagraph, Update, User
from penholder.store.replay import apply_all
from penholder.sync.schema import read

STANDINGS = ("agreed ad ref", "pending", "bracketed")
CREATION = ("seed", "technical")  # origins of the updates that make a new draft


def label(number: int) -> str:
    return "zero draft" if number == 0 else f"Rev.{number}"


def zero_seq(db: Session, draft_id: int) -> int:
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


def _ids(state: bytes) -> list[str]:
    doc = Doc()
    doc.apply_update(state)
    return [p.id for p in read(doc).paragraphs()]


def _check(standings: dict[str, str], ids: list[str]) -> None:
    unknown = set(standings) - set(ids)
    if unknown:
        raise AmendmentError(f"no paragraph {sorted(unknown)[0]!r} in this draft")
    for pid, s in standings.items():
        if s not in STANDINGS:
            raise AmendmentError(f"unknown standing {s!r} for {pid} (one of {', '.join(STANDINGS)})")


def _store(db: Session, draft_id: int, number: int, user_id: int, seq: int, state: bytes,
           standings: dict[str, str]) -> Revision:
    rev = Revision(draft_id=draft_id, number=number, created_by=user_id, upto_seq=seq, state=state)
    db.add(rev)
    db.flush()
    db.add_all(RevisionParagraph(revision_id=rev.id, paragraph_id=pid, status=standings.get(pid, "pending"))
               for pid in _ids(state))
    return rev


def cut(engine: Engine, draft_id: int, user_id: int, state: bytes, upto_seq: int,
        standings: dict[str, str] | None) -> int:
    """Freeze `state` as the next revision; the zero draft is stored first if it is not yet."""
    standings = standings or {}
    _check(standings, _ids(state))
    with Session(engine) as db, db.begin():
        last = db.scalars(select(Revision).where(Revision.draft_id == draft_id)
                          .order_by(Revision.number.desc()).limit(1)).first()
        if last is None:
            draft = db.get(Draft, draft_id)
            if draft is None:
                raise NotFound(f"no draft {draft_id}")
            seq0 = zero_seq(db, draft_id)
            last = _store(db, draft_id, 0, draft.created_by, seq0, _state_at(db, draft_id, seq0), {})
            last.created_at = draft.created_at  # the zero draft dates from the draft's creation
        carried = dict(db.execute(select(RevisionParagraph.paragraph_id, RevisionParagraph.status)
                                  .where(RevisionParagraph.revision_id == last.id)).all())
        number = last.number + 1
        _store(db, draft_id, number, user_id, upto_seq, state, carried | standings)
        return number


def set_standing(engine: Engine, draft_id: int, number: int, paragraph_id: str, standing: str) -> None:
    if standing not in STANDINGS:
        raise AmendmentError(f"unknown standing {standing!r} (one of {', '.join(STANDINGS)})")
    with Session(engine) as db, db.begin():
        rev = db.scalars(select(Revision).where(Revision.draft_id == draft_id, Revision.number == number)).first()
        if rev is None:
            raise NotFound(f"no revision {number} of draft {draft_id}")
        row = db.scalars(select(RevisionParagraph).where(RevisionParagraph.revision_id == rev.id,
                                                         RevisionParagraph.paragraph_id == paragraph_id)).first()
        if row is None:
            raise AmendmentError(f"no paragraph {paragraph_id!r} in {label(number)}")
        row.status = standing


def _resolution(state: bytes) -> Resolution:
    doc = Doc()
    doc.apply_update(state)
    return read(doc)


def changed_between(old: Resolution, new: Resolution, old_standing: dict[str, str],
                    new_standing: dict[str, str]) -> dict[str, Any]:
    """What a revision changed from the one before: paragraphs by their labels in the new
    text (a deleted one by its old label), and standings set anew."""
    out: dict[str, Any] = {"changed": [], "added": [], "deleted": [], "moved": []}
    for p in compare(old, new).paragraphs:
        if p.status == "same":
            continue
        key = {"changed": "changed", "added": "added", "deleted": "deleted", "moved": "moved"}[p.status]
        out[key].append(p.new_label if p.new is not None else p.old_label)
    lab = labels(new)
    out["standing"] = [{"paragraph_id": pid, "label": lab.get(pid), "before": old_standing.get(pid),
                        "after": s} for pid, s in new_standing.items()
                       if pid in old_standing and old_standing[pid] != s]
    return out


def listing(engine: Engine, draft_id: int, with_text: int | None = None) -> list[dict[str, Any]]:
    with Session(engine) as db:
        revs = db.scalars(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.number)).all()
        out = []
        previous: tuple[int, Resolution, dict[str, str]] | None = None
        for rev in revs:
            after = previous[0] if previous else 0
            applied = db.scalars(select(Amendment.number).where(
                Amendment.draft_id == draft_id, Amendment.applied_seq > after,
                Amendment.applied_seq <= rev.upto_seq).order_by(Amendment.number)).all()
            standings = dict(db.execute(select(RevisionParagraph.paragraph_id, RevisionParagraph.status)
                                        .where(RevisionParagraph.revision_id == rev.id)).all())
            res = _resolution(rev.state)
            item: dict[str, Any] = {
                "number": rev.number, "label": label(rev.number), "created_at": rev.created_at.isoformat(),
                "created_by": db.scalar(select(User.name).where(User.id == rev.created_by)),
                "upto_seq": rev.upto_seq, "amendments_applied": list(applied), "standing": standings,
                "labels": labels(res),
                "changes": changed_between(previous[1], res, previous[2], standings) if previous else None}
            if with_text == rev.number:
                item["text"] = res.to_json()
            out.append(item)
            previous = (rev.upto_seq, res, standings)
        return out


def zero_draft(engine: Engine, draft_id: int) -> dict[str, Any] | None:
    """The zero draft as a revision before any is cut (then it is not stored yet)."""
    with Session(engine) as db:
        draft = db.get(Draft, draft_id)
        if draft is None:
            return None
        seq = zero_seq(db, draft_id)
        res = _resolution(_state_at(db, draft_id, seq))
        return {"number": 0, "label": label(0), "created_at": draft.created_at.isoformat(),
                "created_by": db.scalar(select(User.name).where(User.id == draft.created_by)),
                "upto_seq": seq, "amendments_applied": [], "standing": {p.id: "pending" for p in res.paragraphs()},
                "labels": labels(res), "changes": None, "text": res.to_json()}


def state_of(engine: Engine, draft_id: int, number: int) -> bytes:
    with Session(engine) as db:
        state = db.scalar(select(Revision.state).where(Revision.draft_id == draft_id, Revision.number == number))
        if state is None and number == 0 and db.get(Draft, draft_id) is not None:
            return _state_at(db, draft_id, zero_seq(db, draft_id))  # not stored until Rev.1 is cut
    if state is None:
        raise NotFound(f"no revision {number} of draft {draft_id}")
    return state
