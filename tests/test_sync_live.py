"""The live-sync path against a real server in the test process: exports of a room being
typed in, what a client may not write, presence limits, revoked tokens, and a database
another process holds locked."""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from pycrdt import Array, Map, Text
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from live import LiveServer
from penholder.auth.tokens import revoke
from penholder.store import make_engine
from penholder.store.tables import Update
from penholder.sync import protocol
from penholder.sync.protocol import AwarenessEntry
from penholder.sync.room import CLOSE_PRESENCE_TOO_BIG, CLOSE_PRESENCE_TOO_FAST
from yclient import YClient

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "penholder"), ("obs", "Holy See", "observer"),
         ("sec", None, "secretariat"), ("gh", "Ghana", "delegate")]
PP7 = "res-79-53.pp7"
PP2 = "res-79-53.pp2"


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    s = LiveServer(database_url)
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def rechecking(database_url: str) -> Iterator[LiveServer]:
    """A server that checks an open socket's token again every quarter second (create_app's
    `recheck_s`; 2 s by default): the tests that wait for that check wait less, and the
    one that edits until it comes edits less."""
    s = LiveServer(database_url, recheck_s=0.25)
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def sqlite_server(tmp_path) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    s = LiveServer(f"sqlite:///{tmp_path / 'penholder.db'}")
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


def text_of(body: dict, paragraph_id: str) -> str:
    for p in body["preamble"] + body["operative"]:
        if p["id"] == paragraph_id:
            return p["text"]
    raise KeyError(paragraph_id)


def log_count(s: LiveServer) -> int:
    engine = make_engine(s.database_url)
    try:
        with Session(engine) as db:
            return db.scalar(select(func.count()).select_from(Update).where(Update.draft_id == s.draft_id)) or 0
    finally:
        engine.dispose()


def test_exports_of_a_live_room_while_three_clients_type(sqlite_server: LiveServer, caplog):  # type: ignore[no-untyped-def]
    s = sqlite_server
    caplog.set_level(logging.WARNING)

    async def main() -> list[str]:
        clients = [await YClient(s.ws(s.tokens[who])).connect() for who in ("fr", "eg", "fr")]
        typing = True

        async def type_(k: int, c: YClient) -> None:
            i = 0
            while typing:
                text = c.text(PP2)
                c.insert(PP2, (i * 7) % max(1, len(str(text))), f"<{k}.{i}>")
                i += 1
                await asyncio.sleep(0.005)  # typing pace

        tasks = [asyncio.create_task(type_(k, c)) for k, c in enumerate(clients)]
        headers = {"Authorization": f"Bearer {s.tokens['sec']}"}
        async with httpx.AsyncClient(base_url=s.http, headers=headers, timeout=60) as http:
            answers = await asyncio.gather(*[
                http.get(f"/api/drafts/{s.draft_id}/export", params={"format": fmt})
                for fmt in ["md", "html"] * 10])
        typing = False
        await asyncio.gather(*tasks)
        for c in clients:
            await c.flush()
        for c in clients:
            await c.flush()  # every client has what the others' flushes stored
        assert [a.status_code for a in answers] == [200] * 20, [a.text[:200] for a in answers if a.status_code != 200]
        texts = [str(c.text(PP2)) for c in clients]
        for c in clients:
            await c.close()
        return texts

    texts = asyncio.run(main())
    assert texts[0] == texts[1] == texts[2] and texts[0].count("<") > 20
    body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
    assert text_of(body, PP2) == texts[0]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_what_the_server_owns_is_refused_and_never_logged(server: LiveServer):
    s = server

    async def write(edit) -> tuple[int | None, str | None]:  # type: ignore[no-untyped-def]
        c = await YClient(s.ws(s.tokens["fr"])).connect()
        edit(c.doc)
        return await c.closed()

    before = log_count(s)

    async def main() -> None:
        watcher = await YClient(s.ws(s.tokens["eg"])).connect()
        code, reason = await write(lambda d: d.get("proposals", type=Map).__setitem__(
            "99", {"number": 99, "sponsor": "Egypt", "new_text": "FORGED PROPOSAL"}))
        assert code == 4403 and "proposals" in (reason or "")
        code, reason = await write(lambda d: d.get("meta", type=Map).__setitem__("sponsors", ["Atlantis"]))
        assert code == 4403 and "meta.sponsors" in (reason or "")
        code, reason = await write(lambda d: d.get("paragraphs", type=Array).append(
            Map({"id": PP2, "kind": "pp", "level": 0, "text": Text("DUPLICATE")})))
        assert code == 4403 and "already taken" in (reason or "")
        # a new paragraph with a fresh id is an edit like any other
        fresh = await YClient(s.ws(s.tokens["fr"])).connect()
        fresh.doc.get("paragraphs", type=Array).append(Map({"id": "new-1", "kind": "op", "level": 0,
                                                            "text": Text("A fresh paragraph")}))
        await fresh.flush()
        assert fresh.close_code is None
        await watcher.flush()
        assert "FORGED" not in str(watcher.doc.get("proposals", type=Map).to_py())
        assert "Atlantis" not in str(watcher.doc.get("meta", type=Map).get("sponsors"))
        await fresh.close()
        await watcher.close()

    asyncio.run(main())
    assert log_count(s) == before + 1  # the fresh paragraph only
    md = s.get(f"/api/drafts/{s.draft_id}/export?format=md", s.tokens["sec"]).text
    assert "FORGED" not in md and "Atlantis" not in md and "DUPLICATE" not in md
    assert "A fresh paragraph" in md


def test_presence_is_bounded(server: LiveServer):
    s = server

    async def main() -> None:
        fr = await YClient(s.ws(s.tokens["fr"])).connect()
        await fr.send_raw(protocol.encode_awareness([AwarenessEntry(1, 1, '{"user":{"name":"x"},"cursor":null}')]))
        await fr.flush()
        flood = await YClient(s.ws(s.tokens["obs"])).connect()
        state = '{"user":{"name":"Observer"},"cursor":{"anchor":' + "1" * 50 + "}}"
        await flood.send_raw(protocol.encode_awareness([AwarenessEntry(1000 + i, 1, state) for i in range(10_000)]))
        code, reason = await flood.closed()
        assert code == CLOSE_PRESENCE_TOO_BIG and "client ids" in (reason or "")
        big = await YClient(s.ws(s.tokens["obs"])).connect()
        await big.send_raw(protocol.encode_awareness([AwarenessEntry(5, 1, '{"x":"' + "y" * 100_000 + '"}')]))
        code, reason = await big.closed()
        assert code == CLOSE_PRESENCE_TOO_BIG and "bytes" in (reason or "")
        fast = await YClient(s.ws(s.tokens["obs"])).connect()
        for clock in range(1, 5000):  # a flood, far past what a person's cursor sends
            await fast.send_raw(protocol.encode_awareness([AwarenessEntry(7, clock, '{"user":{}}')]))
            if fast.close_code is not None:
                break
        code, reason = await fast.closed()
        assert code == CLOSE_PRESENCE_TOO_FAST and "a second" in (reason or "")
        joiner = await YClient(s.ws(s.tokens["eg"])).connect()
        await joiner.flush()
        assert 0 < joiner.received < 1_000_000
        assert set(joiner.awareness) <= {1, 7}  # the flood never reached anyone
        for c in (fr, joiner):
            await c.close()

    asyncio.run(main())


def test_a_revoked_token_closes_its_open_socket_within_seconds(rechecking: LiveServer):
    s = rechecking

    async def main() -> None:
        c = await YClient(s.ws(s.tokens["eg"])).connect()
        tab = await YClient(s.ws(s.tokens["eg"])).connect()  # a second socket on the same token
        other = await YClient(s.ws(s.tokens["fr"])).connect()
        engine = make_engine(s.database_url)
        try:
            assert revoke(engine, s.tokens["eg"])
        finally:
            engine.dispose()
        start = time.monotonic()
        for closed in (c, tab):
            code, reason = await closed.closed(timeout=5)
            assert code == 4401 and "revoked" in (reason or "")
        assert time.monotonic() - start < 5
        other.insert(PP2, 0, "[fr still here] ")  # another delegation's socket stays open
        await other.flush()
        assert other.close_code is None
        await other.close()

    asyncio.run(main())


def test_a_signed_out_session_closes_its_open_socket_within_seconds(rechecking: LiveServer):
    """The same re-check for a browser signed in by cookie: signing out (here from another
    request of the same browser) closes the socket the page has open."""
    from penholder.auth.passwords import hash_password
    from penholder.store.tables import User

    s = rechecking
    engine = make_engine(s.database_url)
    try:
        with Session(engine) as db, db.begin():
            db.query(User).filter_by(name="eg").one().password_hash = hash_password("a password for eg")
    finally:
        engine.dispose()
    browser = httpx.Client(base_url=s.http)
    r = browser.post("/api/session", json={"login": "eg", "password": "a password for eg"})
    assert r.status_code == 200, r.text
    cookie = f"penholder_session={browser.cookies['penholder_session']}"

    async def main() -> None:
        c = await YClient(f"ws://127.0.0.1:{s.port}/ws/drafts/{s.draft_id}", headers={"Cookie": cookie}).connect()
        out = await asyncio.to_thread(browser.delete, "/api/session",
                                      headers={"X-CSRF-Token": browser.cookies["penholder_csrf"]})
        assert out.status_code == 200, out.text
        start = time.monotonic()
        code, reason = await c.closed(timeout=5)
        assert code == 4401 and "session has ended" in (reason or ""), (code, reason)
        assert time.monotonic() - start < 5

    try:
        asyncio.run(main())
    finally:
        browser.close()


def test_a_database_locked_by_another_process_stalls_no_one(sqlite_server: LiveServer):
    """Another process holds SQLite's write lock while clients type: REST answers while the
    lock is still held (the holder lets go only when the probes are done, so a loop waiting
    on the lock could answer none of them), the edits go out once it is released, and they
    are all stored."""
    s = sqlite_server
    path = s.database_url.removeprefix("sqlite:///")
    # The holder lets go when told on stdin, or when this test's process goes away.
    holder_code = ("import sqlite3, sys\n"
                   "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                   "c.execute('BEGIN IMMEDIATE')\n"
                   "print('locked', flush=True)\n"
                   "sys.stdin.readline()\n"
                   "c.execute('ROLLBACK')\n")
    marker = re.compile(r"\{\d+\.\d+\}")

    async def main() -> set[str]:
        clients = [await YClient(s.ws(s.tokens[who])).connect() for who in ("fr", "eg", "fr")]
        holder = subprocess.Popen([sys.executable, "-c", holder_code, path],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert (await asyncio.to_thread(holder.stdout.readline)) == b"locked\n"
            typed = set()
            for i in range(10):
                for k, c in enumerate(clients):
                    c.insert(PP2, 0, f"{{{k}.{i}}}")
                    typed.add(f"{{{k}.{i}}}")
            headers = {"Authorization": f"Bearer {s.tokens['fr']}"}
            # SQLite's busy timeout is far longer than this: a loop stuck on the lock times out.
            async with httpx.AsyncClient(base_url=s.http, headers=headers, timeout=10) as http:
                for _ in range(5):
                    for path_ in ("/api/me", f"/api/drafts/{s.draft_id}", f"/api/drafts/{s.draft_id}/history"):
                        r = await http.get(path_)
                        assert r.status_code == 200, (path_, r.status_code, r.text[:200])
            assert holder.poll() is None, "the lock was let go before the probes ended"
        finally:
            holder.stdin.write(b"release\n")
            holder.stdin.close()
            await asyncio.to_thread(holder.wait)
        for c in clients:
            await c.flush(timeout=30)
        for c in clients:
            await c.flush(timeout=30)
            assert {m for m in marker.findall(str(c.text(PP2)))} == typed
        for c in clients:
            await c.close()
        return typed

    typed = asyncio.run(main())
    s.stop()
    s.start()
    body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
    assert set(marker.findall(text_of(body, PP2))) == typed


def test_rest_changes_to_a_closed_draft_write_no_snapshot_each(server: LiveServer):
    from penholder.store.tables import Snapshot

    s = server

    def snapshots() -> int:
        engine = make_engine(s.database_url)
        try:
            with Session(engine) as db:
                return db.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.draft_id == s.draft_id)) or 0
        finally:
            engine.dispose()

    before, logged = snapshots(), log_count(s)
    for n in range(1, 6):  # each loads the draft's room, changes meta.symbol, unloads it
        r = s.post(f"/api/drafts/{s.draft_id}/table", s.tokens["sec"], json={"symbol": f"A/C.1/81/L.{n}"})
        assert r.status_code == 200, r.text
    assert log_count(s) == logged + 5
    assert snapshots() == before
    body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
    assert body["symbol"] == "A/C.1/81/L.5"


def test_a_role_change_applies_to_an_open_socket(rechecking: LiveServer):
    from penholder.store.tables import User

    s = rechecking

    async def main() -> None:
        c = await YClient(s.ws(s.tokens["eg"])).connect()
        c.insert(PP2, 0, "[as penholder] ")
        await c.flush()
        engine = make_engine(s.database_url)
        try:
            with Session(engine) as db, db.begin():
                db.scalars(select(User).where(User.name == "eg")).one().kind = "observer"  # a main sponsor's observer: observer
        finally:
            engine.dispose()
        start = time.monotonic()
        # the next edits are stored until the socket's token is checked again;
        # then the observer's edit is refused
        with pytest.raises(ConnectionError):
            while time.monotonic() - start < 5:
                c.insert(PP2, 0, "+")
                await c.flush()
        assert c.close_code == 4403 and "read-only" in (c.close_reason or "")

    asyncio.run(main())


def propose(s: LiveServer, new_text: str) -> dict:
    r = s.post(f"/api/drafts/{s.draft_id}/amendments", s.tokens["gh"], json={
        "operation": "replace_text", "paragraph_id": PP7, "target_text": "both women and men",
        "new_text": new_text})
    assert r.status_code == 201, r.text
    return r.json()


def test_the_proposals_view_is_published_not_logged(server: LiveServer):
    """Filing and withdrawing reach the open room's clients and its joiners; the log
    (the text's audit trail) does not change, and a draft nobody has open is not loaded."""
    s = server
    before = log_count(s)
    first = propose(s, "everyone")  # nobody has the draft open

    async def main() -> None:
        live = await YClient(s.ws(s.tokens["fr"])).connect()
        proposals = live.doc.get("proposals", type=Map)
        await live.wait_for(lambda: "1" in proposals)  # a joiner receives the current view
        assert proposals["1"]["sponsor"] == "Ghana" and proposals["1"]["new_text"] == "everyone"
        propose(s, "all people")
        await live.wait_for(lambda: "2" in proposals)
        r = s.post(f"/api/amendments/{first['id']}/withdraw", s.tokens["gh"], json={})
        assert r.status_code == 200, r.text
        await live.wait_for(lambda: "1" not in proposals)
        joiner = await YClient(s.ws(s.tokens["obs"])).connect()
        await joiner.flush()
        assert sorted(joiner.doc.get("proposals", type=Map).keys()) == ["2"]
        await joiner.close()
        await live.close()

    asyncio.run(main())
    assert log_count(s) == before


def test_comment_counts_are_published_not_logged(server: LiveServer):
    """A comment posted while a client has the draft open shows its count in that
    client's `comments` map, resolving it updates the count, and none of it is logged;
    a client may not write the counts itself."""
    s = server
    before = log_count(s)

    async def main() -> None:
        live = await YClient(s.ws(s.tokens["fr"])).connect()
        counts = live.doc.get("comments", type=Map)
        r = s.post(f"/api/drafts/{s.draft_id}/comments", s.tokens["gh"],
                   json={"paragraph_id": PP7, "text": "Could PP7 say 'everyone'?"})
        assert r.status_code == 201, r.text
        thread = r.json()["id"]
        key = f"paragraph:{PP7}"
        await live.wait_for(lambda: key in counts)
        assert counts[key]["open"] == 1 and counts[key]["comments"] == 1
        assert s.post(f"/api/comments/{thread}/resolve", s.tokens["fr"]).status_code == 200
        await live.wait_for(lambda: counts[key]["open"] == 0)
        joiner = await YClient(s.ws(s.tokens["obs"])).connect()
        await joiner.flush()
        assert joiner.doc.get("comments", type=Map).to_py()[key]["comments"] == 1
        await joiner.close()
        code, reason = await write(lambda d: d.get("comments", type=Map).__setitem__(key, {"open": 9}))
        assert code == 4403 and "comments" in (reason or "")
        await live.close()

    async def write(change):  # type: ignore[no-untyped-def]
        c = await YClient(s.ws(s.tokens["eg"])).connect()
        change(c.doc)
        return await c.closed()

    asyncio.run(main())
    assert log_count(s) == before


def test_a_client_that_kept_an_earlier_view_is_brought_up_to_date(server: LiveServer):
    """A client keeps its document across a server restart; the proposal withdrawn
    meanwhile disappears from it when it reconnects (the view items it sends back are
    taken in and overwritten), and none of it is logged."""
    s = server
    first = propose(s, "everyone")
    propose(s, "all people")

    async def before_restart():  # type: ignore[no-untyped-def]
        c = await YClient(s.ws(s.tokens["obs"])).connect()
        await c.wait_for(lambda: len(c.doc.get("proposals", type=Map)) == 2)
        await c.close()
        return c.doc

    kept = asyncio.run(before_restart())
    s.stop()
    s.start()
    assert s.post(f"/api/amendments/{first['id']}/withdraw", s.tokens["gh"], json={}).status_code == 200
    logged = log_count(s)

    async def after_restart() -> None:
        c = await YClient(s.ws(s.tokens["obs"]), doc=kept).connect()  # an observer: may not edit
        await c.flush()
        await c.flush()
        assert sorted(c.doc.get("proposals", type=Map).keys()) == ["2"]
        assert c.close_code is None
        await c.close()

    asyncio.run(after_restart())
    assert log_count(s) == logged


def test_a_client_cannot_write_under_the_views_client_id(server: LiveServer):
    from pycrdt import Doc

    from penholder.sync.view import VIEW_FLOOR

    s = server

    async def main() -> None:
        c = await YClient(s.ws(s.tokens["fr"])).connect()
        forger = Doc(client_id=VIEW_FLOOR + 7)
        forger.apply_update(c.doc.get_update())
        before = forger.get_state()
        for p in forger.get("paragraphs", type=Array):
            if p["id"] == PP2:
                p["text"].insert(0, "FORGED ")
        await c.send_raw(protocol.sync_message(protocol.Step.UPDATE, forger.get_update(before)))
        code, reason = await c.closed()
        assert code == 4403 and "server only" in (reason or "")

    before = log_count(s)
    asyncio.run(main())
    assert log_count(s) == before
    body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
    assert "FORGED" not in text_of(body, PP2)
