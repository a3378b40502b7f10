"""The update journal: what a single-process server on SQLite has promised to keep but not
yet committed to the update log.

Every update must be durable before any client sees it. A SQLite commit in the write-
ahead log costs 130-200 us at the pace of real typing (caches cold; measured on this
project's 2-core machine), and it sat on the path of every keystroke's broadcast. An
append to this file is one write(2), about 20 us at that pace, and it survives exactly
what a commit with synchronous=NORMAL survives: a killed process, not a power cut
(docs/store.md). So the room journals an update, broadcasts it, and commits it to SQL
right after, in the same turn of the event loop; the journal is emptied whenever
everything in it is committed, and `recover` commits what a killed server left in it.

One file per SQLite database (`<database>-updates`), held with an exclusive lock: a
second server on the same file finds it taken and commits before broadcasting instead.

Records: length (4 bytes), CRC-32 of the body (4), body. A record cut short by a crash,
or one that fails its checksum, ends the journal: that write never returned, so its
update was never broadcast.
"""

from __future__ import annotations

import fcntl
import logging
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session

from penholder.store.logwriter import LogWriter
from penholder.store.tables import Update

log = logging.getLogger(__name__)

_FRAME = struct.Struct("<II")          # body length, crc32(body)
_HEAD = struct.Struct("<qqqqdH")       # draft, seq, user, delegation (-1: none), time, len(origin)


@dataclass(frozen=True)
class Entry:
    draft_id: int
    seq: int                 # the seq it was announced under (the log may assign another)
    data: bytes
    user_id: int
    delegation_id: int | None
    origin: str | None
    at: datetime


class JournalBusy(OSError):
    """Another process holds the journal of this database."""


def journal_path(engine: Engine) -> Path | None:
    """Where the journal of a SQLite database lives; None for other databases and for
    SQLite in memory (nothing survives its process anyway)."""
    url = make_url(engine.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:") \
            or url.database.startswith("file:"):
        return None
    return Path(url.database + "-updates").resolve()


def encode(entry: Entry) -> bytes:
    origin = (entry.origin or "").encode()
    body = _HEAD.pack(entry.draft_id, entry.seq, entry.user_id,
                      -1 if entry.delegation_id is None else entry.delegation_id,
                      entry.at.timestamp(), len(origin)) + origin + entry.data
    return _FRAME.pack(len(body), zlib.crc32(body)) + body


def decode_all(raw: bytes) -> list[Entry]:
    """The whole records at the start of raw, up to the first torn or damaged one."""
    out, i = [], 0
    while i + _FRAME.size <= len(raw):
        size, crc = _FRAME.unpack_from(raw, i)
        body = raw[i + _FRAME.size:i + _FRAME.size + size]
        if len(body) < size or size < _HEAD.size or zlib.crc32(body) != crc:
            break
        draft_id, seq, user_id, delegation_id, at, n = _HEAD.unpack_from(body)
        origin = body[_HEAD.size:_HEAD.size + n].decode()
        out.append(Entry(draft_id, seq, body[_HEAD.size + n:], user_id,
                         None if delegation_id < 0 else delegation_id, origin or None,
                         datetime.fromtimestamp(at, UTC)))
        i += _FRAME.size + size
    return out


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise JournalBusy(f"{path} is held by another penholder process") from None
        self._size = os.fstat(self._fd).st_size

    def append(self, entry: Entry) -> None:
        """Durable against a killed process when this returns (in the OS's cache)."""
        record = encode(entry)
        try:
            if os.write(self._fd, record) != len(record):  # a full disk writes short
                raise OSError(f"short write to {self.path}")
        except OSError:
            # A torn record would end the journal at recovery and hide the ones after it.
            os.ftruncate(self._fd, self._size)
            raise
        self._size += len(record)

    def entries(self) -> list[Entry]:
        with open(self.path, "rb") as f:
            return decode_all(f.read())

    def clear(self) -> None:
        """Everything journaled is in the log now."""
        if self._size:
            os.ftruncate(self._fd, 0)
            self._size = 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # releases the lock
            self._fd = -1


def committed(db: Session, entry: Entry) -> bool:
    """Whether the log already has this update: at its announced seq, or later if another
    writer took that seq first. An update's bytes name its author's client and clock, so
    two different updates never have the same bytes."""
    t = Update.__table__
    return db.execute(select(t.c.id).where(
        t.c.draft_id == entry.draft_id, t.c.seq >= entry.seq, t.c.data == entry.data).limit(1)).first() is not None


def recover(journal: Journal, writer: LogWriter) -> int:
    """Log what a killed server left in the journal (it had broadcast those updates) and
    the log lacks, with their authors and times; empty the journal. How many were logged."""
    added = 0
    with Session(writer.engine) as db:
        for e in journal.entries():
            if committed(db, e):
                continue
            try:
                writer.append(e.draft_id, [(e.data, e.user_id, e.delegation_id, e.origin)], at=e.at)
            except LookupError:
                log.error("the journal holds an update of draft %s, which no longer exists", e.draft_id)
                continue
            added += 1
    journal.clear()
    return added


def recover_unattended(engine: Engine) -> int:
    """For commands that read the log while no server may be running: log what a killed
    server left in the journal, unless a running server holds it (it is that server's)."""
    path = journal_path(engine)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        journal = Journal(path)
    except JournalBusy:
        return 0
    except OSError as exc:
        log.warning("cannot open %s (%s): updates a stopped server left there are not in the log yet", path, exc)
        return 0
    writer = LogWriter(engine)
    try:
        return recover(journal, writer)
    finally:
        writer.close()
        journal.close()
