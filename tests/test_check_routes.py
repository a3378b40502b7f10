"""`penholder check` and GET /api/drafts/{id}/checks: findings one per line with exit 1,
and references that an accepted amendment renumbered, with their technical update."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from penholder.auth import create_user
from penholder.cli import main
from penholder.store import make_engine, migrate
from penholder.web import create_app
from penholder.zero_draft import create_from_prior, secretariat_user

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def test_check_a_file_prints_a_line_per_finding_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PENHOLDER_DATABASE_URL", raising=False)
    text = (DRAFTS / "A_RES_75_59.txt").read_text()
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("71/72 of 5 December 2016", "71/72 of December 5, 2016"))
    assert main(["check", str(bad)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines == [f"{bad}: PP1 [61:77] date: write '5 December 2016': dates are written day, month in words, "
                     "year, with no comma or ordinal"]
    assert "1 findings" in err
    assert main(["check", str(DRAFTS / "A_RES_75_59.txt")]) == 0
    assert main(["check", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_check_a_draft_in_the_database(database_url, capsys):
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    draft_id = create_from_prior(engine, "A/RES/75/59", staff).id
    engine.dispose()
    # the rolled-over draft of 75/59 still cites the right dates and is well formed
    assert main(["check", str(draft_id), "--database-url", database_url]) == 0
    assert main(["check", "999", "--database-url", database_url]) == 2
    assert "no draft 999" in capsys.readouterr().err


def _paragraphs(body: dict) -> list[dict]:  # type: ignore[type-arg]
    """Every paragraph and subparagraph of GET /api/drafts/{id}, in order."""
    out: list[dict] = []  # type: ignore[type-arg]

    def walk(ps: list[dict]) -> None:  # type: ignore[type-arg]
        for p in ps:
            out.append(p)
            walk(p.get("subparagraphs", []))
    walk(body["preamble"] + body["operative"])
    return out


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_api_flags_references_an_accepted_insertion_moved(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    draft_id = create_from_prior(engine, "A/RES/75/59", staff).id
    # after the draft: the penholder's delegation is its main sponsor, the facilitator appointed to it
    _, eg = create_user(engine, "eg", "Egypt", "delegate")
    _, fac = create_user(engine, "fac", None, "facilitator")
    _, obs = create_user(engine, "obs", "Holy See", "observer")
    _, sec = create_user(engine, "sec", None, "secretariat")
    _, pen = create_user(engine, "pen", "France", "penholder")
    with TestClient(create_app(engine)) as client:
        def propose_and_accept(body: dict) -> None:  # type: ignore[type-arg]
            r = client.post(f"/api/drafts/{draft_id}/amendments", headers=_headers(eg), json=body)
            assert r.status_code == 201, r.text
            r = client.post(f"/api/amendments/{r.json()['id']}/accept", headers=_headers(fac), json={})
            assert r.status_code == 200, r.text

        text = client.get(f"/api/drafts/{draft_id}", headers=_headers(obs)).json()
        op10 = text["operative"][9]
        propose_and_accept({"operation": "insert_text", "paragraph_id": op10["id"], "position": "after",
                            "target_text": op10["text"].rstrip(";"), "new_text": ", as set out in paragraph 3 above"})
        body = client.get(f"/api/drafts/{draft_id}/checks", headers=_headers(obs)).json()
        assert body["count"] == 0 and "since_revision" not in body
        assert client.post(f"/api/drafts/{draft_id}/revisions", headers=_headers(fac), json={}).status_code == 201
        propose_and_accept({"operation": "add_paragraph", "position": "start:operative", "kind": "op",
                            "new_text": "Decides to keep the matter under review;"})
        body = client.get(f"/api/drafts/{draft_id}/checks", headers=_headers(obs)).json()
        assert body["since_revision"] == 1  # Rev.1, the first cut
        assert [(f["rule"], f["label"]) for f in body["findings"]] == [("reference", "OP11")]
        assert "it should read 'paragraph 4 above'" in body["findings"][0]["message"]
        assert body["reference_updates"][0]["paragraph_id"] == op10["id"]
        assert body["reference_updates"][0]["after"].endswith("as set out in paragraph 4 above;")
        # bad or unknown revisions are refused with a reason
        r = client.get(f"/api/drafts/{draft_id}/checks", params={"since": "x"}, headers=_headers(obs))
        assert r.status_code == 422 and "revision number" in r.json()["error"]
        r = client.get(f"/api/drafts/{draft_id}/checks", params={"since": 7}, headers=_headers(obs))
        assert r.status_code == 404 and "no revision 7" in r.json()["error"]
        assert client.get("/api/drafts/999/checks", headers=_headers(obs)).status_code == 404
        assert client.get(f"/api/drafts/{draft_id}/checks").status_code == 401
        # the Secretariat applies the update as a technical change; others may not
        url = f"/api/drafts/{draft_id}/checks/references"
        for who in (obs, fac, pen, eg):
            r = client.post(url, headers=_headers(who))
            assert r.status_code == 403, r.text
        r = client.post(url, headers=_headers(sec))
        assert r.status_code == 200, r.text
        assert [a["paragraph_id"] for a in r.json()["applied"]] == [op10["id"]]
        text = client.get(f"/api/drafts/{draft_id}", headers=_headers(obs)).json()
        assert text["operative"][10]["text"].endswith("as set out in paragraph 4 above;")
        assert client.get(f"/api/drafts/{draft_id}/checks", headers=_headers(obs)).json()["count"] == 0
        history = client.get(f"/api/drafts/{draft_id}/history", headers=_headers(obs)).json()["entries"]
        assert history[-1]["origin"] == "technical"
        assert client.post("/api/drafts/999/checks/references", headers=_headers(sec)).status_code == 404
    engine.dispose()


def test_the_api_says_which_paragraphs_keep_depart_from_or_cite_superseded_agreed_language(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    # a draft started from 75/59: the library also holds 79/53, which reworded some of it
    draft_id = create_from_prior(engine, "A/RES/75/59", staff).id
    _, token = create_user(engine, "Omar Farouk", "Egypt", "delegate")
    with TestClient(create_app(engine)) as client:
        plain = client.get(f"/api/drafts/{draft_id}/checks", headers=_headers(token)).json()
        assert "agreed_language" not in plain
        body = client.get(f"/api/drafts/{draft_id}/checks", params={"agreed": "true"}, headers=_headers(token)).json()
        r = client.get(f"/api/drafts/{draft_id}/checks", params={"agreed": "yes"}, headers=_headers(token))
        assert r.status_code == 422 and "'agreed' must be true or false" in r.json()["error"]
    by_label = {x["label"]: x for x in body["agreed_language"]}
    # PP2 of 75/59 stands word for word in 79/53: agreed, cited from the newest
    assert by_label["PP2"]["status"] == "agreed"
    assert by_label["PP2"]["source"]["symbol"] == "A/RES/79/53"
    # PP23 of 75/59 was reworded in 79/53: the draft cites superseded text
    pp23 = by_label["PP23"]
    assert pp23["status"] == "superseded"
    assert (pp23["source"]["symbol"], pp23["source"]["label"]) == ("A/RES/75/59", "PP23")
    assert (pp23["newer"]["symbol"], pp23["newer"]["label"]) == ("A/RES/79/53", "PP23")
    # the rollover's technical update changed PP1 (the citation of the last resolution): near
    assert by_label["PP1"]["status"] == "near"
    # what the editor marks: the words that depart, or that the later resolution changed,
    # and the update of a superseded paragraph to the later wording
    with TestClient(create_app(engine)) as client:
        by_id = {p["id"]: p["text"] for p in _paragraphs(client.get(f"/api/drafts/{draft_id}", headers=_headers(token)).json())}
    text = {x["label"]: by_id[x["paragraph_id"]] for x in body["agreed_language"]}
    assert [text["PP23"][a:b] for a, b in pp23["spans"]] == ["establishment"]
    a, b = pp23["update"]["span"]
    assert text["PP23"][a:b] == "establishment" and pp23["update"]["text"] == "work"
    assert [text["OP1"][a:b] for a, b in by_label["OP1"]["spans"]] == ["75/59"]
    assert by_label["PP2"]["spans"] == [[0, len(text["PP2"].rstrip(",;."))]]
    assert "update" not in by_label["PP2"] and "text" not in by_label["PP2"]["source"]
    # an update of the opening words brings the later lead ("Welcomes ..." -> "Requests ...")
    op23 = by_label["OP23"]["update"]
    assert op23["span"][0] == 0 and op23["text"].startswith("Requests the Office") and op23["lead"] == "Requests"
    assert "lead" not in pp23["update"]
    assert {x["status"] for x in body["agreed_language"]} <= {"agreed", "superseded", "near", "new", "unchecked"}
    engine.dispose()
