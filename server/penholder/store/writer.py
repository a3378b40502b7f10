"""One writer per database: a thread that owns the write connection and group-commits.

Every write of the live-sync path (log appends, snapshots) is a job on this thread's
queue; the event loop only queues jobs and awaits their futures, so no database call
runs on it, and a database locked by another process (a CLI command, a backup) holds up
the writes, never the loop or the REST API. When the thread takes the queue, it writes
every update queued meanwhile in one transaction per draft (group commit, as Datasette's
write thread does for SQLite): one commit per keystroke at typing pace, a few commits
for hundreds under load. The same code serves SQLite and PostgreSQL.

On SQLite the write-ahead log is checkpointed every CHECKPOINT_EVERY appended updates on
a second thread, not by the commit that happens to cross SQLite's threshold: that
checkpoint syncs two files to disk, tens of milliseconds by which every update queued
behind it would reach the clients later (store/logwriter.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from penholder.store.logwriter import Item, LogWriter, checkpoint
from penholder.store.tables import utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BATCH = 1000  # updates in one commit, at most
CHECKPOINT_EVERY = 300  # appended updates between SQLite checkpoints (~3 pages each in the log)


@dataclass
class _Append:
    draft_id: int
    item: Item
    at: datetime
    done: concurrent.futures.Future[int]


@dataclass
class _Call:
    fn: Callable[[], Any]
    done: concurrent.futures.Future[Any]


class Writer:
    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.log = LogWriter(engine)
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Append | _Call | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="penholder-writer", daemon=True)
        self._checkpoints = concurrent.futures.ThreadPoolExecutor(1, "penholder-checkpoint") if self.log.sqlite else None
        self._checkpoint: concurrent.futures.Future[None] | None = None
        self._since_checkpoint = 0
        self._closed = False
        self._thread.start()

    def append(self, draft_id: int, item: Item) -> asyncio.Future[int]:
        """Queue an update for the draft's log; the future gives its seq once committed."""
        if self._closed:
            raise RuntimeError("the writer is closed")
        done: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._queue.put(_Append(draft_id, item, utcnow(), done))
        return asyncio.wrap_future(done)

    def call(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        """Run fn (a write of its own, e.g. a snapshot) on the writer's thread, in turn."""
        if self._closed:
            raise RuntimeError("the writer is closed")
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put(_Call(fn, done))
        return asyncio.wrap_future(done)

    def close(self) -> None:
        """Write what is queued, then stop the thread and give back its connection."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()
        if self._checkpoints is not None:
            self._checkpoints.shutdown()

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                jobs = [self._queue.get()]
                while len(jobs) < self.max_batch:
                    try:
                        jobs.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = None in jobs
                self._commit([j for j in jobs if isinstance(j, _Append)])
                for job in jobs:
                    if isinstance(job, _Call):
                        _settle(job.done, job.fn)
                if stop:
                    return
        finally:
            self.log.close()

    def _commit(self, appends: list[_Append]) -> None:
        """One transaction per draft, drafts in a fixed order (a draft's row is locked
        until commit: see store.updates.append_update); a draft whose transaction fails
        fails its own updates only."""
        by_draft: dict[int, list[_Append]] = {}
        for a in appends:
            by_draft.setdefault(a.draft_id, []).append(a)
        for draft_id in sorted(by_draft):
            batch = by_draft[draft_id]
            try:
                seqs = self.log.append(draft_id, [a.item for a in batch], at=batch[0].at)
            except Exception as exc:
                if not isinstance(exc, LookupError):
                    log.exception("writing %d updates of draft %s failed", len(batch), draft_id)
                for a in batch:
                    if not a.done.cancelled():
                        a.done.set_exception(exc)
                continue
            for a, seq in zip(batch, seqs):
                if not a.done.cancelled():
                    a.done.set_result(seq)
            self._since_checkpoint += len(batch)
        self._checkpoint_if_due()

    def _checkpoint_if_due(self) -> None:
        if self._checkpoints is None or self._since_checkpoint < CHECKPOINT_EVERY:
            return
        if self._checkpoint is not None and not self._checkpoint.done():
            return  # the last one is still running: the next commit asks again
        self._since_checkpoint = 0
        self._checkpoint = self._checkpoints.submit(checkpoint, self.log.engine)
        self._checkpoint.add_done_callback(_checkpointed)


def _checkpointed(job: concurrent.futures.Future[None]) -> None:
    if not job.cancelled() and job.exception() is not None:  # the log is intact; the next one tries again
        log.warning("checkpointing the database failed: %s", job.exception())


def _settle(done: concurrent.futures.Future[Any], fn: Callable[[], Any]) -> None:
    try:
        result = fn()
    except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits it
        done.set_exception(exc)
    else:
        done.set_result(result)
