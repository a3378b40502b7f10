"""Sign-in with a password, browser sessions (cookie, CSRF, Origin), sign-out, expiry,
revocation, throttling, one-time links, invitations and API tokens, in process."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from inprocess import App, running
from argon2 import PasswordHasher, profiles

from penholder.auth import passwords, throttle
from penholder.auth.passwords import hash_password
from penholder.store.tables import Token, User, WebSession, utcnow

PASSWORD = "correct horse battery"
USERS = [("Amélie Durand", "France", "penholder"), ("Kim Lee", None, "secretariat"), ("Obs", "Holy See", "observer")]


CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)


@pytest.fixture(autouse=True, scope="module")
def cheap_hashes() -> Iterator[None]:
    """argon2's cheapest profile: the machine hashes dozens of passwords here, not one per
    sign-in. Once for the module: choosing a hasher hashes its dummy password, at the
    default cost 0.2 s of processor time, twice per test when it was put back after each."""
    passwords.use_hasher(CHEAP)
    yield
    passwords.use_hasher(PasswordHasher())


def test_passwords_are_stored_as_argon2id_with_the_default_parameters():
    passwords.use_hasher(PasswordHasher())
    try:
        stored = hash_password(PASSWORD)
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in stored
        assert passwords.verify_password(stored, PASSWORD) and not passwords.verify_password(stored, PASSWORD + "!")
    finally:
        passwords.use_hasher(CHEAP)


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    with running(database_url, USERS) as a:
        with Session(a.engine) as db, db.begin():
            for user in db.query(User):
                user.password_hash = hash_password(PASSWORD)
                user.email = {"Amélie Durand": "amelie@example.org", "Kim Lee": "kim@example.org"}.get(user.name)
        yield a


def sign_in(app: App, login: str = "Amélie Durand", password: str = PASSWORD, **kw):  # type: ignore[no-untyped-def]
    return app.client.post("/api/session", json={"login": login, "password": password}, **kw)


def csrf(app: App) -> dict[str, str]:
    return {"X-CSRF-Token": app.client.cookies["penholder_csrf"]}


def test_sign_in_by_name_or_email_sets_an_httponly_samesite_cookie(app: App):
    r = sign_in(app)
    assert r.status_code == 200 and r.json()["name"] == "Amélie Durand"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("penholder_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie and "Path=/" in cookie
    me = app.client.get(f"/api/me?draft={app.draft_id}").json()
    assert (me["name"], me["via"], me["role"], me["can"]["edit"]) == ("Amélie Durand", "session", "penholder", True)
    app.client.cookies.clear()
    assert sign_in(app, "AMELIE@example.org").status_code == 200
    assert app.client.get("/api/me").status_code == 200


def test_the_cookie_is_secure_under_https(app: App):
    r = app.client.post("https://testserver/api/session", json={"login": "Kim Lee", "password": PASSWORD})
    assert r.status_code == 200
    assert all("Secure" in h for h in r.headers.get_list("set-cookie"))


def test_a_wrong_password_is_refused_and_throttled_per_account(app: App):
    for _ in range(throttle.PER_ACCOUNT):
        r = sign_in(app, password="wrong password")
        assert r.status_code == 401 and r.json() == {"error": "wrong user name, email address or password"}
    r = sign_in(app)  # even the right password waits now
    assert r.status_code == 429 and "too many wrong passwords for this account" in r.json()["error"]
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    assert sign_in(app, "Kim Lee").status_code == 200  # another account from the same address is not blocked


def test_sign_in_is_throttled_per_address(app: App):
    for i in range(throttle.PER_ADDRESS):
        assert sign_in(app, f"nobody{i}", "wrong password").status_code == 401
    r = sign_in(app, "Kim Lee")
    assert r.status_code == 429 and "your address" in r.json()["error"]


def test_state_changes_by_cookie_need_the_csrf_token_and_this_site_as_origin(app: App):
    sign_in(app)
    url = f"/api/drafts/{app.draft_id}/sponsors"
    r = app.client.post(url, json={"delegation": "France"})
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["error"]
    r = app.client.post(url, json={"delegation": "France"}, headers={"X-CSRF-Token": "0" * 64})
    assert r.status_code == 403
    r = app.client.post(url, json={"delegation": "France"}, headers={**csrf(app), "Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json() == {"error": "a request from another site is refused"}
    r = app.client.post(url, json={"delegation": "France"}, headers={**csrf(app), "Origin": "http://testserver"})
    assert r.status_code in (200, 409), r.text  # France is a main sponsor already: 409, but it was let through
    assert app.client.get(url).status_code == 200  # reading needs no token


def test_a_cross_site_form_post_and_sign_in_are_refused(app: App):
    sign_in(app)
    r = app.client.post(f"/api/drafts/{app.draft_id}/amendments", data={"operation": "delete_text"},
                        headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    app.client.cookies.clear()
    r = sign_in(app, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "penholder_session" not in r.headers.get("set-cookie", "")


def test_the_websocket_takes_the_session_and_refuses_another_sites_page(app: App):
    sign_in(app)
    with app.client.websocket_connect(f"/ws/drafts/{app.draft_id}") as ws:
        assert ws.receive_bytes()  # the server's sync step 1: joined
    with pytest.raises(WebSocketDisconnect) as refused:
        with app.client.websocket_connect(f"/ws/drafts/{app.draft_id}", headers={"Origin": "https://evil.example"}) as ws:
            ws.receive_bytes()
    assert refused.value.code == 4401 and refused.value.reason == "a request from another site is refused"


def test_sign_out_ends_the_session_on_its_next_use(app: App):
    sign_in(app)
    secret = app.client.cookies["penholder_session"]
    r = app.client.delete("/api/session", headers=csrf(app))
    assert r.status_code == 200
    app.client.cookies.set("penholder_session", secret)  # a copy of the cookie kept somewhere
    r = app.client.get("/api/me")
    assert r.status_code == 401 and "session has ended" in r.json()["error"]


def test_sign_out_everywhere_and_expiry(app: App):
    sign_in(app)
    first = app.client.cookies["penholder_session"]
    app.client.cookies.clear()
    sign_in(app)
    r = app.client.delete("/api/sessions", headers=csrf(app))
    assert r.json() == {"signed_out": 2}
    app.client.cookies.set("penholder_session", first)
    assert app.client.get("/api/me").status_code == 401
    app.client.cookies.clear()
    sign_in(app)
    with Session(app.engine) as db, db.begin():
        db.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert app.client.get("/api/me").status_code == 401


def test_a_password_reset_link_goes_to_the_log_without_a_mail_server(app: App, caplog, monkeypatch):
    monkeypatch.delenv("PENHOLDER_SMTP_HOST", raising=False)
    with caplog.at_level(logging.WARNING, "penholder.mail"):
        r = app.client.post("/api/password-reset", json={"login": "amelie@example.org"})
        assert r.status_code == 202
        assert app.client.post("/api/password-reset", json={"login": "nobody"}).json() == r.json()
    link = re.search(r"/signin\.html#link=([\w-]+)", caplog.text).group(1)  # type: ignore[union-attr]
    assert app.client.post("/api/links/redeem", json={"link": link, "password": "short"}).status_code == 422
    caplog.clear()
    with caplog.at_level(logging.WARNING, "penholder.mail"):
        for _ in range(4):  # three are sent in an hour, the fourth is not; the answer does not change
            assert app.client.post("/api/password-reset", json={"login": "Kim Lee"}).status_code == 202
    assert caplog.text.count("#link=") == 3
    r = app.client.post("/api/links/redeem", json={"link": link, "password": "a new long password"})
    assert r.status_code == 200 and r.json()["name"] == "Amélie Durand"
    assert app.client.get("/api/me").json()["via"] == "session"
    r = app.client.post("/api/links/redeem", json={"link": link, "password": "another long password"})
    assert r.status_code == 410 and "used already" in r.json()["error"]
    app.client.cookies.clear()
    assert sign_in(app).status_code == 401
    assert sign_in(app, password="a new long password").status_code == 200


def test_invitations_focal_points_and_colleagues(app: App):
    sign_in(app, "Kim Lee")
    assert app.client.post("/api/delegations", json={"name": "Chile"}, headers=csrf(app)).status_code == 201
    r = app.client.post("/api/invitations", headers=csrf(app), json={
        "name": "Rosa Díaz", "email": "rosa@example.cl", "delegation": "Chile", "focal_point": True})
    assert r.status_code == 201, r.text
    assert r.json()["user"]["focal_point"] and r.json()["user"]["delegation"] == "Chile"
    link = r.json()["link"].split("#link=")[1]
    app.client.cookies.clear()
    r = app.client.post("/api/links/redeem", json={"link": link, "password": "rosa's long password"})
    assert r.status_code == 200 and r.json()["delegation"] == "Chile"
    r = app.client.post("/api/invitations", headers=csrf(app), json={"name": "Pablo", "delegation": "Chile"})
    assert r.status_code == 201 and not r.json()["user"]["focal_point"]
    colleague = r.json()["link"].split("#link=")[1]
    r = app.client.post("/api/invitations", headers=csrf(app), json={"name": "Spy", "delegation": "France"})
    assert r.status_code == 403 and "its own name" in r.json()["error"]
    r = app.client.post("/api/invitations", headers=csrf(app),
                        json={"name": "Boss", "delegation": "Chile", "focal_point": True})
    assert r.status_code == 403
    assert app.client.post("/api/delegations", json={"name": "Peru"}, headers=csrf(app)).status_code == 403
    assert {u["name"] for u in app.client.get("/api/people").json()["users"]} == {"Rosa Díaz", "Pablo"}
    app.client.cookies.clear()
    assert app.client.post("/api/links/redeem", json={"link": colleague, "password": "pablo's long password"}).status_code == 200
    r = app.client.post("/api/invitations", headers=csrf(app), json={"name": "X", "delegation": "Chile"})
    assert r.status_code == 403 and "invite" in r.json()["error"]


def test_an_expired_invitation_is_refused(app: App):
    sign_in(app, "Kim Lee")
    r = app.client.post("/api/invitations", headers=csrf(app), json={"name": "Late", "delegation": "Chile"})
    link = r.json()["link"].split("#link=")[1]
    from penholder.store.tables import OneTimeLink
    with Session(app.engine) as db, db.begin():
        db.execute(update(OneTimeLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = app.client.post("/api/links/redeem", json={"link": link, "password": "a long enough password"})
    assert r.status_code == 410


def test_the_secretariat_appoints_a_facilitator_per_draft(app: App):
    sign_in(app, "Kim Lee")
    people = app.client.get("/api/people").json()["users"]
    obs = next(u["id"] for u in people if u["name"] == "Obs")
    r = app.client.post(f"/api/drafts/{app.draft_id}/facilitators", json={"user": obs}, headers=csrf(app))
    assert r.status_code == 200 and [f["name"] for f in r.json()["facilitators"]] == ["Obs"]
    assert app.get(f"/api/me?draft={app.draft_id}", app.tokens["Obs"]).json()["can"]["decide"]
    r = app.delete(f"/api/drafts/{app.draft_id}/facilitators", app.tokens["Amélie Durand"], params={"user": obs})
    assert r.status_code == 403 and "may not appoint facilitators" in r.json()["error"]
    r = app.client.delete(f"/api/drafts/{app.draft_id}/facilitators", params={"user": obs}, headers=csrf(app))
    assert r.status_code == 200 and r.json()["facilitators"] == []
    assert not app.get(f"/api/me?draft={app.draft_id}", app.tokens["Obs"]).json()["can"]["decide"]


def test_api_tokens_are_named_scoped_listed_revoked_and_expire(app: App):
    sign_in(app)
    r = app.client.post("/api/tokens", headers=csrf(app),
                        json={"name": "nightly export", "draft_id": app.draft_id, "expires_days": 30})
    assert r.status_code == 201, r.text
    made = r.json()
    token = made["token"]
    assert app.get(f"/api/drafts/{app.draft_id}", token).status_code == 200
    assert app.get(f"/api/drafts/{app.draft_id + 1}", token).status_code == 403
    listed = app.client.get("/api/tokens").json()["tokens"]
    assert any(t["name"] == "nightly export" and t["draft_id"] == app.draft_id for t in listed)
    assert all("token" not in t for t in listed)
    r = app.post("/api/tokens", token, json={"name": "more"})
    assert r.status_code == 403 and "signed-in browser session" in r.json()["error"]
    assert app.client.delete(f"/api/tokens/{made['id']}", headers=csrf(app)).status_code == 200
    assert app.get("/api/me", token).status_code == 401
    r = app.client.post("/api/tokens", headers=csrf(app), json={"name": "short"})
    short = r.json()["token"]
    with Session(app.engine) as db, db.begin():
        db.execute(update(Token).where(Token.id == r.json()["id"]).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = app.get("/api/me", short)
    assert r.status_code == 401 and r.json()["error"] == "unknown, expired or revoked token"


def test_serve_demo_prints_a_one_time_sign_in_link_per_account(app: App):
    from penholder.commands.serve import DEMO_USERS, seed_demo

    lines = seed_demo(app.engine, "http://127.0.0.1:8000")
    links = {name: re.search(r"http://127\.0\.0\.1:8000/signin\.html#link=([\w-]+)", line).group(1)  # type: ignore[union-attr]
             for name, *_ in DEMO_USERS for line in lines if name in line and "#link=" in line}
    assert set(links) == {name for name, *_ in DEMO_USERS}
    r = app.client.post("/api/links/redeem", json={"link": links["Lucie Martin"]})  # no password to choose
    assert r.status_code == 200 and r.json()["name"] == "Lucie Martin"
    me = app.client.get(f"/api/me?draft={app.draft_id}").json()
    assert me["role"] == "penholder" and me["can"]["edit"]
    assert app.client.post("/api/links/redeem", json={"link": links["Lucie Martin"]}).status_code == 410


class SmtpSink:
    """A minimal SMTP server on a local port (the standard library has a client only):
    enough of RFC 5321 for smtplib to deliver one message, which it keeps."""

    def __init__(self) -> None:
        import socket
        import threading
        self.messages: list[str] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn, conn.makefile("rwb") as f:
            def say(line: str) -> None:
                f.write(line.encode() + b"\r\n")
                f.flush()
            say("220 sink ready")
            while line := f.readline().decode().strip():
                verb = line.split()[0].upper()
                if verb == "DATA":
                    say("354 go on")
                    body = []
                    while (part := f.readline().decode()) not in (".\r\n", ""):
                        body.append(part)
                    self.messages.append("".join(body))
                    say("250 kept")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 ok")


def test_a_reset_link_is_mailed_when_a_mail_server_is_configured(app: App, monkeypatch):
    sink = SmtpSink()
    monkeypatch.setenv("PENHOLDER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PENHOLDER_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("PENHOLDER_SMTP_TLS", "none")
    monkeypatch.setenv("PENHOLDER_SMTP_FROM", "penholder@un.example")
    r = app.client.post("/api/password-reset", json={"login": "Kim Lee"})
    assert r.status_code == 202
    sink.thread.join(10)
    [message] = sink.messages
    assert "To: kim@example.org" in message and "From: penholder@un.example" in message
    link = re.search(r"/signin\.html#link=([\w-]+)", message).group(1)  # type: ignore[union-attr]
    r = app.client.post("/api/links/redeem", json={"link": link, "password": "kim's new password"})
    assert r.status_code == 200 and r.json()["name"] == "Kim Lee"


def test_the_periodic_recheck_sees_a_session_signed_out_or_a_token_revoked_since(app: App):
    """web.auth.resolve_all, which re-checks every open websocket (web/ws.py, Rechecks),
    asks the database again: a session signed out or a token revoked since the socket
    opened is refused, with the message the socket is closed with; the others stand."""
    import asyncio

    from penholder.auth import revoke
    from penholder.web.auth import resolve_all
    from penholder.web.errors import ApiError

    sign_in(app)
    session = (None, app.client.cookies["penholder_session"])
    token = (app.tokens["Kim Lee"], None)
    other = (app.tokens["Obs"], None)

    def names() -> dict[tuple[str | None, str | None], str]:
        found = asyncio.run(resolve_all(app.engine, {session, token, other}))
        return {c: w.message if isinstance(w, ApiError) else w.name for c, w in found.items()}

    assert names() == {session: "Amélie Durand", token: "Kim Lee", other: "Obs"}
    assert app.client.delete("/api/sessions", headers=csrf(app)).status_code == 200
    assert revoke(app.engine, token[0])
    assert names() == {session: "your session has ended (signed out, expired or revoked): sign in again",
                       token: "unknown, expired or revoked token", other: "Obs"}
