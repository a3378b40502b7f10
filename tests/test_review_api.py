"""The review API in process, on SQLite and PostgreSQL: revisions and standing,
decisions with notes and rebase previews, changes since a version, paragraph history,
comments and activity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from inprocess_review import Api, api, edit_paragraph
from penholder.store.tables import Update

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"),
         ("fac", None, "facilitator"), ("obs", "Holy See", "observer"), ("sec", None, "secretariat")]
PP7, OP1, OP2 = "res-79-53.pp7", "res-79-53.op1", "res-79-53.op2"
OP1_WORD = " and good practices"


@pytest.fixture
def a(database_url: str) -> Iterator[Api]:
    with api(database_url, USERS) as client:
        yield client


def test_first_cut_is_rev1_and_standing_carries_forward(a: Api):
    assert a.get(a.d("/revisions"), "obs").json()["revisions"] == []
    # the zero draft can be read before any cut
    zero = a.get(a.d("/revisions/0"), "obs")
    assert zero.status_code == 200 and zero.json()["label"] == "zero draft"
    am = a.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
    assert a.act("fac", am["id"], "accept").status_code == 200
    r = a.post(a.d("/revisions"), "fac", json={"standing": {PP7: "agreed ad ref", OP1: "bracketed"}})
    assert r.status_code == 201, r.text
    rev1 = r.json()
    assert rev1["number"] == 1 and rev1["label"] == "Rev.1" and rev1["amendments_applied"] == [1]
    assert rev1["standing"][PP7] == "agreed ad ref" and rev1["standing"][OP2] == "pending"
    assert rev1["changes"]["changed"] == ["PP7"] and rev1["changes"]["added"] == []
    listed = a.get(a.d("/revisions"), "obs").json()["revisions"]
    assert [(x["number"], x["label"]) for x in listed] == [(0, "zero draft"), (1, "Rev.1")]
    assert listed[0]["changes"] is None and listed[0]["standing"][PP7] == "pending"
    # the zero draft kept the text as created
    zero = a.get(a.d("/revisions/0"), "obs").json()
    assert " full involvement" in next(p["text"] for p in zero["text"]["preamble"] if p["id"] == PP7)

    # standing set on Rev.1 later, then Rev.2 cut with one change: the rest carries forward
    r = a.put(a.d(f"/revisions/1/paragraphs/{OP2}"), "sec", json={"standing": "bracketed"})
    assert r.status_code == 200 and r.json()["standing"][OP2] == "bracketed"
    rev2 = a.post(a.d("/revisions"), "sec", json={"standing": {OP1: "agreed ad ref"}}).json()
    assert rev2["label"] == "Rev.2"
    assert rev2["standing"][PP7] == "agreed ad ref" and rev2["standing"][OP2] == "bracketed"
    assert rev2["standing"][OP1] == "agreed ad ref"
    assert rev2["changes"]["changed"] == [] and rev2["amendments_applied"] == []
    assert {"paragraph_id": OP1, "label": "OP1", "before": "bracketed", "after": "agreed ad ref"} \
        in rev2["changes"]["standing"]


def test_revision_refusals(a: Api):
    assert a.post(a.d("/revisions"), "eg", json={}).status_code == 403
    bad = a.post(a.d("/revisions"), "fac", json={"standing": {PP7: "maybe"}})
    assert bad.status_code == 422 and "unknown standing" in bad.json()["error"]
    bad = a.post(a.d("/revisions"), "fac", json={"standing": {"nope": "pending"}})
    assert bad.status_code == 422 and "no paragraph 'nope'" in bad.json()["error"]
    assert a.get(a.d("/revisions"), "obs").json()["revisions"] == []  # nothing stored
    assert a.put(a.d(f"/revisions/3/paragraphs/{PP7}"), "fac", json={"standing": "pending"}).status_code == 404
    assert a.get(a.d("/revisions/5"), "obs").status_code == 404


def _para(a: Api, pid: str) -> str:
    body = a.get(a.d(), "obs").json()
    return next(p["text"] for p in body["preamble"] + body["operative"] if p["id"] == pid)


def test_decisions_take_a_note_shown_in_the_history(a: Api):
    one = a.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
    two = a.file("dz", operation="insert_text", paragraph_id=PP7, position="after",
                 target_text="equal opportunities", new_text=" and meaningful")
    assert a.act("fac", one["id"], "reject", note="no support in the room").json()["status"] == "rejected"
    assert a.act("fac", one["id"], "reopen", note="Egypt brought new language").json()["status"] == "proposed"
    assert a.act("fac", two["id"], "supersede", by=one["id"], note="merged into No. 1").json()["status"] == "superseded"
    done = a.act("fac", one["id"], "accept", note="agreed ad ref on Tuesday").json()
    assert [(e["action"], e["note"]) for e in done["events"]] == [
        ("proposed", None), ("rejected", "no support in the room"), ("reopened", "Egypt brought new language"),
        ("accepted", "agreed ad ref on Tuesday")]
    history = a.get(a.d(f"/paragraphs/{PP7}/history"), "obs").json()["history"]
    notes = [(h["amendment"], h["action"], h["note"]) for h in history if h["kind"] == "proposal" and h["note"]]
    assert (1, "rejected", "no support in the room") in notes and (2, "superseded", "merged into No. 1") in notes
    assert (1, "accepted", "agreed ad ref on Tuesday") in notes
    bad = a.act("fac", two["id"], "reopen", note=7)
    assert bad.status_code == 422 and bad.json()["error"] == "note must be text"


def test_stale_flagged_in_the_list_previewed_and_rebased(a: Api):
    am = a.file("eg", operation="replace_text", paragraph_id=PP7, target_text="both women and men",
                new_text="women and men alike")
    ok = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={}).json()
    assert ok["paragraphs"][0]["label"] == "PP7" and "women and men alike" in ok["paragraphs"][0]["after"]
    assert {"kind": "ins", "text": "women and men alike"} in ok["paragraphs"][0]["segments"] or any(
        s["kind"] == "ins" and "alike" in s["text"] for s in ok["paragraphs"][0]["segments"])
    # the penholder's edit makes it stale (a second proposal, accepted, changes the quote)
    other = a.file("fr", operation="replace_text", paragraph_id=PP7, target_text="both women and men",
                   new_text="both women, youth and men")
    a.act("fac", other["id"], "accept")
    listed = a.get(a.d("/amendments?status=proposed"), "fac").json()["amendments"]
    assert [(x["number"], x["stale"]) for x in listed] == [(1, True)]
    assert "both women, youth and men" in listed[0]["current_text"]
    r = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={})
    assert r.status_code == 409 and "stale" in r.json()["error"] and r.json()["current_text"]
    before = _para(a, PP7)
    rebase = {"target_text": "both women, youth and men", "new_text": "women, youth and men alike"}
    prev = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={"rebase": rebase}).json()
    assert prev["rebased"] and "women, youth and men alike" in prev["paragraphs"][0]["after"]
    assert _para(a, PP7) == before  # a preview stores nothing
    bad = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={"rebase": {"target_text": "not there"}})
    assert bad.status_code == 422 and "not in PP7" in bad.json()["error"]
    bad = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={"rebase": {"status": "accepted"}})
    assert bad.status_code == 422
    done = a.act("fac", am["id"], "accept", rebase=rebase, note="rebased on the penholder's text").json()
    assert done["status"] == "accepted" and "women, youth and men alike" in _para(a, PP7)
    assert done["events"][-1]["note"].startswith("rebased on the penholder's text\nrebased: ")
    again = a.post(f"/api/amendments/{am['id']}/preview", "fac", json={})
    assert again.status_code == 409 and "only a pending one" in again.json()["error"]


T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _backdate_and_edit(engine, draft_id: int, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """The draft created at T0; France's penholder edits PP7 an hour later."""
    with Session(engine) as db, db.begin():
        db.execute(update(Update).where(Update.draft_id == draft_id).values(created_at=T0))
    edit_paragraph(engine, draft_id, ids["fr"], PP7, "both women and men", "women and men alike",
                   T0 + timedelta(hours=1))


@pytest.fixture
def edited(database_url: str) -> Iterator[Api]:
    with api(database_url, USERS, before=_backdate_and_edit) as client:
        yield client


def _changed(body: dict, pid: str) -> dict:
    return next(p for p in body["paragraphs"] if p["paragraph_id"] == pid)


def test_changes_since_the_prior_resolution_a_revision_and_a_time(edited: Api):
    a = edited
    r = a.get(a.d("/changes"), "obs")  # against the prior resolution by default
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["against"] == "A/RES/79/53"
    authors = {x["name"]: x for x in body["authors"]}
    assert authors["Secretariat"]["technical"] and "France" in authors
    pp7 = _changed(body, PP7)
    assert pp7["status"] == "changed" and pp7["label"] == "PP7"
    ins = [s for s in pp7["segments"] if s["kind"] == "ins"]
    assert any("alike" in s["text"] and s["author"]["name"] == "France" for s in ins)
    technical = [s for p in body["paragraphs"] for s in p.get("segments", [])
                 if s["kind"] != "same" and s["author"] and s["author"]["name"] == "Secretariat"]
    assert technical and all(s["author"]["technical"] for s in technical)
    # the same change set as the tracked export's
    from penholder import exports
    c = exports.comparison(a.engine, a.draft_id, "A/RES/79/53")
    assert [p.status for p in c.paragraphs] == [p["status"] for p in body["paragraphs"]]

    # at a time before France's edit: only that edit, France's
    at = (T0 + timedelta(minutes=30)).isoformat()
    body = a.get(a.d("/changes"), "obs", params={"against": f"at:{at}"}).json()
    assert [p["label"] for p in body["paragraphs"] if p["status"] != "same"] == ["PP7"]
    assert [x["name"] for x in body["authors"]] == ["France"]

    # against Rev.1 after an amendment by Egypt: that amendment only, Egypt's
    assert a.post(a.d("/revisions"), "fac", json={}).status_code == 201
    am = a.file("eg", operation="delete_text", paragraph_id=OP1, target_text=OP1_WORD)
    a.act("fac", am["id"], "accept")
    body = a.get(a.d("/changes"), "obs", params={"against": "rev:1"}).json()
    assert [p["label"] for p in body["paragraphs"] if p["status"] != "same"] == ["OP1"]
    assert [x["name"] for x in body["authors"]] == ["Egypt"]
    # against the zero draft: France's edit and Egypt's amendment, not the rollover
    body = a.get(a.d("/changes"), "obs", params={"against": "rev:0"}).json()
    assert {x["name"] for x in body["authors"]} == {"France", "Egypt"}


def test_changes_refusals(edited: Api):
    a = edited
    assert a.get(a.d("/changes"), "obs", params={"against": "rev:9"}).status_code == 404
    r = a.get(a.d("/changes"), "obs", params={"against": "at:yesterday"})
    assert r.status_code == 422 and "not a time" in r.json()["error"]
    r = a.get(a.d("/changes"), "obs", params={"against": "at:2001-01-01T00:00:00Z"})
    assert r.status_code == 422 and "did not exist yet" in r.json()["error"]
    assert a.get(a.d("/changes"), "obs", params={"against": "A/RES/1/1"}).status_code == 404
    assert a.client.get(a.d("/changes")).status_code == 401


def _sittings(engine, draft_id: int, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """France's penholder types in three bursts; a colleague's edit comes between two."""
    with Session(engine) as db, db.begin():
        db.execute(update(Update).where(Update.draft_id == draft_id).values(created_at=T0))
    for minutes, who, old, new in ((60, "fr", "both women", "both women (A)"), (62, "fr", "(A)", "(AB)"),
                                   (65, "fr", "(AB)", "(ABC)"), (66, "fr2", "(ABC)", "(ABC) [x]"),
                                   (67, "fr", "[x]", "[xy]"), (100, "fr", "[xy]", "[xyz]")):
        edit_paragraph(engine, draft_id, ids[who], PP7, old, new, T0 + timedelta(minutes=minutes))


def test_paragraph_history_groups_edits_by_person_and_sitting(database_url: str):
    with api(database_url, USERS + [("fr2", "France", "penholder")], before=_sittings) as a:
        am = a.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
        a.act("fac", am["id"], "accept", note="fine")
        h = a.get(a.d(f"/paragraphs/{PP7}/history"), "obs").json()
        edits = [(e["by"], e["updates"], e["before"] is not None) for e in h["history"] if e["kind"] == "edit"]
        assert edits == [("fr", 3, True), ("fr2", 1, True), ("fr", 1, True), ("fr", 1, True)]
        first = next(e for e in h["history"] if e["kind"] == "edit")
        assert "both women (ABC) and men" in first["after"] and "(A" not in first["before"]
        assert first["delegation"] == "France" and first["until"] > first["at"]
        assert any(s["kind"] == "ins" and "(ABC)" in s["text"] for s in first["segments"])
        # the rollover and the accepted amendment stay entries of their own, with their events
        kinds = [e["kind"] for e in h["history"]]
        assert "amendment" in kinds and ("proposal", "accepted", "fine") in [
            (e["kind"], e.get("action"), e.get("note")) for e in h["history"]]
        # a longer gap joins the last two sittings
        h = a.get(a.d(f"/paragraphs/{PP7}/history"), "obs", params={"gap": "60"}).json()
        assert [(e["by"], e["updates"]) for e in h["history"] if e["kind"] == "edit"] == [
            ("fr", 3), ("fr2", 1), ("fr", 2)]
        r = a.get(a.d(f"/paragraphs/{PP7}/history"), "obs", params={"gap": "soon"})
        assert r.status_code == 422 and "gap" in r.json()["error"]


def _live_comments(a: Api) -> dict:
    """The `comments` map as a client joining the draft's room receives it."""
    from pycrdt import Doc, Map

    from penholder.sync import protocol
    from penholder.sync.protocol import Kind, Step
    doc = Doc()
    with a.client.websocket_connect(f"/ws/drafts/{a.draft_id}?token={a.tokens['obs']}") as ws:
        ws.send_bytes(protocol.sync_message(Step.STATE_VECTOR, doc.get_state()))
        while True:
            m = protocol.parse(ws.receive_bytes())
            if m.kind == Kind.SYNC and m.step == Step.DIFF:
                doc.apply_update(m.payload)
                return doc.get("comments", type=Map).to_py()


def _logged(a: Api) -> tuple[int, dict]:
    """How many updates the draft's log holds, and the `comments` map of the logged document."""
    from pycrdt import Map

    from penholder.sync.persistence import load_doc
    doc, seq = load_doc(a.engine, a.draft_id)
    return seq, doc.get("comments", type=Map).to_py()


def test_comments_threads_resolve_and_history(a: Api):
    am = a.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
    logged = _logged(a)
    r = a.post(a.d("/comments"), "dz", json={"paragraph_id": PP7, "text": "Could PP7 keep 'full'?"})
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["paragraph"] == "PP7" and t["target"] == f"paragraph:{PP7}" and not t["resolved"]
    assert [(c["by"], c["delegation"], c["text"]) for c in t["comments"]] == [("dz", "Algeria", "Could PP7 keep 'full'?")]
    reply = a.post(a.d("/comments"), "fac", json={"reply_to": t["id"], "text": "Taken up on Tuesday."}).json()
    assert reply["id"] == t["id"] and [c["by"] for c in reply["comments"]] == ["dz", "fac"]
    on_am = a.post(a.d("/comments"), "fr", json={"amendment_id": am["id"], "text": "France supports"}).json()
    assert on_am["amendment"] == am["number"] and on_am["target"] == "amendment:1"

    # counts in the derived view (as a room's clients receive them), the text in SQL; the
    # update log, the text's audit trail, holds none of them
    assert _logged(a) == logged and logged[1] == {}
    live = _live_comments(a)
    assert live[f"paragraph:{PP7}"]["open"] == 1 and live[f"paragraph:{PP7}"]["comments"] == 2
    assert live["amendment:1"]["comments"] == 1

    r = a.post(f"/api/comments/{reply['comments'][1]['id']}/resolve", "eg")  # any comment of the thread
    assert r.status_code == 200 and r.json()["resolved"] and r.json()["resolved_by"] == "eg"
    assert _live_comments(a)[f"paragraph:{PP7}"]["open"] == 0
    assert _logged(a) == logged
    listed = a.get(a.d("/comments"), "obs", params={"resolved": "false"}).json()["threads"]
    assert [x["id"] for x in listed] == [on_am["id"]]
    assert [x["id"] for x in a.get(a.d("/comments"), "obs", params={"paragraph": PP7}).json()["threads"]] == [t["id"]]
    assert [x["id"] for x in a.get(a.d("/comments"), "obs", params={"amendment": "1"}).json()["threads"]] == [on_am["id"]]
    assert a.post(f"/api/comments/{t['id']}/reopen", "fac").json()["resolved"] is False

    h = a.get(a.d(f"/paragraphs/{PP7}/history"), "obs").json()["history"]
    assert [(e["by"], e["text"]) for e in h if e["kind"] == "comment"] == [
        ("dz", "Could PP7 keep 'full'?"), ("fac", "Taken up on Tuesday.")]


def test_comment_refusals_store_nothing(a: Api):
    assert a.post(a.d("/comments"), "obs", json={"paragraph_id": PP7, "text": "hi"}).status_code == 403
    for body, says in (({"paragraph_id": PP7}, "needs 'text'"), ({"paragraph_id": PP7, "text": "  "}, "needs 'text'"),
                       ({"paragraph_id": "nope", "text": "x"}, "no paragraph 'nope'"),
                       ({"text": "x"}, "comment on one thing"),
                       ({"paragraph_id": PP7, "amendment_id": 1, "text": "x"}, "comment on one thing"),
                       ({"amendment_id": 99, "text": "x"}, "no amendment 99"),
                       ({"reply_to": 99, "text": "x"}, "no comment 99"),
                       ({"reply_to": "1", "text": "x"}, "reply_to must be a number"),
                       ({"paragraph_id": PP7, "text": "x" * 10_001}, "at most")):
        r = a.post(a.d("/comments"), "eg", json=body)
        assert r.status_code == 422 and says in r.json()["error"], (body, r.text)
    assert a.get(a.d("/comments"), "obs").json()["threads"] == []
    assert a.post("/api/comments/5/resolve", "eg").status_code == 404
    t = a.post(a.d("/comments"), "eg", json={"paragraph_id": PP7, "text": "ok"}).json()
    assert a.post(f"/api/comments/{t['id']}/resolve", "obs").status_code == 403
    assert a.client.get(a.d("/comments")).status_code == 401


def test_activity_of_a_draft(database_url: str):
    with api(database_url, USERS + [("fr2", "France", "penholder")], before=_sittings) as a:
        am = a.file("eg", operation="delete_text", paragraph_id=OP1, target_text=OP1_WORD)
        assert a.post(f"/api/amendments/{am['id']}/cosponsors", "dz").status_code == 200
        a.act("fac", am["id"], "accept", note="agreed")
        a.post(a.d("/comments"), "dz", json={"paragraph_id": PP7, "text": "Brackets, please"})
        a.post(a.d("/revisions"), "sec", json={})
        r = a.get(a.d("/activity"), "obs")
        assert r.status_code == 200, r.text
        acts = r.json()["activity"]
        assert acts == sorted(acts, key=lambda e: e["at"], reverse=True)
        kinds = [e["kind"] for e in acts]
        assert kinds[:5] == ["revised", "commented", "accepted", "supported", "filed"]
        accepted = acts[2]
        assert accepted["amendment"] == 1 and accepted["paragraph_id"] == OP1 and accepted["note"] == "agreed"
        assert acts[1]["paragraph_id"] == PP7 and acts[1]["by"] == "dz"
        edits = [(e["by"], e["updates"], e["paragraphs"]) for e in acts if e["kind"] == "edited"]
        # a person's sitting goes on whatever others type meanwhile
        assert edits == [("fr", 1, ["PP7"]), ("fr2", 1, ["PP7"]), ("fr", 4, ["PP7"])]
        # the creation: the prior text and the rollover, the Secretariat's, one sitting
        assert kinds[-1] == "technical" and acts[-1]["delegation"] is None
        assert [e["summary"] for e in acts if e["kind"] == "revised"] == ["Rev.1"]
        assert len(a.get(a.d("/activity"), "obs", params={"limit": "2"}).json()["activity"]) == 2
        assert a.get(a.d("/activity"), "obs", params={"limit": "0"}).status_code == 422


def test_proposals_carry_the_revision_they_were_made_on(a: Api):
    one = a.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
    a.post(a.d("/revisions"), "fac", json={})
    two = a.file("dz", operation="delete_text", paragraph_id=OP1, target_text=OP1_WORD)
    assert (one["revision"], two["revision"]) == (0, 1)
    for n, want in ((0, [1]), (1, [2]), (2, [])):
        rows = a.get(a.d("/amendments"), "obs", params={"revision": str(n)}).json()["amendments"]
        assert [r["number"] for r in rows] == want
