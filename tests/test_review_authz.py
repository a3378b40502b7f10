"""Who may use the review routes: every route x every role, in process. Reading is for
every role (and no one without a token, nor a token for another draft); commenting for
every role but observers; cutting revisions and setting standing for facilitators and
the Secretariat. A refused request stores nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from inprocess_review import Api, api
from penholder.auth import issue_token
from penholder.store.tables import User
from penholder.zero_draft import create_from_prior, secretariat_user

ROLES = {"delegate": ("dz", "Algeria"), "penholder": ("fr", "France"), "facilitator": ("fac", None),
         "secretariat": ("sec", None), "observer": ("obs", "Holy See")}
USERS = [(name, delegation, role) for role, (name, delegation) in ROLES.items()] + [("eg", "Egypt", "delegate")]
PP7 = "res-79-53.pp7"


@pytest.fixture(scope="module")
def a(tmp_path_factory) -> Iterator[Api]:
    with api(f"sqlite:///{tmp_path_factory.mktemp('authz') / 'r.db'}", USERS) as client:
        am = client.file("eg", operation="delete_text", paragraph_id=PP7, target_text=" full")
        client.amendment = am  # type: ignore[attr-defined]
        client.thread = client.post(client.d("/comments"), "eg", json={"paragraph_id": PP7, "text": "x"}).json()  # type: ignore[attr-defined]
        with Session(client.engine) as db, db.begin():
            staff = secretariat_user(db).id
        other = create_from_prior(client.engine, "A/RES/79/53", staff).id
        with Session(client.engine) as db:
            user_id = db.query(User.id).filter_by(name="fac").one()[0]
        client.tokens["fac@other"] = issue_token(client.engine, user_id, draft_id=other)
        yield client


def reads(a: Api) -> list[str]:
    am = a.amendment  # type: ignore[attr-defined]
    return [a.d("/changes"), a.d("/changes?against=rev:0"), a.d("/activity"), a.d("/comments"),
            a.d(f"/paragraphs/{PP7}/history"), a.d("/revisions"), a.d("/revisions/0"), f"/api/amendments/{am['id']}"]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_reads(a: Api, role: str):
    for path in reads(a):
        r = a.get(path, ROLES[role][0])
        assert r.status_code == 200, (path, role, r.text)
    r = a.post(f"/api/amendments/{a.amendment['id']}/preview", ROLES[role][0], json={})  # type: ignore[attr-defined]
    assert r.status_code == 200


def test_no_token_or_another_drafts_token_reads_nothing(a: Api):
    for path in reads(a)[:-1]:
        assert a.client.get(path).status_code == 401, path
        r = a.get(path, "fac@other")
        assert r.status_code == 403 and "error" in r.json(), path
    assert a.post(a.d("/comments"), "fac@other", json={"paragraph_id": PP7, "text": "x"}).status_code == 403


@pytest.mark.parametrize("role", list(ROLES))
def test_comment_and_resolve(a: Api, role: str):
    who = ROLES[role][0]
    before = len(a.get(a.d("/comments"), "obs").json()["threads"])
    r = a.post(a.d("/comments"), who, json={"paragraph_id": PP7, "text": f"from a {role}"})
    resolve = a.post(f"/api/comments/{a.thread['id']}/resolve", who)  # type: ignore[attr-defined]
    after = len(a.get(a.d("/comments"), "obs").json()["threads"])
    if role == "observer":
        assert (r.status_code, resolve.status_code, after) == (403, 403, before)
    else:
        assert (r.status_code, resolve.status_code, after) == (201, 200, before + 1)
        assert r.json()["comments"][0]["by"] == who  # under its own name
        assert a.post(f"/api/comments/{a.thread['id']}/reopen", who).status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", list(ROLES))
def test_revisions_and_standing(a: Api, role: str):
    who = ROLES[role][0]
    count = len(a.get(a.d("/revisions"), "obs").json()["revisions"])
    r = a.post(a.d("/revisions"), who, json={})
    may = role in ("facilitator", "secretariat")
    assert r.status_code == (201 if may else 403), (role, r.text)
    now = a.get(a.d("/revisions"), "obs").json()["revisions"]
    assert len(now) == count + (1 if may else 0) + (1 if may and count == 0 else 0)  # the zero draft with Rev.1
    if now:
        last = now[-1]["number"]
        r = a.put(a.d(f"/revisions/{last}/paragraphs/{PP7}"), who, json={"standing": "bracketed"})
        assert r.status_code == (200 if may else 403)
