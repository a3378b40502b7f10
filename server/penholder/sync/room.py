"""A room: one live Y document and the connections editing it.

pycrdt-websocket's YRoom applies a client's update, broadcasts it and only then hands it
to its store, and does not know which connection sent it. Penholder must store every
update with its author before anyone sees it, and refuse updates from connections that
may not edit, so the room is written here on pycrdt's document primitives; the wire
format is in protocol.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from pycrdt import Doc, merge_updates

from penholder.sync import protocol
from penholder.sync.fanout import AWARENESS, UPDATE, RedisFanout
from penholder.sync.hooks import Author, Hooks
from penholder.sync.protocol import AwarenessEntry, Kind, ProtocolError, Step

log = logging.getLogger(__name__)

# Close codes: 1008 policy (not allowed), 1003 unsupported data (malformed), 4000s ours.
CLOSE_READ_ONLY = 4403
CLOSE_MALFORMED = 4400
CLOSE_TOO_SLOW = 4408
CLOSE_GOING_AWAY = 1001


class Principal(Protocol):
    user_id: int
    name: str
    delegation: str | None
    delegation_id: int | None

    def can(self, action: str) -> bool: ...


class Connection(Protocol):
    principal: Principal

    def send(self, data: bytes) -> None:
        """Queue a message for this client; never blocks."""
        ...

    async def close(self, code: int, reason: str) -> None: ...


@dataclass(eq=False)
class _Client:
    conn: Connection
    awareness_ids: set[int] = field(default_factory=set)
    author: Author | None = None  # who its updates are stored under, once it has sent one


class Room:
    def __init__(self, draft_id: str, doc: Doc, hooks: Hooks, seq: int = 0,
                 fanout: RedisFanout | None = None) -> None:
        self.draft_id = draft_id
        self.doc = doc
        self.hooks = hooks
        self.seq = seq
        self.fanout = fanout
        self._tasks: set[asyncio.Task[None]] = set()
        self._outgoing: list[bytes] = []
        self.clients: dict[Connection, _Client] = {}
        self.awareness: dict[int, AwarenessEntry] = {}
        self._server_changes = asyncio.Lock()
        # Hooks that can write an update without waiting (SqlHooks on SQLite) offer
        # store_now, which saves a task switch per keystroke (receive_update).
        self._store_now: Callable[[str, bytes, Author], int | None] | None = getattr(hooks, "store_now", None)
        # Hooks whose store_now journals updates commit them to the log after the broadcast.
        self._commit: Callable[[], None] | None = getattr(hooks, "commit", None)
        # Snapshots, every `snapshot_every` stored updates, where the hooks cut them. In one
        # process the live document is the snapshot: every update up to `applied` is in
        # it (seqs are counted as their updates are applied, in case they come in out of
        # order). With fan-out, other processes' updates arrive without their seqs, so
        # the hooks replay the log instead.
        self._cut: Callable[[str, int, bytes | None], None] | None = getattr(hooks, "snapshot", None)
        self._every: int = getattr(hooks, "snapshot_every", 0) if self._cut else 0
        self.applied = seq
        self._ahead: set[int] | None = set()  # None: given up (see _count)
        self._outgoing_seqs: list[int] = []
        self._due = 0  # a seq at which a snapshot is due, once applied reaches it

    # -- connections ---------------------------------------------------------------------
    async def serve(self, conn: Connection, messages: AsyncIterator[bytes]) -> None:
        """Run one client's session: greet, then handle its messages until it leaves."""
        client = self.join(conn)
        try:
            async for data in messages:
                if not await self.handle(client, data):
                    return
        finally:
            self.leave(client)

    @property
    def synchronous(self) -> bool:
        """Whether handling a message runs only the room's own code, without waiting on
        anything: an embedded store (store_now) and no fan-out. A connection may then
        handle messages outside any asyncio task, as the protocol reads them (web/ws.py);
        Redis's client, for one, must run inside a task."""
        return self._store_now is not None and self.fanout is None

    def join(self, conn: Connection) -> _Client:
        """Add a connection and greet it (sync step 1, who is here)."""
        client = _Client(conn)
        self.clients[conn] = client
        conn.send(protocol.sync_message(Step.STATE_VECTOR, self.doc.get_state()))
        if self.awareness:
            conn.send(protocol.encode_awareness(list(self.awareness.values())))
        return client

    def leave(self, client: _Client) -> None:
        del self.clients[client.conn]
        self._forget_awareness(client)

    async def handle(self, client: _Client, data: bytes) -> bool:
        """One message from a client; False when its connection is to close."""
        try:
            message = protocol.parse(data)
        except ProtocolError as exc:
            await client.conn.close(CLOSE_MALFORMED, str(exc)[:120])
            return False
        return await self._handle(client, message)

    async def _handle(self, client: _Client, message: protocol.Message) -> bool:
        conn = client.conn
        if message.kind == Kind.SYNC:
            if message.step == Step.STATE_VECTOR:
                try:
                    diff = self.doc.get_update(message.payload)
                except Exception:
                    await conn.close(CLOSE_MALFORMED, "malformed state vector")
                    return False
                conn.send(protocol.sync_message(Step.DIFF, diff))
                return True
            if message.payload == protocol.EMPTY_UPDATE:
                return True  # a client with nothing new answers step 1 with this
            if not conn.principal.can("edit"):
                await conn.close(CLOSE_READ_ONLY, "read-only: this account may not edit the text")
                return False
            if client.author is None:
                client.author = Author(conn.principal.user_id, conn.principal.delegation_id)
            await self.receive_update(message.payload, client.author)
            return True
        if message.kind == Kind.AWARENESS:
            entries = self._own_presence(client, protocol.parse_awareness(message.payload))
            if not entries:
                return True
            self._apply_awareness(entries, client)
            relayed = protocol.encode_awareness(entries)
            self.broadcast(relayed, exclude=None)
            if self.fanout:
                await self.fanout.publish(self.draft_id, AWARENESS, protocol.parse(relayed).payload)
            return True
        if message.kind == Kind.QUERY_AWARENESS and self.awareness:
            conn.send(protocol.encode_awareness(list(self.awareness.values())))
        return True

    # -- updates -------------------------------------------------------------------------
    async def receive_update(self, update: bytes, author: Author) -> int:
        """Store, then broadcast and apply: nobody sees an update the log does not have."""
        seq = self._store_now(self.draft_id, update, author) if self._store_now else None
        if seq is None:
            seq = await self.hooks.store(self.draft_id, update, author)
        self.apply_remote(update)
        if self._every:
            self._outgoing_seqs.append(seq)
        self.seq = max(self.seq, seq)
        if self.fanout:
            await self.fanout.publish(self.draft_id, UPDATE, update)
        await self.hooks.changed(self.draft_id, update, author, seq)
        return seq

    def apply_remote(self, update: bytes) -> None:
        """Apply an update that is already stored (this process or another) and send it on.

        Updates stored in one turn of the event loop (a group commit releases many at
        once; after any pause, the messages of many clients are read in one turn) go out
        at the end of the turn as one merged update: a room of a hundred editors then
        sends a few messages per turn to each client instead of one per keystroke, and
        catches up at once after a pause (sent one by one, p99 was ~28 ms against ~16 ms
        under benchmarks/sync_bench.py). Every client gets every update, its own
        included, as from the reference y-websocket server; applying one's own update
        again changes nothing."""
        self._outgoing.append(update)
        if len(self._outgoing) == 1:
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """Broadcast the updates stored since the last flush, let the hooks commit what
        they journaled, then apply the updates to the live document. In that order
        because the clients need not wait for the server's copy nor the SQL log (applying
        takes as long as the first few sends, a commit longer); until the flush, which
        runs in the same turn of the event loop, the document lacks them (see settle)."""
        updates, self._outgoing = self._outgoing, []
        if updates:
            merged = updates[0] if len(updates) == 1 else merge_updates(*updates)
            try:
                self.broadcast(protocol.sync_message(Step.UPDATE, merged), exclude=None)
            finally:
                if self._commit is not None:
                    self._commit()
            self.doc.apply_update(merged)
        if self._outgoing_seqs:
            seqs, self._outgoing_seqs = self._outgoing_seqs, []
            self._count(seqs)

    def _count(self, seqs: list[int]) -> None:
        """Updates with these seqs are in the document now: cut a snapshot if one is due."""
        assert self._cut is not None
        if any(s % self._every == 0 for s in seqs):
            self._due = max(self._due, max(seqs))
        if self.fanout is None and self._ahead is not None:
            self._ahead.update(seqs)
            while self.applied + 1 in self._ahead:
                self.applied += 1
                self._ahead.remove(self.applied)
            if len(self._ahead) > self._every:  # a seq that never came: written elsewhere
                log.warning("draft %s: update %d is not in the room; snapshots come from the log",
                            self.draft_id, self.applied + 1)
                self._ahead = None
        if self.fanout is not None or self._ahead is None:
            if self._due:
                self._cut(self.draft_id, self._due, None)
                self._due = 0
            return
        if self._due and self.applied >= self._due:
            self._cut(self.draft_id, self.applied, self.doc.get_update())
            self._due = 0

    def settle(self) -> Doc:
        """The live document with every stored update applied (for server-side readers
        and changes, which may run between a store and the end of its turn)."""
        self._flush()
        return self.doc

    async def change(self, edit: Callable[[Doc], Any], author: Author) -> int:
        """A change made by the server (an accepted amendment, a technical update): made
        on a copy first, so that its update can be stored before the live document and
        its clients see it. The copy's transaction carries the author's origin."""
        async with self._server_changes:
            scratch = Doc()
            scratch.apply_update(self.settle().get_update())
            before = scratch.get_state()
            with scratch.transaction(origin=author.origin):
                edit(scratch)
            update = scratch.get_update(before)
            if update == protocol.EMPTY_UPDATE:
                return self.seq
            seq = await self.receive_update(update, author)
            self.settle()  # in the log when this returns, for whatever the caller writes next
            return seq

    def broadcast(self, data: bytes, exclude: Connection | None) -> None:
        for conn in list(self.clients):
            if conn is not exclude:
                conn.send(data)

    # -- awareness -----------------------------------------------------------------------
    def _apply_awareness(self, entries: list[AwarenessEntry], client: _Client | None) -> None:
        for e in entries:
            known = self.awareness.get(e.client_id)
            if known is not None and known.clock > e.clock:
                continue
            if e.state == "null":
                self.awareness.pop(e.client_id, None)
                if client:
                    client.awareness_ids.discard(e.client_id)
            else:
                self.awareness[e.client_id] = e
                if client:
                    client.awareness_ids.add(e.client_id)

    def _own_presence(self, client: _Client, entries: list[AwarenessEntry]) -> list[AwarenessEntry]:
        """A client speaks for its own presence only, under its own name: entries for a
        client id another connection holds are dropped, and the `user` of each state is
        stamped with the account's name and delegation (a delegation acts only under
        its own name, in presence too)."""
        taken = {cid for other in self.clients.values() if other is not client for cid in other.awareness_ids}
        out = []
        for e in entries:
            if e.client_id in taken:
                continue
            if e.state != "null":
                try:
                    state = json.loads(e.state)
                except ValueError:
                    continue
                if isinstance(state, dict):
                    user = state.get("user") if isinstance(state.get("user"), dict) else {}
                    who = client.conn.principal
                    state["user"] = {**user, "name": who.name, "delegation": who.delegation}
                    e = AwarenessEntry(e.client_id, e.clock, json.dumps(state, separators=(",", ":")))
            out.append(e)
        return out

    def apply_remote_awareness(self, payload: bytes) -> None:
        self._apply_awareness(protocol.parse_awareness(payload), None)
        self.broadcast(protocol.varuint(Kind.AWARENESS) + protocol.varbytes(payload), exclude=None)

    def _forget_awareness(self, client: _Client) -> None:
        """A client that leaves without saying so: tell the others it is gone."""
        gone = [AwarenessEntry(cid, self.awareness[cid].clock + 1, "null")
                for cid in client.awareness_ids if cid in self.awareness]
        for e in gone:
            del self.awareness[e.client_id]
        if gone:
            message = protocol.encode_awareness(gone)
            self.broadcast(message, exclude=None)
            if self.fanout:
                task = asyncio.create_task(
                    self.fanout.publish(self.draft_id, AWARENESS, protocol.parse(message).payload))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)


class Rooms:
    """The rooms of one process: loaded on first join, unloaded when the last client
    leaves (after the unload hook has cut a snapshot)."""

    def __init__(self, hooks: Hooks, fanout: RedisFanout | None = None) -> None:
        self.hooks = hooks
        self.fanout = fanout
        self.rooms: dict[str, Room] = {}
        self._users: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, draft_id: str) -> asyncio.Lock:
        return self._locks.setdefault(draft_id, asyncio.Lock())

    async def _load(self, draft_id: str) -> Room:
        if self.fanout:
            await self.fanout.subscribe(draft_id)  # before loading: see fanout.py
        try:
            loaded = await self.hooks.load(draft_id)
        except BaseException:
            if self.fanout:
                await self.fanout.unsubscribe(draft_id)
            raise
        room = Room(draft_id, loaded.doc, self.hooks, loaded.seq, self.fanout)
        if self.fanout:
            self.fanout.attach(draft_id, room)
        return room

    @asynccontextmanager
    async def joined(self, draft_id: str) -> AsyncIterator[Room]:
        async with self._lock(draft_id):
            room = self.rooms.get(draft_id)
            if room is None:
                room = self.rooms[draft_id] = await self._load(draft_id)
            self._users[draft_id] = self._users.get(draft_id, 0) + 1
        try:
            yield room
        finally:
            async with self._lock(draft_id):
                self._users[draft_id] -= 1
                if self._users[draft_id] == 0:
                    del self._users[draft_id]
                    del self.rooms[draft_id]
                    if self.fanout:
                        await self.fanout.unsubscribe(draft_id)
                    try:
                        await self.hooks.unload(draft_id, room.settle())
                    except Exception:  # a failed snapshot loses nothing: the log has it all
                        log.exception("unload hook failed for draft %s", draft_id)

    async def with_room(self, draft_id: str, fn: Callable[[Room], Awaitable[Any]]) -> Any:
        """Run fn on the draft's room, loading it for the time of the call if no client
        has it open (the REST API uses this for server-side changes)."""
        async with self.joined(draft_id) as room:
            return await fn(room)
