"""A room: one live Y document and the connections editing it; Rooms: the rooms of a
process, and the one way the rest of the server reads or changes a draft's document.

pycrdt-websocket's YRoom applies a client's update, broadcasts it and only then hands it
to its store, and does not know which connection sent it. Penholder must store every
update with its author before anyone sees it, and refuse updates from connections that
may not edit, so the room is written here on pycrdt's document primitives; the wire
format is in protocol.py.

The live document never leaves the event loop: readers get its encoded state
(Rooms.state) and build their own copy wherever they like.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from pycrdt import Doc, Map, get_state, merge_updates

from penholder.sync import protocol
from penholder.sync.fanout import AWARENESS, UPDATE, VIEW, RedisFanout
from penholder.sync.guard import Forbidden, Guard
from penholder.sync.hooks import Author, Hooks, Loaded, Principal, Refused
from penholder.sync.locks import KeyedLocks
from penholder.sync.protocol import AwarenessEntry, Kind, ProtocolError, Step, decode_state_vector
from penholder.sync.view import NotAView, View, split

log = logging.getLogger(__name__)

CLOSE_MALFORMED = 4400
CLOSE_READ_ONLY = 4403
CLOSE_TOO_SLOW = 4408
CLOSE_PRESENCE_TOO_BIG = 4413
CLOSE_PRESENCE_TOO_FAST = 4429


@dataclass(frozen=True)
class PresenceLimits:
    """Awareness (cursors, names) is relayed to everyone and handed to every joiner, so
    it is bounded: a browser tab speaks for one client id and sends a state of a few
    hundred bytes at most a few times a second (on cursor moves, and every 15 s)."""

    ids_per_connection: int = 4
    state_bytes: int = 4096
    per_second: float = 30.0   # sustained; messages past it are dropped, not relayed
    burst: int = 60
    # A client sending more than this many times the rate is not a person moving a
    # cursor (a held arrow key repeats ~30 times a second): it is closed.
    abuse_factor: float = 10.0
    greeting_bytes: int = 512 * 1024  # presence sent to a joiner, at most


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
    tokens: float = 0.0   # presence messages it may send now (a token bucket)
    hard_tokens: float = 0.0  # and before it is closed for flooding
    refilled: float = 0.0


class Room:
    def __init__(self, draft_id: str, loaded: Loaded, hooks: Hooks, guard: Guard,
                 fanout: RedisFanout | None = None, presence: PresenceLimits = PresenceLimits()) -> None:
        self.draft_id = draft_id
        self.doc = loaded.doc
        self.hooks = hooks
        self.guard = guard
        self.seq = loaded.seq
        self.fanout = fanout
        self.presence = presence
        self.view = View()  # the derived `proposals` and `comments` maps: sent, never logged (sync/view.py)
        self.clients: dict[Connection, _Client] = {}
        self.awareness: dict[int, AwarenessEntry] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._outgoing: list[bytes] = []
        self._inflight: dict[object, bytes] = {}  # checked, not stored yet
        self._server_changes = asyncio.Lock()
        # Snapshots every `snapshot_every` stored updates. In one process the live document
        # is the snapshot: every update up to `applied` is in it (seqs are counted as their
        # updates are applied, in case they come in out of order). With fan-out, other
        # processes' updates arrive without their seqs, so the hooks replay the log instead.
        self._every = hooks.snapshot_every
        self.applied = loaded.seq
        self.snapshotted = loaded.base  # the seq of the newest snapshot known
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

    def join(self, conn: Connection) -> _Client:
        """Add a connection and greet it (sync step 1, who is here)."""
        self._flush()
        p = self.presence
        client = _Client(conn, tokens=p.burst, hard_tokens=p.burst * p.abuse_factor,
                         refilled=asyncio.get_running_loop().time())
        self.clients[conn] = client
        clocks = decode_state_vector(self.doc.get_state()) | decode_state_vector(self.view.doc.get_state())
        conn.send(protocol.sync_message(Step.STATE_VECTOR, protocol.encode_state_vector(clocks)))
        if self.awareness:
            conn.send(protocol.encode_awareness(self._presence_greeting()))
        return client

    def leave(self, client: _Client) -> None:
        del self.clients[client.conn]
        self._forget_awareness(client)

    async def handle(self, client: _Client, data: bytes) -> bool:
        """One message from a client; False when its connection is to close."""
        try:
            await self._handle(client, protocol.parse(data))
        except ProtocolError as exc:
            await client.conn.close(CLOSE_MALFORMED, str(exc)[:120])
            return False
        except Refused as exc:
            await client.conn.close(exc.code, exc.reason[:120])
            return False
        return True

    async def _handle(self, client: _Client, message: protocol.Message) -> None:
        conn = client.conn
        if message.kind == Kind.SYNC:
            if message.step == Step.STATE_VECTOR:
                self._flush()
                try:
                    diff = self.doc.get_update(message.payload)
                    derived = self.view.doc.get_update(message.payload)
                except Exception:
                    raise Refused(CLOSE_MALFORMED, "malformed state vector") from None
                if derived != protocol.EMPTY_UPDATE:
                    diff = merge_updates(diff, derived)
                conn.send(protocol.sync_message(Step.DIFF, diff))
                return
            if message.payload == protocol.EMPTY_UPDATE:
                return  # a client with nothing new answers step 1 with this
            own, derived = split(message.payload)
            if derived is not None:
                self._absorb(derived)
            who = conn.principal
            may_edit = who.can("edit")
            if derived is not None or not may_edit:
                if not decode_state_vector(get_state(own)):
                    # No items, a delete set alone: a client that kept the deletions of an
                    # earlier view sends them back; what changes nothing is dropped.
                    if not self._check(own):
                        return
                    if may_edit:
                        await self.receive_update(own, Author(who.user_id, who.delegation_id))
                        return
                    self._rebuild_guard()
                if not may_edit:
                    raise Refused(CLOSE_READ_ONLY, "read-only: this account may not edit the text")
            await self.receive_update(own, Author(who.user_id, who.delegation_id), check=True)
            return
        if message.kind == Kind.AWARENESS:
            if not self._limit_rate(client):
                return
            entries = self._own_presence(client, protocol.parse_awareness(message.payload))
            if not entries:
                return
            self._apply_awareness(entries, client)
            relayed = protocol.encode_awareness(entries)
            self.broadcast(relayed)
            if self.fanout:
                await self.fanout.publish(self.draft_id, AWARENESS, protocol.parse(relayed).payload)
            return
        if message.kind == Kind.QUERY_AWARENESS and self.awareness:
            conn.send(protocol.encode_awareness(self._presence_greeting()))

    # -- updates -------------------------------------------------------------------------
    async def receive_update(self, update: bytes, author: Author, check: bool = False) -> int:
        """Check (a client's update), store, then broadcast and apply: nobody sees an
        update the log does not have, nor one that writes what the server owns."""
        if check:
            self._check(update)
        else:
            self.guard.admit(update)
        key = object()
        self._inflight[key] = update
        try:
            seq = await self.hooks.store(self.draft_id, update, author)
        except BaseException:
            del self._inflight[key]
            self._rebuild_guard()  # the guard has an update that is stored nowhere
            raise
        del self._inflight[key]
        self._send_and_apply(update)
        if self._every:
            self._outgoing_seqs.append(seq)
        self.seq = max(self.seq, seq)
        if self.fanout:
            await self.fanout.publish(self.draft_id, UPDATE, update)
        await self.hooks.change(self.draft_id, update, author, seq)
        return seq

    def _check(self, update: bytes) -> bool:
        """A client's update tried on the guard (sync/guard.py): whether it changed
        anything; Refused if it writes what the server owns."""
        try:
            return self.guard.check(update)
        except Forbidden as exc:
            self._rebuild_guard()
            raise Refused(CLOSE_READ_ONLY, str(exc)) from None
        except Exception:
            self._rebuild_guard()
            raise Refused(CLOSE_MALFORMED, "malformed update") from None

    # -- the derived view ----------------------------------------------------------------
    def set_view(self, view: dict[str, dict[str, Any]]) -> None:
        """The derived maps named in `view` (the pending proposals, the comment counts),
        to every client of the room; not stored."""
        self._send_view(self.view.set(view))

    def patch_view(self, root: str, entries: dict[str, Any], gone: set[str]) -> None:
        """Some entries of a derived map changed (or left): only those, to every client."""
        self._send_view(self.view.patch(root, entries, gone))

    def _absorb(self, derived: bytes) -> None:
        try:
            update = self.view.absorb(derived)
        except NotAView as exc:
            raise Refused(CLOSE_READ_ONLY, f"the proposals and comments are written by the server only ({exc})") from None
        self._send_view(update)

    def _send_view(self, update: bytes | None) -> None:
        if update is not None:
            self.guard.admit(update)
            self.broadcast(protocol.sync_message(Step.UPDATE, update))

    def refresh_view(self) -> None:
        """Another process changed the derived view: read it again."""
        task = asyncio.get_running_loop().create_task(self._refresh_view())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refresh_view(self) -> None:
        try:
            self.set_view(await self.hooks.view(self.draft_id))
        except Exception:
            log.exception("reading the derived view of draft %s failed", self.draft_id)

    def legacy(self, root: str) -> bool:
        """Whether the logged document still holds entries of a derived map, as versions
        before the derived view wrote them there."""
        self._flush()
        return len(self.doc.get(root, type=Map)) > 0

    def apply_remote(self, update: bytes) -> None:
        """An update another process stored (fan-out): send it on and apply it."""
        self.guard.admit(update)
        self._send_and_apply(update)

    def _send_and_apply(self, update: bytes) -> None:
        """Updates stored in one turn of the event loop (a group commit releases many at
        once) go out at the end of the turn as one merged update: a room of a hundred
        editors then sends a few messages per turn to each client instead of one per
        keystroke, and catches up at once after a pause. Every client gets every update,
        its own included, as from the reference y-websocket server."""
        self._outgoing.append(update)
        if len(self._outgoing) == 1:
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """Broadcast the updates stored since the last flush, then apply them to the live
        document (the clients need not wait for the server's copy)."""
        updates, self._outgoing = self._outgoing, []
        if updates:
            merged = updates[0] if len(updates) == 1 else merge_updates(*updates)
            self.broadcast(protocol.sync_message(Step.UPDATE, merged))
            self.doc.apply_update(merged)
        if self._outgoing_seqs:
            seqs, self._outgoing_seqs = self._outgoing_seqs, []
            self._count(seqs)

    def _rebuild_guard(self) -> None:
        """The guard's copy, back to what the room has stored and what is being stored."""
        self.guard = Guard(self.doc.get_update())
        for update in [self.view.state(), *self._outgoing, *self._inflight.values()]:
            self.guard.admit(update)

    def _count(self, seqs: list[int]) -> None:
        """Updates with these seqs are in the document now: cut a snapshot if one is due."""
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
        if self._due and (self._ahead is None or self.fanout is not None):
            self.hooks.snapshot(self.draft_id, self._due, None)
            self.snapshotted, self._due = self._due, 0
        elif self._due and self.applied >= self._due:
            self.hooks.snapshot(self.draft_id, self.applied, self.doc.get_update())
            self.snapshotted, self._due = self.applied, 0

    def state(self) -> tuple[bytes, int]:
        """The live document's encoded state with every stored update, and its seq."""
        self._flush()
        return self.doc.get_update(), self.seq

    def final_state(self) -> bytes | None:
        """What unload may snapshot: the encoded document if it holds every update up to
        seq (one process, no gap), else None (the hooks then replay the log)."""
        self._flush()
        complete = self.fanout is None and self._ahead is not None and self.applied >= self.seq
        return self.doc.get_update() if complete else None

    async def change(self, edit: Callable[[Doc], Any], author: Author) -> int:
        """A change made by the server (an accepted amendment, a technical update): made
        on a copy first, so that its update can be stored before the live document and
        its clients see it. The copy's transaction carries the author's origin."""
        async with self._server_changes:
            scratch = Doc()
            scratch.apply_update(self.state()[0])
            before = scratch.get_state()
            with scratch.transaction(origin=author.origin):
                edit(scratch)
            update = scratch.get_update(before)
            if update == protocol.EMPTY_UPDATE:
                return self.seq
            seq = await self.receive_update(update, author)
            self._flush()  # in the document when this returns, for whatever the caller reads next
            return seq

    def broadcast(self, data: bytes) -> None:
        for conn in list(self.clients):
            conn.send(data)

    # -- awareness -----------------------------------------------------------------------
    def _limit_rate(self, client: _Client) -> bool:
        """Whether this presence message is relayed: over the rate it is dropped (the next
        one carries the newer state anyway); far over it, the client is closed."""
        now = asyncio.get_running_loop().time()
        p = self.presence
        elapsed, client.refilled = now - client.refilled, now
        client.tokens = min(p.burst, client.tokens + elapsed * p.per_second)
        client.hard_tokens = min(p.burst * p.abuse_factor, client.hard_tokens + elapsed * p.per_second * p.abuse_factor)
        if client.hard_tokens < 1:
            raise Refused(CLOSE_PRESENCE_TOO_FAST,
                          f"presence: more than {p.per_second * p.abuse_factor:g} messages a second")
        client.hard_tokens -= 1
        if client.tokens < 1:
            return False
        client.tokens -= 1
        return True

    def _presence_greeting(self) -> list[AwarenessEntry]:
        out, size = [], 0
        for e in self.awareness.values():
            size += len(e.state) + 16
            if size > self.presence.greeting_bytes:
                break
            out.append(e)
        return out

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
        """A client speaks for its own presence only, under its own name, within the
        limits: entries for a client id another connection holds are dropped, the `user`
        of each state is stamped with the account's name and delegation (a delegation
        acts only under its own name, in presence too), and a message that would give the
        connection too many ids or too large a state is refused."""
        p = self.presence
        ids = set(client.awareness_ids)
        taken = {cid for other in self.clients.values() if other is not client for cid in other.awareness_ids}
        out = []
        for e in entries:
            if e.client_id in taken:
                continue
            if e.state == "null":
                ids.discard(e.client_id)
                out.append(e)
                continue
            if len(e.state) > p.state_bytes:
                raise Refused(CLOSE_PRESENCE_TOO_BIG,
                              f"presence: a state of {len(e.state)} bytes; the limit is {p.state_bytes}")
            ids.add(e.client_id)
            if len(ids) > p.ids_per_connection:
                raise Refused(CLOSE_PRESENCE_TOO_BIG,
                              f"presence: more than {p.ids_per_connection} client ids on one connection")
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
        self.broadcast(protocol.varuint(Kind.AWARENESS) + protocol.varbytes(payload))

    def _forget_awareness(self, client: _Client) -> None:
        """A client that leaves without saying so: tell the others it is gone."""
        gone = [AwarenessEntry(cid, self.awareness[cid].clock + 1, "null")
                for cid in client.awareness_ids if cid in self.awareness]
        for e in gone:
            del self.awareness[e.client_id]
        if gone:
            message = protocol.encode_awareness(gone)
            self.broadcast(message)
            if self.fanout:
                task = asyncio.create_task(
                    self.fanout.publish(self.draft_id, AWARENESS, protocol.parse(message).payload))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)


class Rooms:
    """The rooms of one process: loaded on first join, unloaded when the last client
    leaves. The web layer and amendments read and change drafts through this API only."""

    def __init__(self, hooks: Hooks, fanout: RedisFanout | None = None,
                 presence: PresenceLimits = PresenceLimits()) -> None:
        self.hooks = hooks
        self.fanout = fanout
        self.presence = presence
        self._rooms: dict[str, Room] = {}
        self._users: dict[str, int] = {}
        self._locks = KeyedLocks()  # one load or unload of a draft at a time

    async def authenticate(self, draft_id: str, principal: Principal) -> None:
        """Raise Refused if the principal may not join the draft's room."""
        await self.hooks.authenticate(draft_id, principal)

    def is_open(self, draft_id: str) -> bool:
        return draft_id in self._rooms

    def __len__(self) -> int:
        return len(self._rooms)

    async def _load(self, draft_id: str) -> Room:
        if self.fanout:
            await self.fanout.subscribe(draft_id)  # before loading: see fanout.py
        try:
            loaded = await self.hooks.load(draft_id)
            guard = await asyncio.to_thread(lambda: Guard(loaded.doc.get_update()))
        except BaseException:
            if self.fanout:
                await self.fanout.unsubscribe(draft_id)
            raise
        room = Room(draft_id, loaded, self.hooks, guard, self.fanout, self.presence)
        if self.fanout:
            self.fanout.attach(draft_id, room)
        return room

    @asynccontextmanager
    async def joined(self, draft_id: str) -> AsyncIterator[Room]:
        async with self._locks.hold(draft_id):
            room = self._rooms.get(draft_id)
            if room is None:
                room = self._rooms[draft_id] = await self._load(draft_id)
                # Registered first: reading the proposals reads this room's text (stale flags).
                try:
                    room.set_view(await self.hooks.view(draft_id))
                except Exception:  # the text is what matters; the view comes at the next change
                    log.exception("reading the derived view of draft %s failed", draft_id)
            self._users[draft_id] = self._users.get(draft_id, 0) + 1
        try:
            yield room
        finally:
            async with self._locks.hold(draft_id):
                self._users[draft_id] -= 1
                if self._users[draft_id] == 0:
                    del self._users[draft_id]
                    del self._rooms[draft_id]
                    if self.fanout:
                        await self.fanout.unsubscribe(draft_id)
                    try:
                        await self.hooks.unload(draft_id, room.seq, room.final_state(),
                                                room.seq - room.snapshotted)
                    except Exception:  # a failed snapshot loses nothing: the log has it all
                        log.exception("unload hook failed for draft %s", draft_id)

    async def state(self, draft_id: str) -> tuple[bytes, int]:
        """The draft's document as an encoded state, and its seq: the open room's live
        document, else the store's (KeyError: no such draft). Build a Doc from it to
        read it, on any thread."""
        room = self._rooms.get(draft_id)
        if room is not None:
            return room.state()
        loaded = await self.hooks.load(draft_id)
        return await asyncio.to_thread(loaded.doc.get_update), loaded.seq

    def open_state(self, draft_id: str) -> bytes | None:
        """The open room's live document as an encoded state (None if no client has the
        draft open: readers then read the store on their own thread)."""
        room = self._rooms.get(draft_id)
        return room.state()[0] if room is not None else None

    async def publish(self, draft_id: str, root: str, view: Callable[[], Awaitable[dict[str, Any]]],
                      author: Author,
                      patch: Callable[[], Awaitable[tuple[dict[str, Any], set[str]]]] | None = None) -> None:
        """One derived map of the draft (`proposals`, `comments`: sync/view.py) changed:
        `view()` gives its entries, read only if a room of this process has the draft
        open (a closed draft is not loaded: its next room reads them at load), and other
        processes are told to read the view again. Not stored in the log. `patch()`, if
        given, gives only the entries that changed and the keys that left, so that a
        change costs the same however many are pending. `author`: who clears what
        versions before the derived view logged of that map in the document (once per
        such draft)."""
        async with self._locks.hold(draft_id):  # not while the room is loading
            room = self._rooms.get(draft_id)
            if room is not None:
                if patch is not None:
                    room.patch_view(root, *await patch())
                else:
                    room.set_view({root: await view()})
        if self.fanout:
            await self.fanout.publish(draft_id, VIEW, b"")
        if room is not None and room.legacy(root):
            def clear(doc: Doc) -> None:
                legacy = doc.get(root, type=Map)
                for key in list(legacy.keys()):
                    del legacy[key]
            await self.change(draft_id, clear, author)

    async def change(self, draft_id: str, edit: Callable[[Doc], Any], author: Author) -> int:
        """A server-side change to the draft (loading it for the time of the change if no
        client has it open); returns the seq it was stored under."""
        async with self.joined(draft_id) as room:
            return await room.change(edit, author)
