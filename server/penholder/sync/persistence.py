"""The room hooks on the SQL store: who may join, load from snapshot + log, store each
update through the database's one writer (store/writer.py), cut and prune snapshots.

Every update is durable before it is broadcast: `store` queues it for the writer's
thread and returns when its transaction has committed (updates queued meanwhile share
that commit). Reads run on threads of their own; nothing here touches the database on
the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pycrdt import Doc

from penholder.auth.policy import Forbidden, decide
from penholder.store import Engine
from penholder.store import drafts as stored_drafts
from penholder.store.updates import save_state
from penholder.store.log import log_for_load
from penholder.store.replay import apply_all
from penholder.store.writer import Writer
from penholder.sync.hooks import Author, Loaded, Principal, Refused

log = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
UNLOAD_SNAPSHOT_AFTER = 100  # updates stored by a room before its unload cuts a snapshot


def load_state(engine: Engine, draft_id: int) -> Loaded:
    """The draft's document: its newest snapshot and the log after it."""
    updates, seq, base = log_for_load(engine, draft_id)
    doc = Doc()
    apply_all(doc, updates)
    return Loaded(doc, seq, base)


def load_doc(engine: Engine, draft_id: int) -> tuple[Doc, int]:
    loaded = load_state(engine, draft_id)
    return loaded.doc, loaded.seq


def read_state(engine: Engine, draft_id: int) -> tuple[bytes, int]:
    """The draft's encoded state and its seq, from the store (KeyError: no draft)."""
    loaded = load_state(engine, draft_id)
    return loaded.doc.get_update(), loaded.seq


def compact(engine: Engine, draft_id: int) -> int | None:
    """Cut a snapshot of everything logged so far; the log itself is kept (audit trail)."""
    loaded = load_state(engine, draft_id)
    if loaded.seq == 0 or not save_state(engine, draft_id, loaded.seq, loaded.doc.get_update()):
        return None
    return loaded.seq


def _draft_exists(engine: Engine, draft_id: int) -> bool:
    return stored_drafts.info(engine, draft_id) is not None


class SqlHooks:
    def __init__(self, engine: Engine, *, snapshot_every: int = 1000,
                 unload_snapshot_after: int = UNLOAD_SNAPSHOT_AFTER,
                 view: Callable[[int], Awaitable[dict[str, dict[str, Any]]]] | None = None) -> None:
        """view: the derived view of a draft, by map (sync/view.py; none: an empty view)."""
        self.engine = engine
        self._view = view
        self.snapshot_every = snapshot_every
        self.unload_snapshot_after = unload_snapshot_after
        self.writer = Writer(engine)
        self._background: set[asyncio.Future[object]] = set()

    async def authenticate(self, draft_id: str, principal: Principal) -> None:
        did = int(draft_id)
        try:
            decide(principal, "read", did)
        except Forbidden as exc:
            raise Refused(CLOSE_FORBIDDEN, str(exc)) from None
        if not await asyncio.to_thread(_draft_exists, self.engine, did):
            raise Refused(CLOSE_NOT_FOUND, f"no draft {did}")

    async def load(self, draft_id: str) -> Loaded:
        return await asyncio.to_thread(load_state, self.engine, int(draft_id))

    async def view(self, draft_id: str) -> dict[str, dict[str, Any]]:
        return {} if self._view is None else await self._view(int(draft_id))

    async def store(self, draft_id: str, update: bytes, author: Author) -> int:
        return await self.writer.append(int(draft_id), (update, author.user_id, author.delegation_id, author.origin))

    async def change(self, draft_id: str, update: bytes, author: Author, seq: int) -> None:
        return None

    def snapshot(self, draft_id: str, seq: int, state: bytes | None) -> None:
        did = int(draft_id)
        if state is None:
            job = self.writer.call(lambda: compact(self.engine, did))
        else:
            job = self.writer.call(lambda: save_state(self.engine, did, seq, state))
        self._background.add(job)
        job.add_done_callback(self._done)

    def _done(self, job: asyncio.Future[object]) -> None:
        self._background.discard(job)
        if not job.cancelled() and job.exception() is not None:  # the log has it all; nothing is lost
            log.warning("a snapshot failed: %s", job.exception())

    async def unload(self, draft_id: str, seq: int, state: bytes | None, since_load: int) -> None:
        """A snapshot when the room stored enough to make the next load faster: a REST
        change to a draft nobody has open (one update) does not write the whole
        document each time."""
        if since_load >= self.unload_snapshot_after:
            self.snapshot(draft_id, seq, state)

    async def drain(self) -> None:
        """Wait for the snapshots queued so far."""
        if self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def close(self) -> None:
        """Write what is queued, stop the writer (the server is stopping)."""
        self.writer.close()
