"""Reading the update log: for loading a room (the newest snapshot and what follows),
for history and authorship (who wrote each update, from a snapshot at or before a seq).
Every read of the log goes through here; store/replay.py applies what it returns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from penholder.store.logwriter import binder
from penholder.store.tables import Delegation, Draft, Snapshot, Update, User


def _same(value: Any) -> Any:
    return value


class LogEntry(NamedTuple):  # a tuple: 10,000 frozen dataclasses took 80 ms to make
    seq: int
    stamp: Any  # created_at as the driver returns it: a tracked export needs few as datetimes
    data: bytes
    user: str
    role: str
    delegation: str | None
    origin: str | None
    to_datetime: Callable[[Any], datetime] = _same

    @property
    def at(self) -> datetime:
        """When the update was stored (the column's own conversion: SQLite's text parsed,
        UTC attached); 10,000 of them took 250 ms, most of a log read."""
        return self.to_datetime(self.stamp)


def log_data_upto(db: Session, draft_id: int, seq: int) -> list[bytes]:
    """What it takes to rebuild the document as of `seq`: the newest snapshot at or before
    it, then the updates after the snapshot up to seq."""
    snap = db.scalars(
        select(Snapshot).where(Snapshot.draft_id == draft_id, Snapshot.upto_seq <= seq)
        .order_by(Snapshot.upto_seq.desc()).limit(1)).first()
    start = snap.upto_seq if snap else 0
    rows = db.scalars(select(Update.data).where(
        Update.draft_id == draft_id, Update.seq > start, Update.seq <= seq).order_by(Update.seq)).all()
    return ([snap.state] if snap else []) + list(rows)


_LOG_AFTER = (select(Update.__table__.c.seq, Update.__table__.c.data)
              .where(Update.__table__.c.draft_id == bindparam("draft_id"), Update.__table__.c.seq > bindparam("seq"))
              .order_by(Update.__table__.c.seq))


def log_after(engine: Engine, draft_id: int, seq: int) -> list[tuple[int, bytes]]:
    """(seq, update) after `seq`, in order: what a room load replays. Run on the driver's
    own cursor: for 50,000 rows SQLAlchemy's result layer took 80 ms, the cursor 43."""
    compiled = _LOG_AFTER.compile(dialect=engine.dialect)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(str(compiled), binder(compiled)({"draft_id": draft_id, "seq": seq}))
        rows = cur.fetchall()
        cur.close()
    finally:
        raw.close()
    return [(s, bytes(d)) for s, d in rows]


def log_for_load(engine: Engine, draft_id: int) -> tuple[list[bytes], int, int]:
    """What loading a room applies: the newest snapshot's state, then the updates after
    it; with the last seq included and the snapshot's seq. KeyError: no such draft."""
    with Session(engine) as db:
        if db.get(Draft, draft_id) is None:
            raise KeyError(f"no draft {draft_id}")
        snap = db.scalars(select(Snapshot).where(Snapshot.draft_id == draft_id)
                          .order_by(Snapshot.upto_seq.desc(), Snapshot.id.desc()).limit(1)).first()
        base, seq = (snap.state, snap.upto_seq) if snap else (None, 0)
    rows = log_after(engine, draft_id, seq)
    return ([base] if base else []) + [data for _, data in rows], rows[-1][0] if rows else seq, seq


def data_upto(engine: Engine, draft_id: int, seq: int) -> list[bytes]:
    """log_data_upto in a session of its own."""
    with Session(engine) as db:
        return log_data_upto(db, draft_id, seq)


_u, _users, _d = Update.__table__, User.__table__, Delegation.__table__.alias()
_AUTHORED = (select(_u.c.seq, _u.c.created_at, _u.c.data, _users.c.name, _users.c.kind, _d.c.name, _u.c.origin)
             .select_from(_u.join(_users, _users.c.id == _u.c.user_id)
                          .outerjoin(_d, _d.c.id == _u.c.delegation_id))
             .where(_u.c.draft_id == bindparam("draft_id"), _u.c.seq > bindparam("after"))
             .order_by(_u.c.seq).limit(bindparam("limit")))


def _authored(engine: Engine, draft_id: int, after: int, limit: int) -> list[LogEntry]:
    """At most `limit` updates after seq `after`, oldest first, with their authors. On
    the driver's own cursor: for the 10,000 updates of a tracked export SQLAlchemy's ORM
    rows took 375 ms, the cursor 25 (time stamps go through the column's own result
    processor, as through the ORM, when read)."""
    compiled = _AUTHORED.compile(dialect=engine.dialect)
    at = _u.c.created_at.type.dialect_impl(engine.dialect).result_processor(engine.dialect, None) or _same
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # SQLite's LIMIT comes with an OFFSET parameter of the compiler's own (0)
        values = {**compiled.params, "draft_id": draft_id, "after": after, "limit": limit}
        cur.execute(str(compiled), binder(compiled)(values))
        rows = cur.fetchall()
        cur.close()
    finally:
        raw.close()
    return [LogEntry(seq, when, bytes(data), user, role, delegation, origin, at)
            for seq, when, data, user, role, delegation, origin in rows]


ALL = 10_000_000  # a limit no draft's log reaches


def entries_after(engine: Engine, draft_id: int, after_seq: int,
                  limit: int = ALL) -> tuple[list[bytes], list[LogEntry]]:
    """What rebuilds the document as of `after_seq` (nothing if 0), and the updates
    after it (at most `limit`) with their authors. The log is only appended to, so the
    two reads need no common transaction: what follows `after_seq` is read second."""
    base = data_upto(engine, draft_id, after_seq) if after_seq else []
    return base, _authored(engine, draft_id, after_seq, limit)


def seq_at(engine: Engine, draft_id: int, at: datetime) -> int:
    """The text as it stood at `at`: every update before the first one made after it."""
    with Session(engine) as db:
        first_after = db.scalar(select(func.min(Update.seq)).where(Update.draft_id == draft_id,
                                                                   Update.created_at > at))
        if first_after is not None:
            return first_after - 1
        return db.scalar(select(func.max(Update.seq)).where(Update.draft_id == draft_id)) or 0


def entries(engine: Engine, draft_id: int, after: int, limit: int) -> list[LogEntry]:
    return _authored(engine, draft_id, after, limit)
