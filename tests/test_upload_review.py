"""The review step before a draft is created from an upload, in process: the preview reads
and stores nothing, with its refusals (413, 415, 422); the draft is created from the
corrected resolution, and nothing the client sends writes what the server owns."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from inprocess import App, running
from penholder.ingest import MAX_BYTES
from seeds import PROPOSALS, RES_75_59, RES_78_70

USERS = [("Omar", "Egypt", "delegate"), ("Kim", None, "secretariat"), ("Holy See", "Holy See", "observer"),
         ("Anna", None, "facilitator")]


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    with running(f"sqlite:///{tmp_path_factory.mktemp('review') / 'r.db'}", USERS) as a:
        yield a


def upload(app: App, who: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return app.post("/api/drafts/preview", app.tokens[who], files={"file": (name, data, "application/octet-stream")})


def drafts(app: App) -> list[int]:
    return [d["id"] for d in app.get("/api/drafts", app.tokens["Kim"]).json()["drafts"]]


def reviewed(preview: dict[str, Any]) -> dict[str, Any]:
    """What the review page sends: the text and structure, none of the import's own keys."""
    def para(p: dict[str, Any], top: bool) -> dict[str, Any]:
        out = {"text": p["text"], "footnote_refs": p["footnote_refs"],
               "subparagraphs": [para(s, False) for s in p["subparagraphs"]]}
        if top:
            out["lead"] = p["lead"]
        return out
    keep = ("symbol", "session", "committee", "agenda_item", "agenda_title", "title", "adopted_on", "meeting")
    return {**{k: preview[k] for k in keep}, "footnotes": preview["footnotes"],
            "preamble": [para(p, True) for p in preview["preamble"]],
            "operative": [para(p, True) for p in preview["operative"]]}


def test_a_preview_reads_the_file_with_its_review_and_stores_nothing(app: App):
    before = drafts(app)
    r = upload(app, "Omar", "A_RES_75_59.txt", RES_75_59.read_bytes())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["file"] == "A_RES_75_59.txt" and body["symbol"] == "A/RES/75/59"
    assert body["preamble"] and body["operative"]
    statuses = {p["review"]["status"] for p in body["preamble"] + body["operative"]}
    assert statuses <= {"exact", "repaired", "guessed"} and "repaired" in statuses  # bare-digit marks read
    repaired = next(p for p in body["preamble"] + body["operative"] if p["review"]["status"] == "repaired")
    assert repaired["review"]["notes"]
    assert drafts(app) == before


def test_a_preview_keeps_subparagraphs_and_leads(app: App):
    body = upload(app, "Kim", "A_RES_78_70.md", RES_78_70.read_bytes()).json()
    op4 = body["operative"][3]
    assert [s["label"] for s in op4["subparagraphs"]] == ["a", "b", "c", "d", "e"]
    assert all(p["lead"] and p["text"].startswith(p["lead"]) for p in body["preamble"])


@pytest.mark.parametrize("name, data, status, says", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, 415, "legacy binary Word"),
    ("blob.bin", b"\x00\x01\x02" * 300, 415, "binary data"),
    ("archive.zip", b"PK\x03\x04" + b"\0" * 100, 422, "damaged zip"),
    ("empty.txt", b"   ", 422, "empty"),
    ("list.txt", PROPOSALS.read_bytes(), 422, "list of proposals"),
    ("note.txt", b"Nothing here looks like a resolution at all.", 422, ""),
])
def test_a_preview_refuses_what_it_cannot_read_with_a_message(app: App, name: str, data: bytes, status: int, says: str):
    r = upload(app, "Omar", name, data)
    assert r.status_code == status, r.text
    assert says in r.json()["error"]


def test_a_preview_is_a_multipart_upload_and_bounded(app: App):
    r = app.post("/api/drafts/preview", app.tokens["Omar"], json={"file": "A/RES/79/53"})
    assert r.status_code == 415 and "multipart/form-data" in r.json()["error"]
    r = app.post("/api/drafts/preview", app.tokens["Omar"], data={"other": "x"}, files={"x": ("a", b"a")})
    assert r.status_code == 422 and "'file' part" in r.json()["error"]
    r = upload(app, "Omar", "huge.txt", b"x" * (MAX_BYTES + 70_000))
    assert r.status_code == 413 and "MB" in r.json()["error"]


def test_observers_and_facilitators_may_not_preview_or_create(app: App):
    data = RES_75_59.read_bytes()
    for who in ("Holy See", "Anna"):
        assert upload(app, who, "a.txt", data).status_code == 403
    body = reviewed(upload(app, "Omar", "a.txt", data).json())
    before = drafts(app)
    for who in ("Holy See", "Anna"):
        r = app.post("/api/drafts", app.tokens[who], json={"reviewed": body})
        assert r.status_code == 403 and r.json()["error"]
    assert drafts(app) == before


def test_the_draft_is_created_from_the_corrected_structure(app: App):
    preview = upload(app, "Omar", "A_RES_78_70.md", RES_78_70.read_bytes()).json()
    body = reviewed(preview)
    body["title"] = "Assistance in mine action (corrected)"
    last_pp = body["preamble"].pop()  # read as preambular: the user makes it operative 1
    body["operative"].insert(0, last_pp)
    first = body["operative"][1]
    body["operative"][1:2] = [  # split operative 1 after its first sentence-like clause
        {**first, "text": first["text"][:40].rstrip(), "footnote_refs": [], "subparagraphs": []},
        {"lead": "", "text": first["text"][40:].lstrip(), "footnote_refs": [], "subparagraphs": first["subparagraphs"]}]
    body["preamble"][0]["lead"] = body["preamble"][0]["text"].split()[0]
    r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": body})
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["title"].startswith("Assistance in mine action")
    assert draft["base_symbol"] == "A/RES/78/70" and draft["symbol"] is None  # rolled over, not tabled
    text = app.get(f"/api/drafts/{draft['id']}", app.tokens["Omar"]).json()
    assert len(text["preamble"]) == len(preview["preamble"]) - 1
    assert len(text["operative"]) == len(preview["operative"]) + 2
    assert text["operative"][0]["text"].startswith(last_pp["text"][:30])
    assert [p["id"] for p in text["operative"][:3]] == ["res-78-70.op1", "res-78-70.op2", "res-78-70.op3"]
    assert all("review" not in p for p in text["preamble"] + text["operative"])
    sponsors = app.get(f"/api/drafts/{draft['id']}/sponsors", app.tokens["Omar"]).json()
    assert "Egypt" in str(sponsors)  # the delegation that started it holds its pen


@pytest.mark.parametrize("change, says", [
    (lambda b: b["preamble"][0].update(id="res-1.pp1"), "'id' is set by the server"),
    (lambda b: b["preamble"][0].update(review={"status": "exact", "notes": []}), "'review' is set by the server"),
    (lambda b: b.update(base_symbol="A/RES/1/1"), "'base_symbol' is set by the server"),
    (lambda b: b.update(created_by=1), "'created_by' is set by the server"),
    (lambda b: b.update(colour="red"), "unknown field 'colour'"),
    (lambda b: b["preamble"][0].update(lead="Not the opening words"), "lead must be the opening words"),
    (lambda b: b["operative"][0].update(footnote_refs=[{"number": 99, "offset": 3}]), "footnote 99"),
    (lambda b: b["operative"][0].update(footnote_refs=[{"number": 1, "offset": 10**6}]), "outside the text"),
    (lambda b: b["operative"][0].update(text="  "), "no text"),
    (lambda b: b.update(title=""), "'title' is empty"),
    (lambda b: b.update(session="eighty"), "'session'"),
    (lambda b: b.update(session=None), "'session' is missing"),
    (lambda b: b.update(session=99), "A/RES/78/70 is of session 78, not 99"),
    (lambda b: b["operative"][0].update(footnote_refs=[{"number": True, "offset": 3}]), "footnote True"),
    (lambda b: b.update(committee="Seventh Committee"), "'committee'"),
    (lambda b: b.update(symbol="S/RES/2334"), "neither a resolution symbol"),
    (lambda b: b.update(preamble=[], operative=[]), "no paragraphs"),
    (lambda b: b["operative"][3]["subparagraphs"][0].update(
        subparagraphs=[{"text": "x", "subparagraphs": [{"text": "too deep"}]}]), "two levels deep"),
])
def test_a_reviewed_resolution_is_checked_field_by_field(app: App, change, says: str):  # type: ignore[no-untyped-def]
    body = reviewed(upload(app, "Omar", "A_RES_78_70.md", RES_78_70.read_bytes()).json())
    change(body)
    before = drafts(app)
    r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": body})
    assert r.status_code == 422, r.text
    assert says in r.json()["error"]
    assert drafts(app) == before


def test_an_l_symbol_and_sponsors_are_the_secretariats(app: App):
    body = reviewed(upload(app, "Omar", "A_RES_78_70.md", RES_78_70.read_bytes()).json())
    before = drafts(app)
    for change in ({"symbol": "A/C.4/81/L.5", "session": 81}, {"sponsors": ["Egypt", "France"]}):
        r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": {**copy.deepcopy(body), **change}})
        assert r.status_code == 403 and "Secretariat" in r.json()["error"], r.text
    assert drafts(app) == before
    r = app.post("/api/drafts", app.tokens["Kim"], json={"reviewed": {**body, "symbol": "A/C.4/81/L.5",
                                                                      "session": 81, "sponsors": ["Egypt"]}})
    assert r.status_code == 201, r.text
    assert r.json()["symbol"] == "A/C.4/81/L.5"
    r = app.post("/api/drafts", app.tokens["Kim"], json={"reviewed": body, "from": "A/RES/79/53"})
    assert r.status_code == 422


def test_the_pages_corrections_make_a_body_the_server_takes(app: App, tmp_path):  # type: ignore[no-untyped-def]
    """client/src/account/outline.js under node, on a real preview: a join then a split at
    the same words give the paragraphs back with their footnote marks where they were; a
    moved mark and a kind change reach the draft as the page made them."""
    from test_labels import run_node

    preview = upload(app, "Omar", "A_RES_75_59.txt", RES_75_59.read_bytes()).json()
    source = tmp_path / "preview.json"
    source.write_text(json.dumps(preview), encoding="utf-8")
    pp23 = preview["preamble"][22]["text"]  # its marks: footnotes 10, 11 and 12
    words = preview["preamble"][23]["text"][:40]
    body = run_node(f"""import {{ readFileSync }} from 'node:fs'
import {{ join, moveMark, outlineOf, problem, reviewedBody, setKind, split }} from './src/account/outline.js'
const preview = JSON.parse(readFileSync({json.dumps(str(source))}, 'utf8'))
let o = outlineOf(preview)
o = join(o, 22)
o = split(o, 22, {json.dumps(words)})
o = setKind(o, 23, 'op')
o = moveMark(o, 24, 13, 'report of the Secretary-General')
if (problem(o)) throw new Error(problem(o))
console.log(JSON.stringify(reviewedBody(preview, o)))""")
    assert isinstance(body, dict)
    assert body["preamble"][22]["text"] == pp23
    assert body["preamble"][22]["footnote_refs"] == preview["preamble"][22]["footnote_refs"]
    r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": body})
    assert r.status_code == 201, r.text
    text = app.get(f"/api/drafts/{r.json()['id']}", app.tokens["Omar"]).json()
    assert len(text["preamble"]) == 23 and text["operative"][0]["text"] == preview["preamble"][23]["text"]
    op2 = text["operative"][1]
    assert op2["footnote_refs"] == [{"number": 13, "offset": op2["text"].index("Secretary-General") + 17}]


L_DOCUMENT = """United Nations A/C.1/80/L.12
General Assembly
Distr.: Limited
Eightieth session
Agenda item 99 (b)
General and complete disarmament
Egypt, France and Mexico: draft resolution
Countering the threat posed by improvised explosive devices
The General Assembly,
Recalling its resolutions 70/46 of 7 December 2015 and 79/53 of 2 December 2024,
Expressing grave concern over the devastation caused by improvised explosive devices,
1. Encourages States to address the threat posed by improvised explosive devices;
2. Decides to remain seized of the matter.
"""


@pytest.mark.parametrize("name, text, says", [
    ("l12.txt", L_DOCUMENT, ["A/C.1/80/L.12", "Egypt, France, Mexico"]),
    ("symbol-only.txt", L_DOCUMENT.replace("Egypt, France and Mexico: draft resolution\n", ""), ["A/C.1/80/L.12"]),
    ("sponsors-only.txt", L_DOCUMENT.replace(" A/C.1/80/L.12", ""), ["Egypt, France, Mexico"]),
])
def test_a_delegations_plain_upload_cannot_set_the_l_symbol_or_sponsors(app: App, name: str, text: str,
                                                                         says: list[str]):
    """The file's L. symbol and sponsors are the Secretariat's on the plain upload as on the
    reviewed one: the upload is refused with what the file carries and how to go on."""
    before = drafts(app)
    r = app.post("/api/drafts", app.tokens["Omar"], files={"file": (name, text.encode(), "text/plain")})
    assert r.status_code == 403, r.text
    error = r.json()["error"]
    assert "only the Secretariat" in error and "upload.html" in error
    assert all(s in error for s in says)
    assert drafts(app) == before


def test_the_secretariats_plain_upload_keeps_the_l_symbol_and_a_delegation_starts_from_the_review(app: App):
    r = app.post("/api/drafts", app.tokens["Kim"], files={"file": ("l12.txt", L_DOCUMENT.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["symbol"] == "A/C.1/80/L.12"
    assert app.get(f"/api/drafts/{r.json()['id']}", app.tokens["Kim"]).json()["sponsors"] == ["Egypt", "France",
                                                                                             "Mexico"]
    # The way the message points to: the same file previewed, symbol cleared, no sponsors sent.
    preview = upload(app, "Omar", "l12.txt", L_DOCUMENT.encode()).json()
    assert preview["symbol"] == "A/C.1/80/L.12" and preview["sponsors"] == ["Egypt", "France", "Mexico"]
    r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": {**reviewed(preview), "symbol": None}})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["symbol"] is None and created["session"] == 80
    # its one sponsor: the delegation that started it, not the names in the file
    assert app.get(f"/api/drafts/{created['id']}", app.tokens["Omar"]).json()["sponsors"] == ["Egypt"]


def test_the_pages_level_changes_make_a_body_the_server_takes(app: App, tmp_path):  # type: ignore[no-untyped-def]
    """outline.js setLevel under node on the preview of 78/70: a paragraph put under the one
    before it loses its lead and the label typed in its text; a subparagraph lifted out takes
    the ones after it under the same parent along, so the text keeps its order; what would go
    deeper than (i) or hang under nothing is refused."""
    from test_labels import run_node

    preview = upload(app, "Omar", "A_RES_78_70.md", RES_78_70.read_bytes()).json()
    source = tmp_path / "preview.json"
    source.write_text(json.dumps(preview), encoding="utf-8")
    out = run_node(f"""import {{ readFileSync }} from 'node:fs'
import {{ flatten, outlineOf, reviewedBody, setLevel, split }} from './src/account/outline.js'
const preview = JSON.parse(readFileSync({json.dumps(str(source))}, 'utf8'))
const at = (o, name) => flatten(o).findIndex((e) => e.name === name)
const refused = (f) => {{ try {{ f(); return null }} catch (e) {{ return e.message }} }}
let o = outlineOf(preview)
const first = refused(() => setLevel(o, 0, 1))
o = setLevel(o, at(o, 'OP4 (e)'), 0)
o = split(o, flatten(o)[at(o, 'OP5')].top, '(i) to countries')
o = setLevel(o, at(o, 'OP6'), 1)   // "(i) to countries ..." under OP5, as its (a)
o = setLevel(o, at(o, 'OP6'), 1)   // "Encourages efforts ..." under OP5, as its (b)
o = setLevel(o, at(o, 'OP4 (b)'), 0)
const deep = refused(() => setLevel(o, at(o, 'OP6'), 2))
console.log(JSON.stringify({{ first, deep, body: reviewedBody(preview, o) }}))""")
    assert isinstance(out, dict)
    assert "nothing above it" in out["first"]
    assert "two levels deep at most" in out["deep"]
    body, old_op = out["body"], preview["operative"]
    old_subs = old_op[3]["subparagraphs"]
    assert len(body["operative"]) == len(old_op) + 1
    op4, op5, op6 = body["operative"][3:6]
    assert [s["text"] for s in op4["subparagraphs"]] == [old_subs[0]["text"]]
    assert op5["text"] == old_subs[1]["text"] and op5["lead"] == ""
    assert [s["text"] for s in op5["subparagraphs"]] == [s["text"] for s in old_subs[2:4]]
    assert op6["text"] == "Technological assistance"
    assert op6["subparagraphs"][0]["text"].startswith("to countries affected by mines")  # "(i) " taken out
    assert op6["subparagraphs"][1]["text"] == old_op[4]["text"] and "lead" not in op6["subparagraphs"][1]
    assert body["operative"][6]["text"] == old_op[5]["text"]
    r = app.post("/api/drafts", app.tokens["Omar"], json={"reviewed": body})
    assert r.status_code == 201, r.text
    text = app.get(f"/api/drafts/{r.json()['id']}", app.tokens["Omar"]).json()
    assert [s["label"] for s in text["operative"][4]["subparagraphs"]] == ["a", "b"]
    assert [s["label"] for s in text["operative"][5]["subparagraphs"]] == ["a", "b"]


def test_a_preview_reads_a_word_broken_in_two_readings_as_the_library_writes_it(app: App):
    """`there in` is English as it stands; the library (the adopted resolutions of drafts/,
    there from the server's first use of it) writes `therein`, and the note says so."""
    text = ("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
            "Reca llin g it s resolut ions and the recommen dations contained there in,\n"
            "Not ing the work of the inter agency group on the mat ter,\n"
            "1. Deci des to remain sei zed of the mat ter.\n")
    body = upload(app, "Omar", "broken.txt", text.encode()).json()
    pp1 = body["preamble"][0]
    assert pp1["text"] == "Recalling its resolutions and the recommendations contained therein,"
    assert any("'there in' -> 'therein', as the library's resolutions write it" in n for n in pp1["review"]["notes"])
