"""Roles that belong to a draft: a main sponsor edits its draft and only proposes on the
next; a facilitator appointed to one draft decides there and nowhere else; observers
propose only where the draft allows it; migration 0004 maps the global roles of before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from inprocess import running
from penholder.auth import authenticate, issue_token
from penholder.auth.users import add_account, appoint
from penholder.store import create_draft, make_engine, migrate
from penholder.store.db import alembic_config
from penholder.store.tables import User
from test_authz_matrix import websocket_edit

PP7 = "res-79-53.pp7"


def proposal(n: int) -> dict:
    return {"operation": "insert_text", "paragraph_id": PP7, "position": "after",
            "target_text": "equal opportunities", "new_text": f" ({n})"}


@pytest.fixture
def two_drafts(tmp_path):
    users = [("Pen", "France", "penholder"), ("Del", "Egypt", "delegate"), ("Obs", "Holy See", "observer"),
             ("Sec", None, "secretariat")]
    with running(f"sqlite:///{tmp_path / 'r.db'}", users) as app:
        second = app.post("/api/drafts", app.tokens["Sec"], json={"from": "A/RES/79/53"})
        assert second.status_code == 201, second.text
        yield app, second.json()["id"]


def test_a_main_sponsor_edits_its_draft_and_only_proposes_on_another(two_drafts):
    app, other = two_drafts
    pen = app.tokens["Pen"]
    assert websocket_edit(app, pen, app.draft_id, "France edits its draft") is None
    assert websocket_edit(app, pen, other, "France edits another") == 4403
    assert app.post(f"/api/drafts/{other}/amendments", pen, json=proposal(1)).status_code == 201
    me = app.get(f"/api/me?draft={other}", pen).json()
    assert me["role"] == "delegate" and not me["can"]["edit"] and me["can"]["propose"]
    me = app.get(f"/api/me?draft={app.draft_id}", pen).json()
    assert me["role"] == "penholder" and me["can"]["edit"] and me["drafts"] == {str(app.draft_id): "penholder"}


def test_a_delegation_that_starts_a_draft_holds_its_pen(two_drafts):
    app, _ = two_drafts
    r = app.post("/api/drafts", app.tokens["Del"], json={"from": "A/RES/79/53"})
    assert r.status_code == 201, r.text
    mine = r.json()["id"]
    assert websocket_edit(app, app.tokens["Del"], mine, "Egypt's own draft") is None
    assert "Egypt" in app.get(f"/api/drafts/{mine}/sponsors", app.tokens["Del"]).text
    r = app.post("/api/drafts", app.tokens["Obs"], json={"from": "A/RES/79/53"})
    assert r.status_code == 403 and r.json()["error"] == "an observer may not edit (only a penholder or the Secretariat may)"


def test_a_facilitator_decides_on_the_draft_it_was_appointed_to_only(two_drafts):
    app, other = two_drafts
    chair = add_account(app.engine, "Chair", "Chad", "delegate")
    appoint(app.engine, app.draft_id, chair.id, None)
    token = issue_token(app.engine, chair.id)
    filed = [app.post(f"/api/drafts/{d}/amendments", app.tokens["Del"], json=proposal(i)).json()["id"]
             for i, d in enumerate((app.draft_id, other))]
    assert app.post(f"/api/amendments/{filed[0]}/accept", token, json={}).status_code == 200
    r = app.post(f"/api/amendments/{filed[1]}/accept", token, json={})
    assert r.status_code == 403 and r.json()["error"] == f"a delegate on draft {other} may not decide amendments (only a facilitator may)"
    # a facilitator stays neutral on its draft, and negotiates for Chad on the other
    assert app.post(f"/api/drafts/{app.draft_id}/amendments", token, json=proposal(5)).status_code == 403
    assert app.post(f"/api/drafts/{other}/amendments", token, json=proposal(6)).status_code == 201


def test_observers_propose_and_comment_only_where_the_draft_allows_it(two_drafts):
    app, other = two_drafts
    obs = app.tokens["Obs"]
    comment = {"paragraph_id": "res-79-53.pp7", "text": "The Holy See asks for the source of this wording."}
    r = app.post(f"/api/drafts/{app.draft_id}/amendments", obs, json=proposal(1))
    assert r.status_code == 403 and "an observer" in r.json()["error"]
    r = app.post(f"/api/drafts/{app.draft_id}/comments", obs, json=comment)
    assert r.status_code == 403 and "an observer" in r.json()["error"]
    r = app.put(f"/api/drafts/{app.draft_id}/settings", app.tokens["Del"], json={"observers_propose": True})
    assert r.status_code == 403
    r = app.put(f"/api/drafts/{app.draft_id}/settings", app.tokens["Pen"], json={"observers_propose": True})
    assert r.status_code == 200, r.text
    assert app.post(f"/api/drafts/{app.draft_id}/amendments", obs, json=proposal(2)).status_code == 201
    assert app.post(f"/api/drafts/{other}/amendments", obs, json=proposal(3)).status_code == 403
    assert app.post(f"/api/drafts/{app.draft_id}/comments", obs, json=comment).status_code == 201
    assert app.post(f"/api/drafts/{other}/comments", obs, json=comment).status_code == 403
    me = app.get(f"/api/me?draft={app.draft_id}", obs).json()
    assert me["role"] == "observer" and me["can"]["comment"] and me["can"]["propose"] and not me["can"]["export"]


def test_migration_0007_maps_the_global_roles(database_url):
    engine = make_engine(database_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003_amendment_context")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for i, name in enumerate(("France", "Chad"), 1):
            conn.execute(text("INSERT INTO delegations (id, name) VALUES (:i, :n)"), {"i": i, "n": name})
        for i, (name, deleg, role) in enumerate([("Pen", 1, "penholder"), ("Fac", 2, "facilitator"),
                                                 ("Chair", None, "facilitator"), ("Sec", None, "secretariat"),
                                                 ("Obs", None, "observer")], 1):
            conn.execute(text("INSERT INTO users (id, name, delegation_id, role, created_at) VALUES (:i, :n, :d, :r, :t)"),
                         {"i": i, "n": name, "d": deleg, "r": role, "t": now})
        for d in (1, 2):
            conn.execute(text("INSERT INTO drafts (id, session, title, created_at, created_by, last_seq) "
                              "VALUES (:d, 80, 'T', :t, 4, 0)"), {"d": d, "t": now})
    migrate(engine)
    with Session(engine) as db:
        kinds = {u.name: u.kind for u in db.query(User)}
        assert kinds == {"Pen": "delegate", "Fac": "delegate", "Chair": "observer", "Sec": "secretariat",
                         "Obs": "observer"}
        ids = {u.name: u.id for u in db.query(User)}
    tokens = {n: issue_token(engine, i) for n, i in ids.items()}
    roles = {n: [authenticate(engine, t).role_on(d).value for d in (1, 2)] for n, t in tokens.items()}  # type: ignore[union-attr]
    assert roles == {"Pen": ["penholder"] * 2, "Fac": ["facilitator"] * 2, "Chair": ["facilitator"] * 2,
                     "Sec": ["secretariat"] * 2, "Obs": ["observer"] * 2}
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_issue_date")
    with engine.connect() as conn:
        back = dict(conn.execute(text("SELECT name, role FROM users")).all())
    assert back == {"Pen": "penholder", "Fac": "facilitator", "Chair": "facilitator", "Sec": "secretariat",
                    "Obs": "observer"}
    engine.dispose()
