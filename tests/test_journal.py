"""The update journal of a single server on SQLite: an update is in the journal before it
is broadcast and in the SQL log right after; what a killed server left in the journal is
logged at the next start, once, with its author and time."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pycrdt import Doc, Text
from sqlalchemy.orm import Session

from penholder.store import make_engine, migrate, updates_after
from penholder.store.journal import Entry, Journal, JournalBusy, decode_all, encode, journal_path
from penholder.sync.hooks import Author
from penholder.sync.persistence import SqlHooks
from seeds import empty_draft
from server import PENHOLDER, ROOT, Server
from yclient import YClient

T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def typed(word: str) -> bytes:
    """An update as a client sends it, the same bytes each time for the same word."""
    d = Doc(client_id=len(word) + 1000 * sum(map(ord, word)))
    d["t"] = Text(word)
    return d.get_update()


def entry(seq: int, data: bytes = b"u", origin: str | None = None) -> Entry:
    return Entry(7, seq, data, 3, None if seq % 2 else 5, origin, T0 + timedelta(seconds=seq))


def test_records_read_back_up_to_the_first_torn_or_damaged_one():
    records = [encode(entry(i, bytes([i]) * i, "amendment:4" if i == 2 else None)) for i in (1, 2, 3)]
    whole = b"".join(records)
    assert decode_all(whole) == [entry(1, b"\x01", None), entry(2, b"\x02\x02", "amendment:4"),
                                 entry(3, b"\x03" * 3, None)]
    # a write cut short by the crash: its update was never broadcast
    for cut in range(1, len(records[2])):
        assert len(decode_all(whole[:-cut])) == 2
    damaged = bytearray(whole)
    damaged[len(records[0]) + 12] ^= 0xFF
    assert decode_all(bytes(damaged)) == [entry(1, b"\x01")]


def test_one_process_holds_a_journal(tmp_path):
    first = Journal(tmp_path / "db-updates")
    with pytest.raises(JournalBusy, match="another penholder process"):
        Journal(tmp_path / "db-updates")
    first.close()
    Journal(tmp_path / "db-updates").close()  # free again


def test_the_journal_sits_beside_a_sqlite_file_only(tmp_path):
    assert journal_path(make_engine(f"sqlite:///{tmp_path}/p.db")) == tmp_path / "p.db-updates"
    assert journal_path(make_engine("sqlite://")) is None
    assert journal_path(make_engine("postgresql+psycopg://u@127.0.0.1/x")) is None


@pytest.fixture
def sqlite_draft(tmp_path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = make_engine(url)
    migrate(engine)
    draft, user_id, delegation_id = empty_draft(engine)
    yield engine, draft, Author(user_id, delegation_id, None), tmp_path / "p.db-updates"
    engine.dispose()


def logged(engine, draft: int) -> list[tuple[int, bytes, int, int | None]]:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        return [(u.seq, u.data, u.user_id, u.delegation_id) for u in updates_after(db, draft)]


def test_an_update_is_journaled_at_once_and_logged_at_commit(sqlite_draft):
    engine, draft, author, path = sqlite_draft

    async def main():
        hooks = SqlHooks(engine, journal=path)
        assert hooks.store_now(str(draft), b"one", author) == 1
        assert hooks.store_now(str(draft), b"two", author) == 2
        assert logged(engine, draft) == []  # not yet: the room broadcasts first
        assert [e.data for e in decode_all(path.read_bytes())] == [b"one", b"two"]
        hooks.commit()
        assert logged(engine, draft) == [(1, b"one", author.user_id, author.delegation_id),
                                         (2, b"two", author.user_id, author.delegation_id)]
        assert path.read_bytes() == b""  # everything in it is logged
        # without a room to commit after it, store() commits before returning
        assert await hooks.store(str(draft), b"three", author) == 3
        assert [s for s, *_ in logged(engine, draft)] == [1, 2, 3]
        hooks.close()

    asyncio.run(main())


def test_what_a_killed_server_left_in_the_journal_is_logged_once_at_the_next_start(sqlite_draft):
    engine, draft, author, path = sqlite_draft

    async def killed():
        hooks = SqlHooks(engine, journal=path)
        hooks.store_now(str(draft), b"logged", author)
        hooks.commit()
        hooks.store_now(str(draft), b"broadcast, never logged", author)
        # killed between the broadcast and the commit: the journal holds the update; it
        # also holds the first one again, as if killed between a commit and the truncate
        raw = path.read_bytes()
        hooks.journal.close()  # the process ends here: nothing commits, nothing empties the journal
        path.write_bytes(encode(Entry(draft, 1, b"logged", author.user_id, author.delegation_id, None, T0)) + raw)

    asyncio.run(killed())
    assert [d for _, d, *_ in logged(engine, draft)] == [b"logged"]
    hooks = SqlHooks(engine, journal=path)
    assert hooks.recover() == 1
    assert logged(engine, draft) == [(1, b"logged", author.user_id, author.delegation_id),
                                     (2, b"broadcast, never logged", author.user_id, author.delegation_id)]
    assert path.read_bytes() == b""
    assert hooks.recover() == 0
    hooks.close()


def test_a_failed_commit_keeps_the_journal_and_is_retried(sqlite_draft, monkeypatch):
    engine, draft, author, path = sqlite_draft

    async def main():
        hooks = SqlHooks(engine, journal=path)
        hooks.RETRY_S = 0.05
        real, calls = hooks.log.append, []

        def flaky(*args, **kw):  # type: ignore[no-untyped-def]
            calls.append(args)
            if len(calls) == 1:
                raise sqlite3.OperationalError("disk I/O error")
            return real(*args, **kw)

        monkeypatch.setattr(hooks.log, "append", flaky)
        hooks.store_now(str(draft), b"one", author)
        hooks.commit()
        assert logged(engine, draft) == [] and len(decode_all(path.read_bytes())) == 1
        hooks.store_now(str(draft), b"two", author)  # journaled meanwhile, after it
        await asyncio.sleep(0.3)
        assert [(s, d) for s, d, *_ in logged(engine, draft)] == [(1, b"one"), (2, b"two")]
        assert path.read_bytes() == b""
        hooks.close()

    asyncio.run(main())


def test_a_second_server_on_the_same_file_commits_before_broadcasting(sqlite_draft):
    engine, draft, author, path = sqlite_draft
    first = SqlHooks(engine, journal=path)
    second = SqlHooks(engine, journal=path)
    assert first.journal is not None and second.journal is None
    assert second.store_now(str(draft), b"one", author) == 1
    assert [s for s, *_ in logged(engine, draft)] == [1]
    first.close()
    second.close()


def test_an_edit_broadcast_but_not_yet_logged_survives_sigkill(tmp_path: Path):
    """The real server: the test holds SQLite's write lock, so the server can broadcast an
    edit (journaled) but not log it; it is killed while waiting for the lock. At the next
    start the edit is in the log and the text."""
    db = tmp_path / "penholder.db"
    s = Server(f"sqlite:///{db}")
    s.seed([("fr", "France", "penholder"), ("eg", "Egypt", "penholder")])
    s.start()
    try:
        async def main() -> str:
            a = await YClient(s.ws(s.tokens["fr"])).connect()
            b = await YClient(s.ws(s.tokens["eg"])).connect()
            a.insert("res-79-53.pp2", 0, "<logged>")
            await b.wait_for(lambda: "<logged>" in str(b.text("res-79-53.pp2")))
            lock = sqlite3.connect(db, timeout=1)
            lock.execute("BEGIN IMMEDIATE")  # the server's next commit waits for this
            try:
                a.insert("res-79-53.pp2", 0, "<journaled>")
                await b.wait_for(lambda: "<journaled>" in str(b.text("res-79-53.pp2")))
                seen = str(b.text("res-79-53.pp2"))
                s.kill()
            finally:
                lock.rollback()
                lock.close()
            return seen

        seen = asyncio.run(main())
        assert (tmp_path / "penholder.db-updates").stat().st_size > 0
        # an export before the server is back logs the journal first
        out = tmp_path / "draft.md"
        done = subprocess.run([*PENHOLDER, "export", str(s.draft_id), "--format", "md", "-o", str(out),
                               "--database-url", s.database_url], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "logged 1 updates a stopped server had left in its journal" in done.stderr
        assert "<journaled>" in out.read_text().replace("\\", "")  # markdown escapes "<" and ">"
        assert (tmp_path / "penholder.db-updates").stat().st_size == 0
        s.start()
        body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
        text = next(p["text"] for p in body["preamble"] if p["id"] == "res-79-53.pp2")
        assert text == seen and "<journaled>" in text
        history = s.get(f"/api/drafts/{s.draft_id}/history", s.tokens["fr"]).json()["entries"]
        assert [e["delegation"] for e in history[2:]] == ["France", "France"]  # logged once
    finally:
        s.stop()


def test_a_room_snapshots_its_document_and_the_next_load_starts_from_it(sqlite_draft):
    from penholder.store import latest_snapshot
    from penholder.sync.persistence import load_state
    from penholder.sync.room import Room

    engine, draft, author, path = sqlite_draft

    async def main():
        hooks = SqlHooks(engine, journal=path, snapshot_every=2)
        room = Room(str(draft), Doc(), hooks)
        for word in ("aa", "bb", "cc"):
            await room.receive_update(typed(word), author)
            room.settle()
        await asyncio.gather(*hooks._background)
        hooks.close()

    asyncio.run(main())
    with Session(engine) as db:
        snap = latest_snapshot(db, draft)
        assert snap is not None and snap.upto_seq == 2
        d = Doc()
        d.apply_update(snap.state)
        assert len(str(d.get("t", type=Text))) == 4
    loaded = load_state(engine, draft)
    assert loaded.seq == 3 and len(str(loaded.doc.get("t", type=Text))) == 6


def test_another_writer_to_the_log_moves_the_seqs_on_not_over(sqlite_draft):
    from penholder.store import append_update

    engine, draft, author, path = sqlite_draft

    def outside(word: str) -> None:  # e.g. another process on the same file
        with Session(engine) as db, db.begin():
            append_update(db, draft, typed(word), user_id=author.user_id)

    async def main():
        hooks = SqlHooks(engine, journal=path)
        assert hooks.store_now(str(draft), typed("one"), author) == 1
        hooks.commit()
        outside("outside")
        # announced as 2 (the hooks' own count), logged at 3: the log is never overwritten
        assert hooks.store_now(str(draft), typed("two"), author) == 2
        hooks.commit()
        assert [(s, d) for s, d, *_ in logged(engine, draft)] == [
            (1, typed("one")), (2, typed("outside")), (3, typed("two"))]
        assert int(draft) in hooks._foreign  # its snapshots come from the log now
        await hooks.unload(str(draft), None)  # type: ignore[arg-type]
        outside("outside again")
        assert hooks.store_now(str(draft), typed("three"), author) == 5  # counted afresh after unload
        hooks.commit()
        assert [s for s, *_ in logged(engine, draft)] == [1, 2, 3, 4, 5]
        hooks.close()

    asyncio.run(main())


def test_a_load_replays_a_long_log_in_merged_batches_to_the_same_text(sqlite_draft):
    """Across batch boundaries, from the log alone and from a snapshot part way."""
    from penholder.store import append_update, save_snapshot
    from penholder.sync.persistence import load_state
    from penholder.sync.replay import MERGED

    engine, draft, author, path = sqlite_draft
    live = Doc()
    live["t"] = text = Text()
    updates: list[bytes] = []
    live.observe(lambda e: updates.append(e.update))
    for i in range(MERGED * 2 + 7):
        text.insert(0 if i % 3 else len(text), "abcdefg"[i % 7])
    with Session(engine) as db, db.begin():
        for u in updates:
            append_update(db, draft, u, user_id=author.user_id)
    loaded = load_state(engine, draft)
    assert loaded.seq == len(updates) and str(loaded.doc.get("t", type=Text)) == str(text)
    part = Doc()
    for u in updates[:MERGED + 3]:
        part.apply_update(u)
    with Session(engine) as db, db.begin():
        save_snapshot(db, draft, MERGED + 3, part.get_update())
    loaded = load_state(engine, draft)
    assert loaded.seq == len(updates) and str(loaded.doc.get("t", type=Text)) == str(text)


def test_a_write_cut_short_leaves_no_torn_record_behind(tmp_path, monkeypatch):
    import penholder.store.journal as journal_module

    j = Journal(tmp_path / "j")
    j.append(entry(1))
    real = journal_module.os.write

    def short(fd, data):  # type: ignore[no-untyped-def]
        return real(fd, data[: len(data) // 2])  # a full disk

    monkeypatch.setattr(journal_module.os, "write", short)
    with pytest.raises(OSError, match="short write"):
        j.append(entry(2))
    monkeypatch.setattr(journal_module.os, "write", real)
    j.append(entry(3))
    assert decode_all((tmp_path / "j").read_bytes()) == [entry(1), entry(3)]
    j.close()


def test_without_a_writable_journal_the_server_commits_before_broadcasting(sqlite_draft, caplog):
    engine, draft, author, path = sqlite_draft
    hooks = SqlHooks(engine, journal=path.parent / "no such directory" / "p.db-updates")
    assert hooks.journal is None and "no update journal" in caplog.text
    assert hooks.store_now(str(draft), b"one", author) == 1
    assert [s for s, *_ in logged(engine, draft)] == [1]
    hooks.close()
