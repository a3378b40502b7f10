"""Amendments end to end: through the REST API (in process), and with a live client in
the room (a live server on a socket, for the tests that watch the live document)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pycrdt import Map

from inprocess import App, running
from live import LiveServer
from server import Server
from yclient import YClient

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"),
         ("fac", None, "facilitator"), ("obs", "Holy See", "observer"), ("sec", None, "secretariat")]
PP7 = "res-79-53.pp7"
TARGET = "both women and men"


@pytest.fixture
def server(tmp_path) -> Iterator[App]:
    with running(f"sqlite:///{tmp_path / 'a.db'}", USERS) as app:
        yield app


@pytest.fixture
def process(tmp_path) -> Iterator[Server]:
    s = LiveServer(f"sqlite:///{tmp_path / 'a.db'}")
    s.seed(USERS)
    s.start()
    yield s
    s.stop()


def file(server: App | Server, who: str, **body):  # type: ignore[no-untyped-def]
    return server.post(f"/api/drafts/{server.draft_id}/amendments", server.tokens[who], json=body)


def act(server: App | Server, who: str, amendment_id: int, action: str, **body):  # type: ignore[no-untyped-def]
    return server.post(f"/api/amendments/{amendment_id}/{action}", server.tokens[who], json=body)


def draft_text(server: App | Server, pid: str) -> str:
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["obs"]).json()
    for p in body["preamble"] + body["operative"]:
        if p["id"] == pid:
            return p["text"]
    raise KeyError(pid)


def test_propose_support_accept_seen_live_and_attributed(process: Server):
    async def main():
        live = await YClient(process.ws(process.tokens["fr"])).connect()
        r = file(process, "eg", operation="replace_text", paragraph_id=PP7, target_text=TARGET,
                 new_text="women, men, girls and boys", rationale="gender-responsive language")
        assert r.status_code == 201, r.text
        a = r.json()
        assert a["number"] == 1 and a["sponsor"] == "Egypt" and a["status"] == "proposed" and a["paragraph"] == "PP7"
        assert a["summary"] == "replace \u201cboth women and men\u201d with \u201cwomen, men, girls and boys\u201d"
        # every client of the room sees the proposal where it applies
        proposals = live.doc.get("proposals", type=Map)
        await live.wait_for(lambda: "1" in proposals)
        assert proposals["1"]["sponsor"] == "Egypt" and proposals["1"]["paragraph_id"] == PP7

        r = process.post(f"/api/amendments/{a['id']}/cosponsors", process.tokens["dz"])
        assert r.status_code == 200 and [c["delegation"] for c in r.json()["cosponsors"]] == ["Algeria"]
        await live.wait_for(lambda: proposals["1"]["cosponsors"] == ["Algeria"])

        r = act(process, "fac", a["id"], "accept", note="agreed in informals")
        assert r.status_code == 200, r.text
        done = r.json()
        assert done["status"] == "accepted" and done["applied_seq"]
        assert [e["action"] for e in done["events"]] == ["proposed", "cosponsored", "accepted"]
        await live.wait_for(lambda: "women, men, girls and boys" in str(live.text(PP7)))
        await live.wait_for(lambda: "1" not in proposals)
        await live.close()
    asyncio.run(main())
    assert "for women, men, girls and boys in countering" in draft_text(process, PP7)
    history = process.get(f"/api/drafts/{process.draft_id}/history", process.tokens["fac"]).json()["entries"]
    entry = next(e for e in history if e["origin"] == "amendment:1")
    assert entry["delegation"] == "Egypt" and entry["changes"][0]["target"] == f"paragraph:{PP7}"


def test_reject_withdraw_supersede_reopen(server: App):
    one = file(server, "eg", operation="delete_text", paragraph_id=PP7, target_text=" full").json()
    two = file(server, "dz", operation="insert_text", paragraph_id=PP7, position="after",
               target_text="equal opportunities", new_text=" and meaningful").json()
    three = file(server, "eg", operation="add_paragraph", position="after:res-79-53.op3",
                 new_text="Encourages States to share lessons learned;").json()
    assert (one["number"], two["number"], three["number"]) == (1, 2, 3)
    assert act(server, "fac", one["id"], "reject", note="no support").json()["status"] == "rejected"
    assert act(server, "fac", one["id"], "reopen").json()["status"] == "proposed"
    assert act(server, "eg", one["id"], "withdraw").json()["status"] == "withdrawn"
    r = act(server, "fac", two["id"], "supersede", by=three["id"])
    assert r.json()["status"] == "superseded" and r.json()["superseded_by"] == three["id"]
    r = act(server, "fac", one["id"], "accept")
    assert r.status_code == 409 and "withdrawn" in r.json()["error"]
    accepted = act(server, "fac", three["id"], "accept").json()
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["obs"]).json()
    assert body["operative"][3]["text"] == "Encourages States to share lessons learned;"
    assert body["operative"][3]["lead"] == "Encourages" and len(body["operative"]) == 29
    assert accepted["status"] == "accepted"
    rows = server.get(f"/api/drafts/{server.draft_id}/amendments?status=proposed", server.tokens["obs"]).json()
    assert rows["amendments"] == []
    mine = server.get(f"/api/drafts/{server.draft_id}/amendments?sponsor=Egypt", server.tokens["obs"]).json()
    assert [a["number"] for a in mine["amendments"]] == [1, 3]


def test_stale_then_rebase(process: Server):
    a = file(process, "eg", operation="replace_text", paragraph_id=PP7, target_text=TARGET,
             new_text="women and men alike").json()

    async def penholder_edits():
        c = await YClient(process.ws(process.tokens["fr"])).connect()
        text = str(c.text(PP7))
        at = text.index(TARGET) + len("both women")
        c.insert(PP7, at, ", youth")
        await c.flush()
        await c.close()
    asyncio.run(penholder_edits())
    listed = process.get(f"/api/amendments/{a['id']}", process.tokens["fac"]).json()
    assert listed["stale"] is True and "both women, youth and men" in listed["current_text"]
    r = act(process, "fac", a["id"], "accept")
    assert r.status_code == 409 and "stale" in r.json()["error"]
    assert "both women, youth and men" in r.json()["current_text"]
    assert "women and men alike" not in draft_text(process, PP7)
    r = act(process, "fac", a["id"], "accept", rebase={"target_text": "both women, youth and men"})
    assert r.status_code == 200, r.text
    assert "for women and men alike in countering" in draft_text(process, PP7)
    assert "rebased" in r.json()["events"][-1]["note"]


def test_refusals_change_nothing(server: App):
    r = file(server, "eg", operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text="x", sponsor="France")
    assert r.status_code == 403 and "own name" in r.json()["error"]
    r = file(server, "obs", operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text="x")
    assert r.status_code == 403
    a = file(server, "eg", operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text="x").json()
    assert act(server, "eg", a["id"], "accept").status_code == 403        # a delegate deciding
    assert act(server, "dz", a["id"], "withdraw").status_code == 403      # not the sponsor
    assert act(server, "fr", a["id"], "reject").status_code == 403        # a penholder is no facilitator
    assert server.post(f"/api/amendments/{a['id']}/cosponsors", server.tokens["eg"]).status_code == 403
    assert server.post(f"/api/amendments/{a['id']}/cosponsors", server.tokens["fac"]).status_code == 403
    listed = server.get(f"/api/drafts/{server.draft_id}/amendments", server.tokens["fac"]).json()["amendments"]
    assert len(listed) == 1 and listed[0]["status"] == "proposed" and listed[0]["cosponsors"] == []
    assert [e["action"] for e in listed[0]["events"]] == ["proposed"]
    assert TARGET in draft_text(server, PP7)


def test_bad_input_gets_a_clear_4xx_and_nothing_stored(server: App):
    other = server.post("/api/drafts", server.tokens["fr"], json={"from": "A/RES/78/70"}).json()["id"]
    cases = [
        (dict(operation="replace_text", paragraph_id="res-79-53.pp99", target_text="x", new_text="y"), 422, "no paragraph"),
        (dict(operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text=""), 422, "empty"),
        (dict(operation="replace_text", paragraph_id=PP7, target_text="not in the text", new_text="y"), 422, "not in PP7"),
        (dict(operation="replace_text", paragraph_id="res-78-70.pp1", target_text="Recalling", new_text="y"), 422, "no paragraph"),
        (dict(operation="explode", paragraph_id=PP7), 422, "unknown operation"),
        (dict(operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text=["not", "text"]), 422, "must be a string"),
    ]
    for body, status, reason in cases:
        r = file(server, "eg", **body)
        assert r.status_code == status and reason in r.json()["error"], (body, r.text)
    r = file(server, "eg", operation="replace_text", paragraph_id=PP7, target_text=TARGET, new_text="x" * 300_000)
    assert r.status_code == 413
    r = server.post(f"/api/drafts/{server.draft_id}/amendments", server.tokens["eg"], content=b"{nope",
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert server.get(f"/api/drafts/{server.draft_id}/amendments", server.tokens["eg"]).json()["amendments"] == []
    assert server.get(f"/api/drafts/{other}/amendments", server.tokens["eg"]).json()["amendments"] == []
    assert server.get("/api/amendments/999", server.tokens["eg"]).status_code == 404


def test_compilation_text_shows_each_pending_proposal_where_it_applies(server: App):
    a = file(server, "eg", operation="insert_text", paragraph_id=PP7, position="after",
             target_text="both women", new_text=" and girls").json()
    server.post(f"/api/amendments/{a['id']}/cosponsors", server.tokens["dz"])
    file(server, "dz", operation="add_paragraph", position="after:res-79-53.op3", new_text="Decides to act;")
    c = server.get(f"/api/drafts/{server.draft_id}/compilation", server.tokens["obs"]).json()
    assert c["pending"] == 2
    pp7 = next(p for p in c["paragraphs"] if p["id"] == PP7)
    assert pp7["label"] == "PP7"
    assert pp7["proposals"][0]["text"] == \
        "[Egypt, supported by Algeria: add \u201c and girls\u201d after \u201cboth women\u201d]"
    op3 = next(p for p in c["paragraphs"] if p["id"] == "res-79-53.op3")
    assert op3["proposals"][0]["text"].startswith("[Algeria: add a new operative paragraph after OP3")
    md = server.get(f"/api/drafts/{server.draft_id}/compilation?format=md", server.tokens["obs"])
    assert md.headers["content-type"].startswith("text/markdown")
    assert "> [Egypt, supported by Algeria: add \u201c and girls\u201d after \u201cboth women\u201d] (No. 1)" in md.text
    assert "**PP7** *Recognizing* the importance" in md.text
    page = server.get(f"/api/drafts/{server.draft_id}/compilation?format=html", server.tokens["obs"]).text
    assert '<p class="proposal" data-number="1">[Egypt, supported by Algeria' in page
    assert server.get(f"/api/drafts/{server.draft_id}/compilation?format=pdf", server.tokens["obs"]).status_code == 422


def test_paragraph_history_and_delegation_record(server: App):
    a = file(server, "eg", operation="delete_text", paragraph_id=PP7, target_text=" full").json()
    act(server, "fac", a["id"], "accept")
    b = file(server, "eg", operation="replace_text", paragraph_id=PP7, target_text="equal", new_text="fair").json()
    server.post(f"/api/amendments/{b['id']}/cosponsors", server.tokens["dz"])
    act(server, "eg", b["id"], "withdraw")
    h = server.get(f"/api/drafts/{server.draft_id}/paragraphs/{PP7}/history", server.tokens["fac"]).json()
    kinds = [(i["kind"], i.get("action") or i.get("origin")) for i in h["history"]]
    assert kinds[0] == ("technical", "seed:A/RES/79/53")
    assert ("amendment", "amendment:1") in kinds and ("proposal", "withdrawn") in kinds
    applied = next(i for i in h["history"] if i["kind"] == "amendment")
    assert applied["delegation"] == "Egypt" and " full" in applied["before"] and " full" not in applied["after"]
    eg = server.get(f"/api/drafts/{server.draft_id}/delegations/Egypt", server.tokens["fac"]).json()
    assert [x["number"] for x in eg["proposed"]] == [1, 2]
    assert [x["number"] for x in eg["accepted"]] == [1] and [x["number"] for x in eg["withdrawn"]] == [2]
    dz = server.get(f"/api/drafts/{server.draft_id}/delegations/Algeria", server.tokens["fac"]).json()
    assert [x["number"] for x in dz["supported"]] == [2] and dz["proposed"] == []
    r = server.get(f"/api/drafts/{server.draft_id}/paragraphs/nope/history", server.tokens["fac"])
    assert r.status_code == 404


def test_revisions_freeze_the_text_with_standing(server: App):
    a = file(server, "eg", operation="delete_text", paragraph_id=PP7, target_text=" full").json()
    act(server, "fac", a["id"], "accept")
    # the first revision cut is Rev.1; the zero draft (the text as created) is stored with it
    rev1 = server.post(f"/api/drafts/{server.draft_id}/revisions", server.tokens["sec"],
                       json={"standing": {PP7: "agreed ad ref", "res-79-53.op1": "bracketed"}}).json()
    assert rev1["label"] == "Rev.1" and rev1["amendments_applied"] == [1]
    assert rev1["standing"][PP7] == "agreed ad ref" and rev1["standing"]["res-79-53.op2"] == "pending"
    r = server.put(f"/api/drafts/{server.draft_id}/revisions/1/paragraphs/res-79-53.op1", server.tokens["fac"],
                   json={"standing": "agreed ad ref"})
    assert r.status_code == 200 and r.json()["standing"]["res-79-53.op1"] == "agreed ad ref"
    full = server.get(f"/api/drafts/{server.draft_id}/revisions/0", server.tokens["obs"]).json()
    assert " full involvement" in next(p["text"] for p in full["text"]["preamble"] if p["id"] == PP7)
    assert server.post(f"/api/drafts/{server.draft_id}/revisions", server.tokens["eg"], json={}).status_code == 403
    bad = server.post(f"/api/drafts/{server.draft_id}/revisions", server.tokens["fac"], json={"standing": {PP7: "maybe"}})
    assert bad.status_code == 422 and "unknown standing" in bad.json()["error"]
    assert len(server.get(f"/api/drafts/{server.draft_id}/revisions", server.tokens["obs"]).json()["revisions"]) == 2


def test_sponsors_of_the_draft_and_tabling(server: App):
    # France, seeded as a penholder of before, is the draft's main sponsor (docs/roles.md)
    main = server.get(f"/api/drafts/{server.draft_id}/sponsors", server.tokens["fr"]).json()["main"]
    assert [x["delegation"] for x in main] == ["France"]
    assert server.post(f"/api/drafts/{server.draft_id}/sponsors", server.tokens["eg"], json={}).status_code == 200
    r = server.post(f"/api/drafts/{server.draft_id}/sponsors", server.tokens["eg"], json={"delegation": "Chad"})
    assert r.status_code == 403 and "own name" in r.json()["error"]
    assert server.post(f"/api/drafts/{server.draft_id}/table", server.tokens["fac"], json={"symbol": "A/C.1/81/L.12"}).status_code == 403
    assert server.post(f"/api/drafts/{server.draft_id}/table", server.tokens["sec"], json={"symbol": "A/C.1/81/L.12"}).status_code == 200
    s = server.post(f"/api/drafts/{server.draft_id}/sponsors", server.tokens["dz"], json={}).json()
    assert [x["delegation"] for x in s["main"]] == ["France"]
    assert [x["delegation"] for x in s["cosponsor"]] == ["Egypt"]
    assert [x["delegation"] for x in s["additional"]] == ["Algeria"]  # joined after tabling
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["obs"]).json()
    assert body["symbol"] == "A/C.1/81/L.12" and body["sponsors"] == ["France", "Egypt"]


def test_proposal_list_files_twenty_proposals_in_order(server: App):
    from seeds import PROPOSALS
    data = PROPOSALS.read_bytes()
    r = server.post(f"/api/drafts/{server.draft_id}/amendments/import", server.tokens["eg"],
                    files={"file": ("proposals.txt", data, "text/plain")}, data={"delegation": "Chad"})
    assert r.status_code == 403
    r = server.post(f"/api/drafts/{server.draft_id}/amendments/import", server.tokens["eg"],
                    files={"file": ("proposals.txt", data, "text/plain")}, data={"delegation": "Egypt"})
    assert r.status_code == 201, r.text
    filed = r.json()["filed"]
    assert [a["number"] for a in filed] == list(range(1, 21))
    assert all(a["sponsor"] == "Egypt" and a["operation"] == "add_paragraph" for a in filed)
    assert filed[0]["rationale"] == "Strengthening international legislation"
    assert filed[9]["new_text"].startswith("Adopts an integrated approach that bridges")  # worded as an operative paragraph
    assert all(a["position"] == "after:res-79-53.op27" for a in filed)  # before "Decides to include"
