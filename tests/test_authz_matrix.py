"""Who may do what, over every route of the OpenAPI document (and the websocket) x kind
of account x relation to the draft x own / other delegation x own / other draft, in process.

The routes come from the OpenAPI document (web/openapi.py), so a new route without a
rule here fails the test instead of going unchecked. Each cell asks for the route with a
token of one principal: a delegate of Egypt ("own": the delegation every request names
and every amendment is sponsored by) or of Algeria with no relation to the draft, a
delegate of France, the draft's main sponsor, a delegate of Chad appointed its
facilitator, an observer, an observer appointed facilitator, and Secretariat staff. The
role each holds on the draft is written out here (ROLE_ON_DRAFT), not taken from the
code. Each token is unscoped, limited to the draft the request touches, or limited to
another draft. An allowed cell must succeed; a refused one must answer 403 (409 where
the refusal is about the state: the sponsor leaving a co-sponsorship it cannot hold) and
leave every row of every table exactly as it was.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import text
from sqlalchemy.orm import Session

from inprocess import App, running
from server import ROOT
from penholder.amend.service import FilingLimit
from penholder.auth import issue_token
from penholder.auth.links import INVITE, issue_link
from penholder.auth.passwords import use_hasher
from penholder.auth.users import add_account, appoint
from penholder.store import create_draft
from penholder.store.tables import Token, User
from penholder.web.openapi import SPEC

PP7 = "res-79-53.pp7"
PROPOSERS = {"delegate", "penholder"}
# (kind of account, relation to the draft, delegation) and the account of before that
# `create_user` maps to it (its global role: penholder = main sponsor of the drafts that
# exist, facilitator = appointed to them).
PRINCIPALS = [("delegate", "none", "Egypt"), ("delegate", "none", "Algeria"), ("delegate", "main sponsor", "France"),
              ("delegate", "facilitator", "Chad"), ("observer", "none", "Holy See"), ("observer", "facilitator", None),
              ("secretariat", "none", None)]
LEGACY = {("delegate", "none"): "delegate", ("delegate", "main sponsor"): "penholder",
          ("delegate", "facilitator"): "facilitator", ("observer", "none"): "observer",
          ("observer", "facilitator"): "facilitator", ("secretariat", "none"): "secretariat"}
ROLE_ON_DRAFT = {("delegate", "none"): "delegate", ("delegate", "main sponsor"): "penholder",
                 ("delegate", "facilitator"): "facilitator", ("observer", "none"): "observer",
                 ("observer", "facilitator"): "facilitator", ("secretariat", "none"): "secretariat"}
SCOPES = ["unscoped", "this draft", "other draft"]
SETUP = [("setup-eg", "Egypt", "delegate"), ("setup-dz", "Algeria", "delegate"),
         ("setup-fac", None, "facilitator"), ("setup-sec", None, "secretariat")]


@dataclass(frozen=True)
class Who:
    kind: str
    relation: str
    delegation: str | None
    scope: str

    @property
    def role(self) -> str:
        """The role on the draft the request touches."""
        return ROLE_ON_DRAFT[(self.kind, self.relation)]

    @property
    def own(self) -> bool:
        return self.delegation == "Egypt"

    @property
    def proposer(self) -> bool:
        return self.role in PROPOSERS


@dataclass
class World:
    app: App
    other_draft: int
    tokens: dict[tuple[str, str | None, str], str]
    counter: Iterator[int]
    shared: dict[str, int]
    fingerprint: Fingerprint

    @property
    def draft(self) -> int:
        return self.app.draft_id

    def setup(self, name: str) -> str:
        return self.app.tokens[name]

    def amendment(self, status: str = "proposed", fresh: bool = True) -> int:
        """Egypt's amendment in that status: a new one, or (for a cell that must be
        refused, which changes nothing) one shared by such cells."""
        if not fresh and status in self.shared:
            return self.shared[status]
        r = self.app.post(f"/api/drafts/{self.draft}/amendments", self.setup("setup-eg"), json={
            "operation": "insert_text", "paragraph_id": PP7, "position": "after",
            "target_text": "equal opportunities", "new_text": f" ({next(self.counter)})"})
        assert r.status_code == 201, r.text
        a = r.json()["id"]
        if status == "rejected":
            assert self.app.post(f"/api/amendments/{a}/reject", self.setup("setup-fac"), json={}).status_code == 200
        if not fresh:
            self.shared[status] = a
        return a


# What a request needs: (path parameters, request keyword arguments), made per cell;
# `fresh` is False when the cell must be refused.
Prepare = Callable[[World, Who, bool], tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class Rule:
    allowed: Callable[[Who], bool]
    prepare: Prepare = lambda w, who, fresh: ({}, {})
    refused: Callable[[Who], int] = lambda who: 403
    on_draft: bool = True  # the route touches one draft, so a token for another is refused


def everyone(who: Who) -> bool:
    return True


def draft_params(extra: dict[str, Any] | None = None, **kw: Any) -> Prepare:
    return lambda w, who, fresh: ({"draft_id": w.draft, **(extra or {})}, kw)


def on_amendment(status: str = "proposed", body: Callable[[World], dict[str, Any]] | None = None) -> Prepare:
    def prepare(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"amendment_id": w.amendment(status, fresh)}, ({"json": body(w)} if body else {"json": {}})
    return prepare


def leave_cosponsorship(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    a = w.amendment()
    if who.proposer and not who.own:  # so that there is a co-sponsorship to leave, or a refusal must keep
        token = w.tokens[(who.kind, who.relation, who.delegation, "unscoped")]
        assert w.app.post(f"/api/amendments/{a}/cosponsors", token).status_code == 200
    return {"amendment_id": a}, {}


def leave_sponsors(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    r = w.app.post(f"/api/drafts/{w.draft}/sponsors", w.setup("setup-sec"), json={"delegation": "Egypt"})
    assert r.status_code in (200, 409), r.text
    return {"draft_id": w.draft}, {"params": {"delegation": "Egypt"}}


def import_list(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    items = "\n\n".join(f"{i}. Heading {i}: Encourages cooperation on item {i};" for i in range(1, 4))
    return {"draft_id": w.draft}, {"files": {"file": ("list.txt", items.encode(), "text/plain")},
                                   "data": {"delegation": "Egypt"}}


def join_sponsors(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    w.app.delete(f"/api/drafts/{w.draft}/sponsors", w.setup("setup-sec"), params={"delegation": "Egypt"})
    return {"draft_id": w.draft}, {"json": {"delegation": "Egypt"}}


def standing(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    value = ["agreed ad ref", "pending", "bracketed"][next(w.counter) % 3]
    return {"draft_id": w.draft, "number": 0, "paragraph_id": PP7}, {"json": {"standing": value}}


def on_comment(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    r = w.app.post(f"/api/drafts/{w.draft}/comments", w.setup("setup-eg"),
                   json={"paragraph_id": PP7, "text": f"comment {next(w.counter)}"})
    assert r.status_code == 201, r.text
    return {"comment_id": r.json()["id"]}, {}


def library_upload(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    data = (ROOT / "drafts" / "A_RES_79_53.txt").read_bytes()
    return {}, {"files": {"file": ("A_RES_79_53.txt", data, "text/plain")}}


def superseding(w: World) -> dict[str, Any]:
    return {"by": w.amendment("proposed", fresh=False)}


PASSWORD = "the matrix's own password"


def pw_user(w: World) -> int:
    """An account to sign in as (the routes that sign in are open to anyone): its id."""
    from penholder.auth.passwords import hash_password
    with Session(w.app.engine) as db, db.begin():
        user = db.query(User).filter_by(name="pw-user").one_or_none()
        if user is not None:
            return user.id
    user_id = add_account(w.app.engine, "pw-user", "Egypt", "delegate").id
    with Session(w.app.engine) as db, db.begin():
        db.get(User, user_id).password_hash = hash_password(PASSWORD)  # type: ignore[union-attr]
    return user_id


def sign_in_body(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    pw_user(w)
    return {}, {"json": {"login": "pw-user", "password": PASSWORD}}


def link_body(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    link = issue_link(w.app.engine, pw_user(w), INVITE)
    return {}, {"json": {"link": link, "password": PASSWORD}}


def own_token(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    with Session(w.app.engine) as db:
        user_id = db.query(User.id).filter_by(name=name(who.kind, who.relation, who.delegation)).one()[0]
    issue_token(w.app.engine, user_id, name=f"cell {next(w.counter)}")
    with Session(w.app.engine) as db:
        token_id = db.query(Token.id).filter_by(user_id=user_id).order_by(Token.id.desc()).first()[0]
    return {"token_id": token_id}, {}


def appointee(w: World, appointed: bool) -> int:
    with Session(w.app.engine) as db:
        found = db.query(User.id).filter_by(name="appointee").one_or_none()
    user_id = found[0] if found else add_account(w.app.engine, "appointee", None, "observer").id
    if appointed:
        appoint(w.app.engine, w.draft, user_id, None)
    return user_id


def appoint_body(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    return {"draft_id": w.draft}, {"json": {"user": appointee(w, False)}}


def dismiss_params(w: World, who: Who, fresh: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    return {"draft_id": w.draft}, {"params": {"user": appointee(w, True)}}


def session_only(who: Who) -> bool:
    return False  # these are done from a browser session; every cell here uses a token


EDITORS = {"penholder", "secretariat"}
COMMENTERS = {"delegate", "penholder", "facilitator", "secretariat"}
DECIDERS = {"facilitator"}
REVISERS = {"facilitator", "secretariat"}

RULES: dict[tuple[str, str], Rule] = {
    ("/api/me", "get"): Rule(everyone, on_draft=False),
    ("/api/openapi.json", "get"): Rule(everyone, on_draft=False),
    ("/api/drafts", "get"): Rule(everyone, on_draft=False),
    # creating a draft is editing; no token limited to a draft creates one
    # (a delegate who starts a draft holds its pen, whatever it is on this one)
    ("/api/drafts", "post"): Rule(lambda who: who.kind in ("delegate", "secretariat") and who.scope == "unscoped",
                                  lambda w, who, fresh: ({}, {"json": {"from": "A/RES/79/53"}}), on_draft=False),
    # reading an upload for review stores nothing, but is for those who may start a draft
    ("/api/drafts/preview", "post"): Rule(lambda who: who.kind in ("delegate", "secretariat") and who.scope == "unscoped",
                                          library_upload, on_draft=False),
    ("/api/drafts/{draft_id}", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/history", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/export", "get"): Rule(lambda who: who.role != "observer",
                                                   draft_params(params={"format": "md"})),
    ("/api/drafts/{draft_id}/package", "get"): Rule(lambda who: who.role != "observer", draft_params()),
    ("/api/drafts/{draft_id}/amendments", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/amendments", "post"): Rule(
        lambda who: who.proposer and who.own,
        lambda w, who, fresh: ({"draft_id": w.draft}, {"json": {
            "operation": "insert_text", "paragraph_id": PP7, "position": "before", "sponsor": "Egypt",
            "target_text": "equal opportunities", "new_text": f"({next(w.counter)}) "}})),
    ("/api/drafts/{draft_id}/amendments/import", "post"): Rule(lambda who: who.proposer and who.own, import_list),
    ("/api/drafts/{draft_id}/compilation", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/paragraphs/{paragraph_id}/history", "get"): Rule(
        everyone, draft_params({"paragraph_id": PP7})),
    ("/api/drafts/{draft_id}/delegations/{name}", "get"): Rule(everyone, draft_params({"name": "Egypt"})),
    ("/api/drafts/{draft_id}/revisions", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/revisions", "post"): Rule(lambda who: who.role in REVISERS, draft_params(json={})),
    ("/api/drafts/{draft_id}/revisions/{number}", "get"): Rule(everyone, draft_params({"number": 0})),
    ("/api/drafts/{draft_id}/revisions/{number}/paragraphs/{paragraph_id}", "put"): Rule(
        lambda who: who.role in REVISERS, standing),
    ("/api/drafts/{draft_id}/sponsors", "get"): Rule(everyone, draft_params()),
    # a delegation joins or leaves for itself; the Secretariat records any delegation
    ("/api/drafts/{draft_id}/sponsors", "post"): Rule(
        lambda who: (who.proposer and who.own) or who.role == "secretariat", join_sponsors),
    ("/api/drafts/{draft_id}/sponsors", "delete"): Rule(
        lambda who: (who.proposer and who.own) or who.role == "secretariat", leave_sponsors),
    ("/api/drafts/{draft_id}/table", "post"): Rule(
        lambda who: who.role == "secretariat",
        lambda w, who, fresh: ({"draft_id": w.draft}, {"json": {"symbol": "A/C.1/81/L.12"}})),
    # accounts: the routes that sign in are open to anyone (and ignore a token)
    ("/api/session", "post"): Rule(everyone, sign_in_body, on_draft=False),
    ("/api/links/redeem", "post"): Rule(everyone, link_body, on_draft=False),
    ("/api/password-reset", "post"): Rule(everyone, lambda w, who, fresh: ({}, {"json": {"login": "nobody"}}),
                                          on_draft=False),
    ("/api/session", "delete"): Rule(session_only, on_draft=False),
    ("/api/me/password", "put"): Rule(session_only, lambda w, who, fresh: (
        {}, {"json": {"current": PASSWORD, "password": "a new password here"}}), on_draft=False),
    ("/api/tokens", "post"): Rule(session_only, lambda w, who, fresh: ({}, {"json": {"name": "x"}}), on_draft=False),
    ("/api/sessions", "delete"): Rule(everyone, on_draft=False),
    ("/api/people", "get"): Rule(everyone, on_draft=False),
    ("/api/tokens", "get"): Rule(everyone, on_draft=False),
    ("/api/tokens/{token_id}", "delete"): Rule(everyone, own_token, on_draft=False),
    # no token limited to a draft manages accounts
    ("/api/delegations", "post"): Rule(
        lambda who: who.role == "secretariat" and who.scope == "unscoped",
        lambda w, who, fresh: ({}, {"json": {"name": f"Delegation {next(w.counter)}"}}), on_draft=False),
    ("/api/invitations", "post"): Rule(
        lambda who: who.role == "secretariat" and who.scope == "unscoped",
        lambda w, who, fresh: ({}, {"json": {"name": f"Invitee {next(w.counter)}", "delegation": "Egypt"}}),
        on_draft=False),
    ("/api/drafts/{draft_id}/settings", "put"): Rule(lambda who: who.role in EDITORS,
                                                     draft_params(json={"observers_propose": False})),
    ("/api/drafts/{draft_id}/facilitators", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/facilitators", "post"): Rule(lambda who: who.role == "secretariat", appoint_body),
    ("/api/drafts/{draft_id}/facilitators", "delete"): Rule(lambda who: who.role == "secretariat", dismiss_params),
    ("/api/drafts/{draft_id}/changes", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/activity", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/comments", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/comments", "post"): Rule(
        lambda who: who.role in COMMENTERS,
        lambda w, who, fresh: ({"draft_id": w.draft}, {"json": {"paragraph_id": PP7, "text": "a comment"}})),
    ("/api/comments/{comment_id}/resolve", "post"): Rule(lambda who: who.role in COMMENTERS, on_comment),
    ("/api/comments/{comment_id}/reopen", "post"): Rule(lambda who: who.role in COMMENTERS, on_comment),
    ("/api/drafts/{draft_id}/checks", "get"): Rule(everyone, draft_params()),
    ("/api/drafts/{draft_id}/checks/references", "post"): Rule(lambda who: who.role == "secretariat", draft_params()),
    ("/api/library", "get"): Rule(everyone, on_draft=False),
    # the library is shared by every draft: no token limited to one draft changes it; a
    # facilitator (here, of the draft) or the Secretariat adds to it
    ("/api/library", "post"): Rule(lambda who: who.role in REVISERS and who.scope == "unscoped", library_upload,
                                   on_draft=False),
    ("/api/library/search", "get"): Rule(everyone, lambda w, who, fresh: ({}, {"params": {"q": "equal opportunities"}}),
                                         on_draft=False),
    ("/api/amendments/{amendment_id}/agreed-language", "get"): Rule(everyone, on_amendment()),
    ("/api/amendments/{amendment_id}", "get"): Rule(everyone, on_amendment()),
    # a preview stores nothing: anyone who reads the draft may see what accepting would do
    ("/api/amendments/{amendment_id}/preview", "post"): Rule(everyone, on_amendment()),
    # the amendment is Egypt's: another delegation may support it, the sponsor may not
    ("/api/amendments/{amendment_id}/cosponsors", "post"): Rule(
        lambda who: who.proposer and not who.own, on_amendment()),
    ("/api/amendments/{amendment_id}/cosponsors", "delete"): Rule(
        lambda who: who.proposer and not who.own, leave_cosponsorship,
        refused=lambda who: 409 if who.proposer and who.own and who.scope != "other draft" else 403),
    ("/api/amendments/{amendment_id}/withdraw", "post"): Rule(lambda who: who.proposer and who.own, on_amendment()),
    ("/api/amendments/{amendment_id}/accept", "post"): Rule(lambda who: who.role in DECIDERS, on_amendment()),
    ("/api/amendments/{amendment_id}/reject", "post"): Rule(lambda who: who.role in DECIDERS, on_amendment()),
    ("/api/amendments/{amendment_id}/supersede", "post"): Rule(
        lambda who: who.role in DECIDERS, on_amendment(body=superseding)),
    ("/api/amendments/{amendment_id}/reopen", "post"): Rule(
        lambda who: who.role in DECIDERS, on_amendment("rejected")),
}

OPERATIONS = sorted((path, method) for path, ops in SPEC["paths"].items() for method in ops)


def expected(rule: Rule, who: Who) -> int | None:
    """None if the cell is allowed, else the status of its refusal."""
    if rule.on_draft and who.scope == "other draft":
        return 403
    return None if rule.allowed(who) else rule.refused(who)


class Fingerprint:
    """Every row of every table (read in one transaction, the table names included), on a
    connection of the test's own. It is read again only when another connection has
    committed since the last reading (SQLite's `PRAGMA data_version`): until then every
    row is as it was. A run of refused cells, which change nothing, reads the database
    once instead of twice per cell; a commit, even one that changes no row, has the rows
    read and compared in full."""

    def __init__(self, database: str) -> None:
        self.conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        self.version: int | None = None
        self.digest = ""

    def __call__(self) -> str:
        self.conn.execute("BEGIN")
        try:
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self.version:
                digest = hashlib.sha256()
                for (table,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                  "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
                    digest.update(table.encode())
                    digest.update(repr(self.conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()).encode())
                self.version, self.digest = version, digest.hexdigest()
        finally:
            self.conn.execute("COMMIT")
        return self.digest

    def close(self) -> None:
        self.conn.close()


def name(kind: str, relation: str, delegation: str | None) -> str:
    return f"{kind}/{relation}/{delegation}"


IDS = [f"{k}-{r}-{d or 'none'}".replace(" ", "_") for k, r, d in PRINCIPALS]


@pytest.fixture(scope="module")
def cheap_passwords() -> Iterator[None]:
    """argon2's cheapest profile while the matrix signs in and sets passwords (42 cells,
    each a hash of 64 MiB and 3 passes at the product's default): what is checked here is
    who may, not the hash. The product offers this for test suites (passwords.use_hasher)."""
    use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    yield
    use_hasher(PasswordHasher())


@pytest.fixture(scope="module")
def world(tmp_path_factory, cheap_passwords) -> Iterator[World]:
    users = SETUP + [(name(k, r, d), d, LEGACY[(k, r)]) for k, r, d in PRINCIPALS]
    with running(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'm.db'}", users,
                 filing_limit=FilingLimit(1_000_000, 3600)) as app:
        with Session(app.engine) as db, db.begin():
            other = create_draft(db, title="Another draft", session=81, created_by=1).id
            ids = {n: i for i, n in db.query(User.id, User.name)}
        tokens = {}
        for k, r, d in PRINCIPALS:
            user_id = ids[name(k, r, d)]
            tokens[(k, r, d, "unscoped")] = app.tokens[name(k, r, d)]
            tokens[(k, r, d, "this draft")] = issue_token(app.engine, user_id, draft_id=app.draft_id)
            tokens[(k, r, d, "other draft")] = issue_token(app.engine, user_id, draft_id=other)
        assert app.post(f"/api/drafts/{app.draft_id}/revisions", app.tokens["setup-fac"], json={}).status_code == 201
        # A client keeps the draft's room open, as in a negotiation: REST changes then go
        # to the live document instead of loading and unloading it each time.
        with app.client.websocket_connect(f"/ws/drafts/{app.draft_id}?token={app.tokens['setup-fac']}"):
            fingerprint = Fingerprint(app.engine.url.database)
            try:
                yield World(app, other, tokens, itertools.count(1), {}, fingerprint)
            finally:
                fingerprint.close()


def test_every_route_of_the_openapi_document_has_a_rule():
    assert set(OPERATIONS) - set(RULES) == set(), "routes without an authorization rule in this test"
    assert set(RULES) - set(OPERATIONS) == set(), "rules for routes the OpenAPI document does not describe"


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("kind, relation, delegation", PRINCIPALS, ids=IDS)
@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_matrix(world: World, path: str, method: str, kind: str, relation: str, delegation: str | None, scope: str):
    rule = RULES.get((path, method))
    assert rule is not None, f"no authorization rule for {method.upper()} {path}: add one to RULES"
    who = Who(kind, relation, delegation, scope)
    refusal = expected(rule, who)
    params, kw = rule.prepare(world, who, refusal is None)
    url = path.format(**params)
    # only a refusal must leave the database as it was: an allowed cell skips the read of every row
    before = world.fingerprint() if refusal is not None else None
    try:
        r = world.app.request(method.upper(), url, world.tokens[(kind, relation, delegation, scope)], **kw)
    finally:
        world.app.client.cookies.clear()  # a sign-in cell's session stays out of the next cells
    if refusal is None:
        assert 200 <= r.status_code < 300, (r.status_code, r.text)
        return
    assert r.status_code == refusal, (r.status_code, r.text)
    assert r.json()["error"]
    assert world.fingerprint() == before, "a refused request changed the database"


def test_refusals_before_any_lookup_say_nothing_of_what_exists(world: World):
    """Without a valid token every route answers 401, whether what it names exists or not."""
    a = world.amendment()
    for url in (f"/api/amendments/{a}", "/api/amendments/999999", f"/api/drafts/{world.draft}", "/api/drafts/999999",
                "/api/no/such/route"):
        for token in (None, "ph_forged"):
            r = world.app.get(url, token)
            assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer"), (url, r.text)


def test_a_token_in_the_address_is_refused_however_encoded(world: World):
    token = world.tokens[("observer", "none", "Holy See", "unscoped")]
    for key in ("token", "%74oken", "%2574oken", "TOKEN", "access_token"):
        r = world.app.get(f"/api/me?{key}={token}")
        assert r.status_code == 401 and "Authorization header" in r.json()["error"], key
        r = world.app.get(f"/api/me?{key}={token}", token)  # beside a valid header too
        assert r.status_code == 401 and "Authorization header" in r.json()["error"], key
    r = world.app.get("/api/me")
    assert r.status_code == 401 and r.json()["error"] == "you are not signed in: sign in, or send the token you were given"


def test_a_forged_sponsor_is_refused_for_everyone(world: World):
    body = {"operation": "delete_text", "paragraph_id": PP7, "target_text": " full", "sponsor": "Chad"}
    before = world.fingerprint()
    for k, rel, deleg in PRINCIPALS:
        r = world.app.post(f"/api/drafts/{world.draft}/amendments", world.tokens[(k, rel, deleg, "unscoped")], json=body)
        assert r.status_code == 403, (k, rel, deleg, r.text)
    assert world.fingerprint() == before


def test_sponsor_names_match_exactly_not_as_patterns(world: World):
    sec = world.setup("setup-sec")
    assert world.app.post(f"/api/drafts/{world.draft}/sponsors", sec, json={"delegation": "Algeria"}).status_code == 200
    before = world.fingerprint()
    for pattern in ("%", "Alg%", "_lgeria"):
        r = world.app.delete(f"/api/drafts/{world.draft}/sponsors", sec, params={"delegation": pattern})
        assert r.status_code == 409 and "does not sponsor" in r.json()["error"], (pattern, r.text)
    assert world.fingerprint() == before
    r = world.app.delete(f"/api/drafts/{world.draft}/sponsors", sec, params={"delegation": "algeria"})
    assert r.status_code == 200 and "Algeria" not in str(r.json())
    assert world.fingerprint() != before, "the fingerprint must see a change the app committed"


def test_main_sponsors_are_for_the_penholder_or_the_secretariat(world: World):
    before = world.fingerprint()
    r = world.app.post(f"/api/drafts/{world.draft}/sponsors", world.tokens[("delegate", "none", "Egypt", "unscoped")],
                       json={"kind": "main"})
    assert r.status_code == 403 and "it is for a penholder or the Secretariat" in r.json()["error"]
    assert world.fingerprint() == before


def websocket_edit(app: App, token: str, draft: int, text_value: str) -> int | None:
    """Join the draft's room and send an edit; None if it was taken (the server answered the
    sync request that followed it), else the close code."""
    from pycrdt import Doc, Text
    from starlette.websockets import WebSocketDisconnect

    from penholder.sync import protocol
    from penholder.sync.protocol import Step

    edit = Doc()
    edit["t"] = Text(text_value)
    try:
        with app.client.websocket_connect(f"/ws/drafts/{draft}?token={token}") as ws:
            ws.send_bytes(protocol.sync_message(Step.UPDATE, edit.get_update()))
            ws.send_bytes(protocol.sync_message(Step.STATE_VECTOR, Doc().get_state()))
            while True:
                m = protocol.parse(ws.receive_bytes())
                if m.kind == protocol.Kind.SYNC and m.step == Step.DIFF:
                    return None
    except WebSocketDisconnect as exc:
        return exc.code


def last_seq(app: App, draft: int) -> int:
    with app.engine.connect() as conn:
        return conn.execute(text("SELECT last_seq FROM drafts WHERE id = :d"), {"d": draft}).scalar_one()


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("kind, relation, delegation", PRINCIPALS, ids=IDS)
def test_websocket_matrix(world: World, kind: str, relation: str, delegation: str | None, scope: str):
    """The websocket asks the same question: everyone reads; only the penholder (a main
    sponsor) and the Secretariat edit; a token for another draft does not open this one."""
    who = Who(kind, relation, delegation, scope)
    before = last_seq(world.app, world.draft)
    code = websocket_edit(world.app, world.tokens[(kind, relation, delegation, scope)], world.draft,
                          f"{kind} {relation} {scope}")
    if scope == "other draft":
        assert code == 4403 and last_seq(world.app, world.draft) == before
    elif who.role in EDITORS:
        assert code is None and last_seq(world.app, world.draft) == before + 1
    else:
        assert code == 4403 and last_seq(world.app, world.draft) == before
