"""A room in isolation: store before broadcast, refusals, malformed input, awareness,
server-owned parts of the document, presence limits."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from pycrdt import Doc, Text

from penholder.sync import protocol
from penholder.sync.guard import Guard
from penholder.sync.hooks import Author, Loaded
from penholder.sync.protocol import Step
from penholder.sync.room import CLOSE_MALFORMED, CLOSE_READ_ONLY, Room, Rooms


@dataclass
class Who:
    user_id: int
    delegation_id: int
    edit: bool = True
    name: str = "someone"
    delegation: str = "Somewhere"

    def can(self, action: str, draft_id: int | None = None) -> bool:
        return self.edit if action == "edit" else True


@dataclass
class Hooks:
    events: list[str] = field(default_factory=list)
    log: list[tuple[bytes, Author]] = field(default_factory=list)
    unloaded: list[str] = field(default_factory=list)
    snapshot_every: int = 0

    async def authenticate(self, draft_id, principal):
        pass

    async def load(self, draft_id):
        return Loaded(Doc(), 0)

    async def store(self, draft_id, update, author):
        await asyncio.sleep(0)  # a store that waits, as the real one does
        self.log.append((update, author))
        self.events.append("store")
        return len(self.log)

    async def change(self, draft_id, update, author, seq):
        self.events.append("change")

    def snapshot(self, draft_id, seq, state):
        pass

    async def unload(self, draft_id, seq, state, since_load):
        self.unloaded.append(draft_id)


def make_room(hooks, doc: Doc | None = None, **kw) -> Room:
    doc = doc or Doc()
    return Room("d1", Loaded(doc, 0), hooks, Guard(doc.get_update()), **kw)


class Conn:
    def __init__(self, principal, hooks: Hooks | None = None):
        self.principal = principal
        self.sent: list[bytes] = []
        self.closed: tuple[int, str] | None = None
        self.inbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.hooks = hooks
        self._diff = asyncio.Event()

    def send(self, data):
        if self.hooks is not None:
            self.hooks.events.append("broadcast")
        self.sent.append(data)
        if data[:2] == b"\x00\x01":
            self._diff.set()

    async def close(self, code, reason):
        self.closed = (code, reason)
        await self.inbox.put(None)

    async def messages(self):
        while (m := await self.inbox.get()) is not None:
            yield m

    async def barrier(self):
        """A state-vector round trip: when its answer is here, every message this
        connection sent before it has been handled, and what it stored was sent out."""
        self._diff.clear()
        await self.inbox.put(protocol.sync_message(Step.STATE_VECTOR, Doc().get_state()))
        await asyncio.wait_for(self._diff.wait(), 5)
        self.sent.pop()  # the answer itself


async def settle(*conns: Conn) -> None:
    for c in conns:
        await c.barrier()


def edit_update(text: str) -> bytes:
    d = Doc()
    d["t"] = Text(text)
    return d.get_update()


def test_update_is_stored_before_it_is_broadcast_and_attributed():
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        a, b = Conn(Who(1, 10)), Conn(Who(2, 20), hooks)
        tasks = [asyncio.create_task(room.serve(c, c.messages())) for c in (a, b)]
        await settle(a, b)
        hooks.events.clear()
        await a.inbox.put(protocol.sync_message(Step.UPDATE, edit_update("hello")))
        await settle(a)
        assert hooks.events.index("store") < hooks.events.index("broadcast")
        assert hooks.log[0][1] == Author(1, 10)
        assert str(room.doc.get("t", type=Text)) == "hello"
        assert protocol.parse(b.sent[-1]).payload == hooks.log[0][0]
        for c in (a, b):
            await c.inbox.put(None)
        await asyncio.gather(*tasks)
    asyncio.run(main())


def test_read_only_update_refused_not_logged_not_broadcast():
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        viewer, other = Conn(Who(3, 30, edit=False)), Conn(Who(1, 10))
        tasks = [asyncio.create_task(room.serve(c, c.messages())) for c in (viewer, other)]
        await settle(viewer, other)
        before = len(other.sent)
        # an observer that has nothing new syncs normally
        await viewer.inbox.put(protocol.sync_message(Step.DIFF, protocol.EMPTY_UPDATE))
        await settle(viewer)
        assert viewer.closed is None
        await viewer.inbox.put(protocol.sync_message(Step.UPDATE, edit_update("sneaky")))
        await asyncio.wait_for(tasks[0], 1)
        assert viewer.closed[0] == CLOSE_READ_ONLY and "read-only" in viewer.closed[1]
        assert hooks.log == [] and len(other.sent) == before
        assert "t" not in room.doc.keys()
        await other.inbox.put(None)
        await tasks[1]
    asyncio.run(main())


def test_malformed_messages_close_only_that_connection():
    good_update = edit_update("kept")
    bad = [
        b"",
        b"\x07",                                  # unknown type
        b"\x00\x05\x01",                          # unknown sync step
        b"\x00\x02\x10abc",                       # payload shorter than announced
        protocol.sync_message(Step.UPDATE, good_update[:-3]),  # truncated update
        b"\x00\x02" + protocol.varbytes(b"\xff\xff\xff"),      # garbage update
        b"\x01" + protocol.varbytes(b"\x01\x01\x01" + protocol.varbytes(b"{not json")),
    ]
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        steady = Conn(Who(1, 10))
        steady_task = asyncio.create_task(room.serve(steady, steady.messages()))
        for data in bad:
            c = Conn(Who(2, 20))
            t = asyncio.create_task(room.serve(c, c.messages()))
            await c.inbox.put(data)
            await asyncio.wait_for(t, 1)
            assert c.closed is not None and c.closed[0] == CLOSE_MALFORMED and c.closed[1], data
        await steady.inbox.put(protocol.sync_message(Step.UPDATE, good_update))
        await settle(steady)
        assert str(room.doc.get("t", type=Text)) == "kept" and len(hooks.log) == 1
        assert steady.closed is None
        await steady.inbox.put(None)
        await steady_task
    asyncio.run(main())


def test_sync_step1_answered_with_the_missing_diff():
    async def main():
        hooks = Hooks()
        doc = Doc()
        doc["t"] = Text("server text")
        room = make_room(hooks, doc)
        c = Conn(Who(1, 10))
        t = asyncio.create_task(room.serve(c, c.messages()))
        await c.inbox.put(protocol.sync_message(Step.STATE_VECTOR, Doc().get_state()))
        await settle(c)
        replies = [protocol.parse(m) for m in c.sent]
        assert replies[0].step == Step.STATE_VECTOR
        diff = next(r for r in replies if r.step == Step.DIFF)
        mirror = Doc()
        mirror.apply_update(diff.payload)
        assert str(mirror.get("t", type=Text)) == "server text"
        await c.inbox.put(None)
        await t
    asyncio.run(main())


def test_server_change_is_stored_then_seen_by_every_client():
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        c = Conn(Who(1, 10), hooks)
        t = asyncio.create_task(room.serve(c, c.messages()))
        await settle(c)
        hooks.events.clear()
        seq = await room.change(lambda d: d.__setitem__("t", Text("accepted")),
                                Author(5, 50, "amendment:1"))
        await settle(c)
        assert seq == 1 and hooks.events.index("store") < hooks.events.index("broadcast")
        assert hooks.log[0][1].origin == "amendment:1"
        assert str(room.doc.get("t", type=Text)) == "accepted"
        await c.inbox.put(None)
        await t
    asyncio.run(main())


def test_awareness_relayed_and_cleared_when_a_client_leaves():
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        a, b = Conn(Who(1, 10, name="Lucie", delegation="France")), Conn(Who(2, 20))
        ta = asyncio.create_task(room.serve(a, a.messages()))
        tb = asyncio.create_task(room.serve(b, b.messages()))
        state = protocol.encode_awareness([protocol.AwarenessEntry(77, 1, '{"user":{"name":"fr","color":"#00f"}}')])
        await a.inbox.put(state)
        await settle(a)
        (relayed,) = protocol.parse_awareness(protocol.parse(b.sent[-1]).payload)
        assert relayed.client_id == 77 and relayed.clock == 1
        assert json.loads(relayed.state) == {"user": {"name": "Lucie", "color": "#00f", "delegation": "France"}}
        # b cannot speak for a's client id
        await b.inbox.put(protocol.encode_awareness([protocol.AwarenessEntry(77, 5, '{"user":{"name":"spoof"}}')]))
        await settle(b)
        assert json.loads(room.awareness[77].state)["user"]["name"] == "Lucie"
        await a.inbox.put(None)
        await ta
        gone = protocol.parse_awareness(protocol.parse(b.sent[-1]).payload)
        assert gone == [protocol.AwarenessEntry(77, 2, "null")]
        await b.inbox.put(None)
        await tb
    asyncio.run(main())


def test_rooms_unload_when_the_last_client_leaves():
    async def main():
        hooks = Hooks()
        rooms = Rooms(hooks)
        async with rooms.joined("d1") as r1:
            async with rooms.joined("d1") as r2:
                assert r1 is r2
            assert hooks.unloaded == []
        assert hooks.unloaded == ["d1"] and len(rooms) == 0
    asyncio.run(main())


def test_updates_of_one_commit_go_out_as_one_message():
    async def main():
        hooks = Hooks()
        room = make_room(hooks)
        watcher = Conn(Who(9, 90))
        t = asyncio.create_task(room.serve(watcher, watcher.messages()))
        await settle(watcher)
        before = len(watcher.sent)
        for word in ("one", "two", "three"):
            d = Doc()
            d[word] = Text(word)
            room.apply_remote(d.get_update())
        await settle(watcher)
        assert len(watcher.sent) == before + 1
        mirror = Doc()
        mirror.apply_update(protocol.parse(watcher.sent[-1]).payload)
        assert sorted(mirror.keys()) == ["one", "three", "two"]
        await watcher.inbox.put(None)
        await t
    asyncio.run(main())


@dataclass
class SnapshotHooks(Hooks):
    """Hands out the seqs it is given, in that order, and records the snapshots asked for."""
    seqs: list[int] = field(default_factory=list)
    snapshot_every: int = 3
    cuts: list[tuple[int, bytes | None]] = field(default_factory=list)

    async def store(self, draft_id, update, author):
        self.log.append((update, author))
        return self.seqs.pop(0) if self.seqs else len(self.log)

    def snapshot(self, draft_id, seq, state):
        self.cuts.append((seq, state))


def text_of_state(state: bytes) -> str:
    d = Doc()
    d.apply_update(state)
    return str(d.get("t", type=Text))


def test_a_room_of_one_process_snapshots_its_live_document():
    async def main():
        hooks = SnapshotHooks()
        room = make_room(hooks)
        for word in ("aa", "bb", "cc", "dd", "ee", "ff", "gg"):
            await room.receive_update(edit_update(word), Author(1, 10))
            room.state()
        # every 3 stored updates, a snapshot holding exactly the updates up to its seq
        assert [seq for seq, _ in hooks.cuts] == [3, 6]
        assert [len(text_of_state(state)) for _, state in hooks.cuts] == [6, 12]
    asyncio.run(main())


def test_a_snapshot_waits_until_every_update_before_it_is_in_the_document():
    async def main():
        hooks = SnapshotHooks(seqs=[2, 3, 1, 5, 4])
        room = make_room(hooks)
        for word in ("aa", "bb", "cc", "dd", "ee"):
            await room.receive_update(edit_update(word), Author(1, 10))
            room.state()
        # due at 3, but 1 came after it: cut once 1-3 were in, at 3; not at 5 before 4 was in
        assert [(seq, len(text_of_state(state))) for seq, state in hooks.cuts] == [(3, 6)]
        assert room.applied == 5
    asyncio.run(main())


def test_snapshots_come_from_the_log_when_the_room_lacks_updates():
    class Fanout:
        async def publish(self, *args):
            pass

    async def main():
        # with fan-out, other processes' updates come without seqs: the hooks replay the log
        hooks = SnapshotHooks()
        room = make_room(hooks, fanout=Fanout())  # type: ignore[arg-type]
        for word in ("aa", "bb", "cc"):
            await room.receive_update(edit_update(word), Author(1, 10))
            room.state()
        assert hooks.cuts == [(3, None)]
        # in one process, a seq that never reaches the room (another writer took it)
        hooks = SnapshotHooks(seqs=[2, 3, 4, 5, 6, 7])
        room = make_room(hooks)
        for word in ("aa", "bb", "cc", "dd", "ee", "ff"):
            await room.receive_update(edit_update(word), Author(1, 10))
            room.state()
        # given up once more than a snapshot's worth waited for it: the one due at 3 and
        # the next come from the log
        assert hooks.cuts == [(3, None), (6, None)]
    asyncio.run(main())


def test_locks_by_draft_are_dropped_with_their_last_user():
    from penholder.sync.locks import KeyedLocks

    async def main():
        locks = KeyedLocks()
        order = []

        async def use(key, name):
            async with locks.hold(key):
                order.append(name)
                await asyncio.sleep(0)  # hold it across a turn, so that the other waits

        await asyncio.gather(use("d1", "a"), use("d1", "b"), use("d2", "c"))
        assert sorted(order) == ["a", "b", "c"] and len(locks) == 0
    asyncio.run(main())


def test_a_failed_store_fails_that_message_and_the_guard_forgets_its_update():
    @dataclass
    class Failing(Hooks):
        async def store(self, draft_id, update, author):
            if b"doomed" in update:
                raise OSError("disk full")
            return await super().store(draft_id, update, author)

    async def main():
        hooks = Failing()
        room = make_room(hooks)
        a, b = Conn(Who(1, 10)), Conn(Who(2, 20))
        tb = asyncio.create_task(room.serve(b, b.messages()))
        client = room.join(a)
        try:
            await room.handle(client, protocol.sync_message(Step.UPDATE, edit_update("doomed")))
        except OSError:
            pass  # the web layer closes that connection with 1011 (web/ws.py)
        else:
            raise AssertionError("the store's failure was swallowed")
        finally:
            room.leave(client)
        # the room and its guard hold nothing of it: the same text from another client is
        # an edit like any other, stored and sent
        kept = edit_update("kept")
        await b.inbox.put(protocol.sync_message(Step.UPDATE, kept))
        await settle(b)
        assert [u for u, _ in hooks.log] == [kept]
        assert "doomed" not in str(room.guard.doc.get("t", type=Text))
        assert str(room.doc.get("t", type=Text)) == "kept"
        await b.inbox.put(None)
        await tb
    asyncio.run(main())


def test_the_guard_refuses_a_paragraph_id_taken_twice_however_it_is_written():
    """A paragraph's id is what amendments and history refer to: a client's update that
    gives one to a second paragraph is refused, whether it adds the paragraph or renames
    one (one already there, or one added since the guard was made); typing is not."""
    import pytest
    from pycrdt import Array, Map

    from penholder.sync.guard import Forbidden

    client = Doc()
    paragraphs = client.get("paragraphs", type=Array)
    paragraphs.append(Map({"id": "pp1", "text": Text("first")}))
    paragraphs.append(Map({"id": "pp2", "text": Text("second")}))
    guard = Guard(client.get_update())

    def edit(change) -> bytes:  # type: ignore[no-untyped-def]
        before = client.get_state()
        change()
        return client.get_update(before)

    assert guard.check(edit(lambda: paragraphs[0]["text"].insert(0, "typed ")))
    with pytest.raises(Forbidden, match="already taken"):
        Guard(client.get_update()).check(edit(lambda: paragraphs[1].__setitem__("id", "pp1")))
    paragraphs[1]["id"] = "pp2"
    guard = Guard(client.get_update())
    assert guard.check(edit(lambda: paragraphs.append(Map({"id": "op1", "text": Text("new")}))))
    assert guard.check(edit(lambda: paragraphs[2].__setitem__("id", "op2")))  # a fresh id: fine
    with pytest.raises(Forbidden, match="already taken"):
        guard.check(edit(lambda: paragraphs[2].__setitem__("id", "pp2")))  # added since, renamed
