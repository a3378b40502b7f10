"""The review API in process, on SQLite and PostgreSQL: revisions and standing,
decisions with notes and rebase previews, changes since a version, paragraph history,
comments and activity."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inprocess import Api, api

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"),
         ("fac", None, "facilitator"), ("obs", "Holy See", "observer"), ("sec", None, "secretariat")]
PP7, OP1, OP2 = "res-79-53.pp7", "res-79-53.op1", "res-79-53.op2"


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
