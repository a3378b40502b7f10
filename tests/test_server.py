"""The server as its users meet it: REST with tokens and JSON errors, the live text over
y-websocket, attribution in the history, and durability across a SIGKILL; on SQLite
and on PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator

import pytest
import websockets
from pycrdt import Array, Doc, Text

from inprocess import App, running
from live import LiveServer
from penholder.sync import protocol
from penholder.sync.protocol import Step
from server import Server
from yclient import YClient

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "penholder"), ("gh", "Ghana", "delegate"),
         ("obs", "Holy See", "observer"), ("fac", None, "facilitator")]
PP2 = "res-79-53.pp2"


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """The app on uvicorn in this process (real sockets, no process to start)."""
    s = LiveServer(database_url)
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def process(database_url: str) -> Iterator[Server]:
    """`penholder serve` in a process of its own, for the tests that kill it."""
    s = Server(database_url)
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    """The REST API in process: no server subprocess needed to ask it."""
    with running(database_url, USERS) as a:
        yield a


def text_of(body: dict, paragraph_id: str) -> str:
    for p in body["preamble"] + body["operative"]:
        if p["id"] == paragraph_id:
            return p["text"]
    raise KeyError(paragraph_id)


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


# -- REST -----------------------------------------------------------------------------------

def test_rest_reads_the_zero_draft_with_a_token(app: App):
    fr = app.tokens["fr"]
    drafts = app.get("/api/drafts", fr).json()["drafts"]
    assert [d["id"] for d in drafts] == [app.draft_id]
    assert drafts[0]["base_symbol"] == "A/RES/79/53" and drafts[0]["session"] == 81
    body = app.get(f"/api/drafts/{app.draft_id}", fr).json()
    assert body["kind"] == "resolution" and body["symbol"] == "A/C.1/81/L.__"
    assert len(body["preamble"]) == 29 and len(body["operative"]) == 28
    assert "77/64 of 7 December 2022 and 79/53 of 2 December 2024" in body["preamble"][0]["text"]
    assert body["operative"][27]["text"].startswith("Decides to include in the provisional agenda of its eighty-third session")


def test_rest_refusals_are_json_with_the_right_status(app: App):
    r = app.get("/api/drafts")
    assert r.status_code == 401 and "not signed in" in r.json()["error"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = app.get("/api/drafts", "not-a-token")
    assert r.status_code == 401 and r.json() == {"error": "unknown, expired or revoked token"}
    r = app.get("/api/drafts/999", app.tokens["fr"])
    assert r.status_code == 404 and r.json() == {"error": "no draft 999"}
    r = app.get("/api/nothing-here", app.tokens["fr"])
    assert r.status_code == 404 and "error" in r.json()
    r = app.post("/api/drafts", app.tokens["obs"], json={"from": "A/RES/79/53"})
    assert r.status_code == 403 and r.json() == {"error": "an observer may not edit (only a penholder or the Secretariat may)"}
    r = app.post("/api/drafts", app.tokens["fr"], json={"from": "A/RES/12/3"})
    assert r.status_code == 404 and "no prior resolution A/RES/12/3" in r.json()["error"]
    r = app.post("/api/drafts", app.tokens["fr"], content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()
    r = app.get(f"/api/drafts/{app.draft_id}/history?limit=zero", app.tokens["fr"])
    assert r.status_code == 422 and "'limit' must be a whole number" in r.json()["error"]
    assert len(app.get("/api/drafts", app.tokens["fr"]).json()["drafts"]) == 1  # nothing created


def test_create_from_prior_and_from_upload(app: App, tmp_path):
    fr = app.tokens["fr"]
    r = app.post("/api/drafts", fr, json={"from": "A/RES/78/70"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == f"/api/drafts/{created['id']}"
    assert created["session"] == 80 and created["committee"] == "Fourth Committee"  # 76/74, 78/70: every 2
    upload = (server_root() / "drafts" / "A_RES_75_59.txt").read_bytes()
    r = app.post("/api/drafts", fr, files={"file": ("75_59.txt", upload, "text/plain")})
    assert r.status_code == 201, r.text
    body = app.get(f"/api/drafts/{r.json()['id']}", fr).json()
    assert body["session"] == 77 and len(body["operative"]) == 31
    r = app.post("/api/drafts", fr, files={"file": ("junk.bin", bytes(range(256)) * 10, "application/octet-stream")})
    assert r.status_code == 422 and "binary" in r.json()["error"]


def server_root():  # type: ignore[no-untyped-def]
    from server import ROOT
    return ROOT


def test_history_shows_the_seed_then_the_technical_update(app: App):
    h = app.get(f"/api/drafts/{app.draft_id}/history", app.tokens["fac"]).json()
    first, second = h["entries"][:2]
    assert first["origin"] == "seed:A/RES/79/53" and first["technical"]
    assert second["origin"] == "technical" and second["role"] == "secretariat" and second["delegation"] is None
    targets = {c["target"] for c in second["changes"]}
    assert {"paragraph:res-79-53.pp1", "paragraph:res-79-53.op26", "heading:session"} <= targets


def test_openapi_describes_the_routes(app: App):
    assert app.get("/api/openapi.json").status_code == 401
    spec = app.get("/api/openapi.json", app.tokens["obs"]).json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/drafts", "/api/drafts/{draft_id}", "/api/drafts/{draft_id}/history"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


# -- live editing ---------------------------------------------------------------------------

def test_two_clients_edit_one_paragraph_and_converge(server: Server):
    async def main():
        a = await YClient(server.ws(server.tokens["fr"])).connect()
        b = await YClient(server.ws(server.tokens["eg"])).connect()
        original = str(a.text(PP2))
        a.insert(PP2, len("Expressing grave concern"), " [FR]")
        b.insert(PP2, len(original) - 1, " [EG]")
        for c in (a, b):
            await c.wait_for(lambda c=c: "[FR]" in str(c.text(PP2)) and "[EG]" in str(c.text(PP2)))
        assert str(a.text(PP2)) == str(b.text(PP2))
        merged = str(a.text(PP2))
        await a.close()
        await b.close()
        return merged

    merged = run(main())
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["obs"]).json()
    assert text_of(body, PP2) == merged
    assert merged.startswith("Expressing grave concern [FR] over") and merged.endswith(" [EG],")
    # attributed in the history to the delegation that typed it
    entries = server.get(f"/api/drafts/{server.draft_id}/history?after=2", server.tokens["fac"]).json()["entries"]
    by = {e["delegation"] for e in entries if any(c["target"] == f"paragraph:{PP2}" for c in e["changes"])}
    assert by == {"France", "Egypt"}


def test_offline_edits_merge_on_reconnect(server: Server):
    async def main():
        a = await YClient(server.ws(server.tokens["fr"])).connect()
        offline = Doc()
        offline.apply_update(a.doc.get_update())
        await a.close()
        # France keeps editing its copy while disconnected; Egypt edits online meanwhile.
        b = await YClient(server.ws(server.tokens["eg"])).connect()
        b.insert(PP2, 0, "[EG online] ")
        await b.flush()
        t = [p for p in offline.get("paragraphs", type=Array) if p["id"] == PP2][0]["text"]
        t.insert(0, "[FR offline] ", {"italic": None})
        a2 = await YClient(server.ws(server.tokens["fr"]), doc=offline).connect()
        for c in (a2, b):
            await c.wait_for(lambda c=c: "[FR offline]" in str(c.text(PP2)) and "[EG online]" in str(c.text(PP2)))
        await a2.close()
        await b.close()
    run(main())
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["fr"]).json()
    assert "[FR offline]" in text_of(body, PP2) and "[EG online]" in text_of(body, PP2)


def test_kill_9_during_twenty_client_editing_loses_no_acknowledged_update(process: Server):
    """Twenty editors type; a watcher sees what the server broadcast, which it does only
    once stored. The server is killed mid-typing: everything the watcher saw is there
    after the restart."""
    server = process
    marker = re.compile(r"\[(\d+)\.(\d+)\]")

    async def main() -> tuple[set[str], str]:
        watcher = await YClient(server.ws(server.tokens["fr"])).connect()
        editors = [await YClient(server.ws(server.tokens["fr" if k % 2 else "eg"])).connect() for k in range(20)]
        typing = True

        async def type_(k: int, c: YClient) -> None:
            i = 0
            while typing:
                c.insert(PP2, 0, f"[{k}.{i}]")
                i += 1
                await asyncio.sleep(0.02)  # typing pace, not a barrier

        tasks = [asyncio.create_task(type_(k, c)) for k, c in enumerate(editors)]
        await watcher.wait_for(lambda: len(marker.findall(str(watcher.text(PP2)))) >= 200, 60)
        server.kill()  # SIGKILL while the editors go on typing
        typing = False
        await asyncio.gather(*tasks)
        await watcher.closed()  # what was on its way to the watcher is read too
        for c in editors:
            await c.close()
        return {m.group(0) for m in marker.finditer(str(watcher.text(PP2)))}, str(watcher.text(PP2))

    acknowledged, _ = run(main())
    server.start()
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["fr"]).json()
    stored = {m.group(0) for m in marker.finditer(text_of(body, PP2))}
    assert len(acknowledged) >= 200
    assert acknowledged - stored == set()


# -- refusals on the websocket ----------------------------------------------------------------

def test_websocket_without_a_valid_token_is_refused(server: Server):
    async def main():
        for url in (server.ws("").replace("?token=", ""), server.ws("forged")):
            c = YClient(url)
            with pytest.raises(ConnectionError):
                await c.connect()
            assert c.close_code == 4401 and c.close_reason
        c = YClient(server.ws(server.tokens["fr"], draft_id=999))
        with pytest.raises(ConnectionError):
            await c.connect()
        assert (c.close_code, c.close_reason) == (4404, "no draft 999")
    run(main())


def test_observer_update_refused_and_absent_from_the_log(server: Server):
    async def main():
        watcher = await YClient(server.ws(server.tokens["fr"])).connect()
        obs = await YClient(server.ws(server.tokens["obs"])).connect()  # reading is allowed
        assert len(str(obs.text(PP2))) > 100
        obs.insert(PP2, 0, "OBSERVER WAS HERE ")
        code, reason = await obs.closed()
        assert code == 4403 and "read-only" in reason
        await watcher.flush()
        assert "OBSERVER" not in str(watcher.text(PP2))
        await watcher.close()
    run(main())
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["fr"]).json()
    assert "OBSERVER" not in text_of(body, PP2)
    entries = server.get(f"/api/drafts/{server.draft_id}/history", server.tokens["fr"]).json()["entries"]
    assert all(e["delegation"] != "Holy See" for e in entries)


def test_delegate_cannot_edit_the_text_directly(server: Server):
    async def main():
        gh = await YClient(server.ws(server.tokens["gh"])).connect()
        gh.insert(PP2, 0, "GHANA ")
        code, reason = await gh.closed()
        assert code == 4403
    run(main())


def test_bad_messages_close_that_connection_and_the_room_goes_on(server: Server):
    update = Doc()
    update["x"] = Text("y")
    good = update.get_update()
    bad = [
        b"\x00\x02\x7f" + b"short",                                   # truncated
        protocol.sync_message(Step.UPDATE, good[:-4]),                # truncated update
        b"\x09\x00",                                                  # unknown message type
        b"\x00\x02" + protocol.varbytes(b"\x05\x00" + b"\xff" * 20),     # malformed update
        b"\x00\x02" + protocol.varbytes(b"\x00" * (5 * 1024 * 1024)),  # oversized
    ]

    async def main():
        steady = await YClient(server.ws(server.tokens["eg"])).connect()
        for data in bad:
            c = await YClient(server.ws(server.tokens["fr"])).connect()
            # The server may close while an oversized frame is still on its way.
            with contextlib.suppress(ConnectionError, websockets.ConnectionClosed):
                await c.send_raw(data)
            code, reason = await c.closed()
            assert code in (4400, 1009) and reason, (data[:10], code, reason)
        c = await YClient(server.ws(server.tokens["fr"])).connect()
        await c.ws.send("text frame")  # type: ignore[union-attr]
        code, reason = await c.closed()
        assert code == 4400 and "binary" in reason
        # the room and its other client go on
        steady.insert(PP2, 0, "[still here] ")
        fresh = await YClient(server.ws(server.tokens["fr"])).connect()
        await fresh.wait_for(lambda: "[still here]" in str(fresh.text(PP2)))
        await steady.close()
        await fresh.close()
    run(main())


def test_a_token_for_one_draft_opens_that_draft_only(server: Server):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from penholder.auth.tokens import issue_token
    from penholder.store import make_engine
    from penholder.store.tables import User

    other = server.post("/api/drafts", server.tokens["fr"], json={"from": "A/RES/78/70"}).json()["id"]
    engine = make_engine(server.database_url)
    with Session(engine) as db:
        user_id = db.scalars(select(User.id).where(User.name == "eg")).one()
    scoped = issue_token(engine, user_id, draft_id=server.draft_id)
    engine.dispose()
    assert [d["id"] for d in server.get("/api/drafts", scoped).json()["drafts"]] == [server.draft_id]
    assert server.get(f"/api/drafts/{server.draft_id}", scoped).status_code == 200
    r = server.get(f"/api/drafts/{other}", scoped)
    assert r.status_code == 403 and f"draft {other}" in r.json()["error"]

    async def main():
        c = YClient(server.ws(scoped, draft_id=other))
        with pytest.raises(ConnectionError):
            await c.connect()
        assert c.close_code == 4403
        ok = await YClient(server.ws(scoped)).connect()
        await ok.close()
    run(main())


def test_snapshots_cut_every_n_updates_and_pruned(database_url: str):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from penholder.store import make_engine
    from penholder.store.tables import Snapshot

    s = LiveServer(database_url, snapshot_every=5)
    s.seed(USERS)
    s.start()
    try:
        async def main():
            a = await YClient(s.ws(s.tokens["fr"])).connect()
            b = await YClient(s.ws(s.tokens["eg"])).connect()
            for i in range(12):
                a.insert(PP2, 0, f"({i})")
                await b.wait_for(lambda i=i: f"({i})" in str(b.text(PP2)))
            await a.close()
            await b.close()
            return str(b.text(PP2))
        seen = run(main())
        s.stop()  # the writer writes what is queued (snapshots too) before the server ends
        engine = make_engine(database_url)
        with Session(engine) as db:
            marks = db.scalars(select(Snapshot.upto_seq).where(Snapshot.draft_id == s.draft_id)).all()
        engine.dispose()
        # seqs 1-2 are the seed and the rollover; 12 edits: snapshots by count at the 5th
        # and 10th seq (or just after, when a commit carried several), the older pruned;
        # the unload, 4 updates later, cuts none (too few to be worth a full snapshot)
        assert len(marks) == 1 and 10 <= marks[0] < 14, marks
        s.start()
        body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
        assert text_of(body, PP2) == seen and body["seq"] == 14
    finally:
        s.stop()
