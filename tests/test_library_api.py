"""The library over REST, in process: search, upload, an amendment's agreed language,
and who may do what. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from penholder.auth import create_user
from penholder.auth.tokens import issue_token
from penholder.store import make_engine, migrate
from penholder.web import create_app
from penholder.zero_draft import create_from_prior, secretariat_user

ROOT = Path(__file__).resolve().parent.parent
USERS = [("eg", "Egypt", "delegate"), ("fac", None, "facilitator"), ("sec", None, "secretariat"),
         ("obs", "Holy See", "observer")]


class Api:
    def __init__(self, client: TestClient, tokens: dict[str, str], draft_id: int) -> None:
        self.client, self.tokens, self.draft_id = client, tokens, draft_id

    def get(self, path: str, who: str, **params):  # type: ignore[no-untyped-def]
        return self.client.get(path, params=params, headers={"Authorization": f"Bearer {self.tokens[who]}"})

    def post(self, path: str, who: str, **kw):  # type: ignore[no-untyped-def]
        return self.client.post(path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kw)


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    engine = make_engine(database_url)
    migrate(engine)
    tokens: dict[str, str] = {}
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    draft_id = create_from_prior(engine, "A/RES/79/53", staff).id
    for name, delegation, role in USERS:
        _, tokens[name] = create_user(engine, name, delegation, role)
    # a facilitator's token that opens this one draft only
    fac, _ = create_user(engine, "fac-link", None, "facilitator")
    tokens["scoped-fac"] = issue_token(engine, fac.id, draft_id=draft_id)
    with TestClient(create_app(engine)) as client:
        yield Api(client, tokens, draft_id)
    engine.dispose()


def test_search_answers_with_symbol_date_label_and_sentence(api: Api):
    r = api.get("/api/library/search", "obs", q="threat posed by improvised explosive devices", limit=3)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["exact"] >= 3 and len(body["results"]) == 3
    top = body["results"][0]
    assert (top["symbol"], top["date"], top["label"], top["match"]) == ("A/RES/79/53", "2 December 2024", "PP7", "exact")
    assert "countering the threat posed by improvised explosive devices" in top["sentence"]


@pytest.mark.parametrize("params, message", [({}, "missing 'q'"), ({"q": "of the"}, "only common words"),
                                             ({"q": "mine action", "limit": "x"}, "whole number"),
                                             ({"q": "mine action", "min_similarity": "2"}, "between 0.3 and 1")])
def test_bad_searches_get_a_422_that_says_why(api: Api, params, message):
    r = api.get("/api/library/search", "obs", **params)
    assert r.status_code == 422 and message in r.json()["error"]


def test_search_needs_a_token(api: Api):
    r = api.client.get("/api/library/search", params={"q": "mine action"})
    assert r.status_code == 401 and "error" in r.json()


def test_the_secretariat_uploads_a_resolution_others_may_not(api: Api):
    data = (ROOT / "drafts" / "A_RES_78_70.md").read_bytes()
    for who in ("eg", "obs", "scoped-fac"):
        r = api.post("/api/library", who, files={"file": ("78_70.md", data)})
        assert r.status_code == 403, (who, r.text)
    r = api.post("/api/library", "sec", files={"file": ("78_70.md", data)})
    assert r.status_code == 200 and r.json() == {"symbol": "A/RES/78/70", "paragraphs": 57, "replaced": True}
    r = api.post("/api/library", "sec", files={"file": ("list.txt", (ROOT / "tests" / "data" / "proposals_79_53.txt").read_bytes())})
    assert r.status_code == 422 and "not a resolution" in r.json()["error"]
    r = api.post("/api/library", "sec", files={"file": ("x.bin", b"\x00\x01" * 100)})
    assert r.status_code == 422 and "binary" in r.json()["error"]
    listed = api.get("/api/library", "obs").json()["resolutions"]
    assert [x["symbol"] for x in listed].count("A/RES/78/70") == 1


def test_an_amendment_says_whether_its_text_is_agreed_language(api: Api):
    agreed = ("Recognizes the importance of capability development and capacity-building, through both "
              "technical and financial assistance, to countering the threat posed by improvised explosive devices;")
    changed = agreed.replace("financial", "in-kind")
    fresh = "Decides to establish an annual festival of kites in every capital;"
    ids = []
    for text in (agreed, changed, fresh):
        r = api.post(f"/api/drafts/{api.draft_id}/amendments", "eg",
                     json={"operation": "add_paragraph", "position": "start:operative", "kind": "op", "new_text": text})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    body = api.get(f"/api/amendments/{ids[0]}/agreed-language", "obs").json()
    assert body["agreed"] is True
    assert (body["sources"][0]["symbol"], body["sources"][0]["label"]) == ("A/RES/79/53", "OP12")
    body = api.get(f"/api/amendments/{ids[1]}/agreed-language", "obs").json()
    assert body["agreed"] is False
    near = body["sources"][0]
    assert (near["symbol"], near["label"], near["match"]) == ("A/RES/79/53", "OP12", "near")
    assert 0.85 < near["similarity"] < 1
    body = api.get(f"/api/amendments/{ids[2]}/agreed-language", "obs").json()
    assert body["agreed"] is False and body["sources"] == []
    r = api.get("/api/amendments/99999/agreed-language", "obs")
    assert r.status_code == 404 and "no amendment 99999" in r.json()["error"]
    assert api.client.get(f"/api/amendments/{ids[0]}/agreed-language").status_code == 401


def test_an_upload_may_be_as_large_as_a_drafts_source_and_no_larger(api: Api):
    # A scanned or illustrated PDF is often over the 256 kB of a JSON body.
    data = (ROOT / "drafts" / "A_RES_78_70.md").read_bytes() + b"\n" * 400_000
    r = api.post("/api/library", "sec", files={"file": ("78_70.md", data)})
    assert r.status_code == 200, r.text
    r = api.post("/api/library", "sec", files={"file": ("huge.pdf", b"%PDF" + b"0" * 21_000_000)})
    assert r.status_code == 413 and "the limit here is 20.1 MB" in r.json()["error"]
