"""The documents issued for a draft (tables.DraftIssue): when the Secretariat tables
a draft under an L symbol, or issues a revision of it (L.12/Rev.1), the date of issue is
fixed once, with the log seq its text stops at.

The masthead and the Akoma Ntoso identifiers carry that date, so an L document keeps its
date and its identity however often and whenever it is exported; a Rev. is tracked
against the issued L document's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.store.tables import DraftIssue


@dataclass(frozen=True)
class Issue:
    symbol: str
    issued_on: date
    upto_seq: int


def record(engine: Engine, draft_id: int, symbol: str, upto_seq: int, user_id: int,
           today: date | None = None) -> Issue:
    """The issue of `symbol` (the first one, if it was issued before: tabling twice
    under one symbol does not change its date)."""
    with Session(engine) as db, db.begin():
        row = db.scalars(select(DraftIssue).where(DraftIssue.draft_id == draft_id,
                                                  DraftIssue.symbol == symbol)).first()
        if row is None:
            row = DraftIssue(draft_id=draft_id, symbol=symbol, upto_seq=upto_seq, created_by=user_id,
                             issued_on=today or datetime.now(UTC).date())
            db.add(row)
        return Issue(row.symbol, row.issued_on, row.upto_seq)


def issues(engine: Engine, draft_id: int) -> list[Issue]:
    """Every document issued for the draft, oldest first."""
    with Session(engine) as db:
        rows = db.scalars(select(DraftIssue).where(DraftIssue.draft_id == draft_id)
                          .order_by(DraftIssue.upto_seq, DraftIssue.id)).all()
        return [Issue(r.symbol, r.issued_on, r.upto_seq) for r in rows]


def issue_of(engine: Engine, draft_id: int, symbol: str | None) -> Issue | None:
    """The issue of the symbol the draft now carries, if it was issued."""
    return next((i for i in issues(engine, draft_id) if i.symbol == symbol), None)


def issued_before(engine: Engine, draft_id: int, symbol: str | None) -> Issue | None:
    """The document a revised draft revises: the latest issued before `symbol`."""
    found = issues(engine, draft_id)
    here = next((k for k, i in enumerate(found) if i.symbol == symbol), len(found))
    return found[here - 1] if here > 0 else None
