"""Appending to the update log: the statements of updates.append_update (bump the
draft's counter, insert), for several updates at once, compiled once for the engine's
dialect and run on a DBAPI connection the writer keeps.

Only the writer's thread (store/writer.py) uses it, so one connection is enough. Through
SQLAlchemy's execution layer a one-update commit took about 650 us on SQLite; on the
driver's own cursor about 90 us back to back, and half the rest was checking a
connection out of the pool and resetting it on return, which the kept connection saves.

On SQLite the kept connection does not checkpoint the write-ahead log at SQLite's
default threshold (the commit that crosses 1,000 pages): a checkpoint copies the log
into the database file and syncs both to disk, and on this connection it would hold up
every update queued behind that commit, which nobody sees before it is committed. The
writer runs `checkpoint` on a thread of its own instead (store/writer.py). That
checkpoint lets SQLite start the log over only once it has caught up with the writer,
so under a load without a pause the log may grow; at SQLITE_BACKSTOP pages this
connection checkpoints after all, a rare wait rather than a log without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update
from sqlalchemy.sql.compiler import Compiled

from penholder.store.tables import Draft, Update, utcnow

_drafts = Draft.__table__
_updates = Update.__table__

Item = tuple[bytes, int, int | None, str | None]  # data, user_id, delegation_id, origin
SQLITE_AUTOCHECKPOINT = 1000  # SQLite's default, given back with the connection
SQLITE_BACKSTOP = 10_000  # pages of write-ahead log (~40 MB) at which the writer's commit checkpoints


class LogWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        dialect = engine.dialect
        bump = (update(_drafts).where(_drafts.c.id == bindparam("draft_id"))
                .values(last_seq=_drafts.c.last_seq + bindparam("n"))
                .returning(_drafts.c.last_seq)).compile(dialect=dialect)
        insert_ = insert(_updates).values(
            draft_id=bindparam("draft_id"), seq=bindparam("seq"), data=bindparam("data"),
            user_id=bindparam("user_id"), delegation_id=bindparam("delegation_id"),
            origin=bindparam("origin"), created_at=bindparam("created_at")).compile(dialect=dialect)
        self._bump_sql, self._bump_params = str(bump), binder(bump)
        self._insert_sql, self._insert_params = str(insert_), binder(insert_)
        self._time = _updates.c.created_at.type.bind_processor(dialect) or (lambda v: v)
        self.sqlite = dialect.name == "sqlite"
        self._raw: Any = None  # the pool's wrapper of the kept connection
        self._cursor: Any = None

    def _connect(self) -> Any:
        if self._raw is None:
            self._raw = self.engine.raw_connection()
            self._cursor = self._raw.dbapi_connection.cursor()
            if self.sqlite:
                self._cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_BACKSTOP}")
        return self._cursor

    def append(self, draft_id: int, items: list[Item], at: datetime | None = None) -> list[int]:
        """Store the updates at the draft's next seqs, in one transaction; commit. `at`:
        when they were received, if not now."""
        cur = self._connect()
        raw = self._raw.dbapi_connection
        try:
            cur.execute(self._bump_sql, self._bump_params({"draft_id": draft_id, "n": len(items)}))
            row = cur.fetchone()
            if row is None:
                raise LookupError(f"no draft {draft_id}")
            first = row[0] - len(items) + 1
            now = self._time(at or utcnow())
            rows = [self._insert_params({
                "draft_id": draft_id, "seq": first + i, "data": data, "user_id": user_id,
                "delegation_id": delegation_id, "origin": origin, "created_at": now})
                for i, (data, user_id, delegation_id, origin) in enumerate(items)]
            if len(rows) == 1:
                cur.execute(self._insert_sql, rows[0])
            else:
                cur.executemany(self._insert_sql, rows)
            raw.commit()
            return list(range(first, first + len(items)))
        except BaseException:
            try:
                raw.rollback()
            except Exception:  # the connection itself failed: the next append opens another
                self._raw.invalidate()
                self._raw = self._cursor = None
            raise

    def close(self) -> None:
        """Give the kept connection back to the pool."""
        if self._raw is not None:
            if self.sqlite:
                self._cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT}")
            self._cursor.close()
            self._raw.close()
            self._raw = self._cursor = None


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database file, on a connection of its
    own (PASSIVE: the writer goes on appending meanwhile). Blocking: run it on a thread."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def binder(compiled: Compiled) -> Callable[[dict[str, Any]], Any]:
    """Named values to the parameters the driver expects: a list in the statement's
    order for positional paramstyles (SQLite's ?), else the dict itself."""
    positions = compiled.positiontup  # type: ignore[attr-defined]
    if not positions:
        return lambda values: values
    return lambda values: [values[k] for k in positions]
