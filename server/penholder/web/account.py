"""Signing in and out, one-time links, password resets, invitations, facilitators and API
tokens: the REST routes of accounts (docs/security.md). Every route but the three that
sign in (web.auth.PUBLIC) asks web.auth.require first, as every other route does."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from penholder import mail
from penholder.auth import issue_token
from penholder.auth.links import (INVITE, NEEDS_PASSWORD, RESET, RESETS_PER_HOUR, issue_link, link_url, purpose_of,
                                  recent_resets, redeem)
from penholder.auth.passwords import check_password, hash_password, verify_password
from penholder.auth.roles import Kind, Role
from penholder.auth.sessions import (COOKIE, CSRF_COOKIE, csrf_token, end_all_sessions, end_session, lifetime,
                                     start_session)
from penholder.auth.signin import BadCredentials, find_account, sign_in
from penholder.auth.throttle import Throttled
from penholder.auth.tokens import list_tokens, revoke_by_id, token_json
from penholder.auth.users import add_account, appoint, dismiss, find_delegation, get_or_create_delegation
from penholder.store.tables import Delegation, Draft, DraftFacilitator, User
from penholder.web.amendments import body_of
from penholder.web.auth import require
from penholder.web.errors import ApiError

log = logging.getLogger(__name__)
LINK_GONE = "this link is unknown, was used already or has expired: ask for a new one"
SESSION_ONLY = "this is done from a signed-in browser session, not with an API token"


def _engine(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.engine


def base_url(request: Request) -> str:
    return os.environ.get("PENHOLDER_PUBLIC_URL") or str(request.base_url).rstrip("/")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or base_url(request).startswith("https:")


def signed_in(request: Request, user: User, secret: str, status: int = 200) -> JSONResponse:
    """The answer that starts a browser session: the session cookie (HttpOnly) and the CSRF
    token (readable by the page, which sends it back in X-CSRF-Token)."""
    response = JSONResponse({"name": user.name, "delegation": user.delegation.name if user.delegation else None,
                             "kind": user.kind, "csrf": csrf_token(secret)}, status_code=status)
    age = int(lifetime().total_seconds())
    secure = _secure(request)
    response.set_cookie(COOKIE, secret, max_age=age, path="/", httponly=True, samesite="lax", secure=secure)
    response.set_cookie(CSRF_COOKIE, csrf_token(secret), max_age=age, path="/", httponly=False, samesite="lax",
                        secure=secure)
    return response


def signed_out(body: dict[str, Any]) -> JSONResponse:
    response = JSONResponse(body)
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


# -- the routes that sign in (no caller signed in yet) ----------------------------------------

async def sign_in_route(request: Request) -> Response:
    body = await body_of(request)
    address = request.client.host if request.client else "unknown"

    def work() -> tuple[User, str] | Exception:
        with Session(_engine(request)) as db:
            try:
                user = sign_in(db, body.get("login"), body.get("password"), address)
            except (BadCredentials, Throttled) as exc:
                db.commit()  # the failure counts
                return exc
            secret = start_session(db, user)
            db.commit()
            db.refresh(user)
            _ = user.delegation
            return user, secret

    result = await asyncio.to_thread(work)
    if isinstance(result, Throttled):
        raise ApiError(429, str(result), {"Retry-After": str(result.retry_after)})
    if isinstance(result, Exception):
        raise ApiError(401, str(result))
    return signed_in(request, *result)


async def redeem_link(request: Request) -> Response:
    """An invitation or reset link: sets the password and signs the person in. A demo
    account's link signs in without one. A link that needs a password is not used up by
    a request without one (422), so the page can ask for it."""
    body = await body_of(request)
    secret = str(body.get("link") or "")
    purpose = await asyncio.to_thread(_purpose, _engine(request), secret)
    if purpose is None:
        raise ApiError(410, LINK_GONE)
    password = None
    if purpose in NEEDS_PASSWORD:
        try:
            password = hash_password(check_password(body.get("password")))
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None

    def work() -> tuple[User, str] | None:
        with Session(_engine(request)) as db:
            found = redeem(db, secret)
            if found is None:
                return None
            user, _ = found
            if password is not None:
                user.password_hash = password
                end_all_sessions(db, user.id)  # a reset signs out whoever knew the old password
            session = start_session(db, user)
            db.commit()
            db.refresh(user)
            _ = user.delegation
            return user, session

    result = await asyncio.to_thread(work)
    if result is None:
        raise ApiError(410, LINK_GONE)
    return signed_in(request, *result)


def _purpose(engine, secret: str) -> str | None:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        return purpose_of(db, secret)


async def password_reset(request: Request) -> Response:
    """Send a reset link to the account's address (or the operator's log). The answer is the
    same whether or not the account exists, so that it tells nobody who has one."""
    body = await body_of(request)
    login = body.get("login")
    if not isinstance(login, str) or not login.strip() or len(login) > 320:
        raise ApiError(422, "give your user name or email address")
    base = base_url(request)

    def work() -> tuple[str | None, str, str] | None:
        with Session(_engine(request)) as db, db.begin():
            user = find_account(db, login)
            if user is None or recent_resets(db, user) >= RESETS_PER_HOUR:
                return None
            return user.email, user.name, link_url(base, issue_link(db, user, RESET))

    found = await asyncio.to_thread(work)
    if found is not None:
        email, name, link = found
        await asyncio.to_thread(mail.send, email, "Penholder: choose a new password",
                                f"{name},\n\nOpen this link within an hour to choose a new password:\n{link}\n\n"
                                "If you did not ask for it, ignore this message.\n")
    return JSONResponse({"sent": "if the account exists, a link was sent to its address (or to the operator)"},
                        status_code=202)


# -- the signed-in session -----------------------------------------------------------------

async def sign_out(request: Request) -> Response:
    who = await require(request, "read")
    if who.via != "session":
        raise ApiError(403, SESSION_ONLY)
    await asyncio.to_thread(_end, _engine(request), request.cookies.get(COOKIE, ""))
    return signed_out({"signed_out": True})


def _end(engine, secret: str) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as db, db.begin():
        end_session(db, secret)


async def sign_out_everywhere(request: Request) -> Response:
    who = await require(request, "read")

    def work() -> int:
        with Session(_engine(request)) as db, db.begin():
            return end_all_sessions(db, who.user_id)

    n = await asyncio.to_thread(work)
    return signed_out({"signed_out": n})


async def change_password(request: Request) -> Response:
    who = await require(request, "read")
    if who.via != "session":
        raise ApiError(403, SESSION_ONLY)
    body = await body_of(request)
    try:
        new = hash_password(check_password(body.get("password")))
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None

    def work() -> bool:
        with Session(_engine(request)) as db, db.begin():
            user = db.get(User, who.user_id)
            if user is None or not verify_password(user.password_hash, str(body.get("current") or "")):
                return False
            user.password_hash = new
            return True

    if not await asyncio.to_thread(work):
        raise ApiError(403, "the current password is wrong")
    return JSONResponse({"changed": True})


# -- delegations, invitations, facilitators ------------------------------------------------

def user_json(u: User) -> dict[str, Any]:
    return {"id": u.id, "name": u.name, "email": u.email, "kind": u.kind,
            "delegation": u.delegation.name if u.delegation else None, "focal_point": u.focal_point,
            "signed_up": u.password_hash is not None}


async def list_people(request: Request) -> Response:
    """Delegations and their people: all of them for the Secretariat, one's own delegation
    for anyone else."""
    who = await require(request, "read")

    def work() -> dict[str, Any]:
        with Session(_engine(request)) as db:
            q = select(User).order_by(User.name)
            if who.kind is not Kind.SECRETARIAT:
                q = q.where(User.delegation_id == who.delegation_id) if who.delegation_id else q.where(User.id == who.user_id)
            names = [d.name for d in db.scalars(select(Delegation).order_by(Delegation.name))]
            return {"delegations": names if who.kind is Kind.SECRETARIAT else [who.delegation] if who.delegation else [],
                    "users": [user_json(u) for u in db.scalars(q)]}

    return JSONResponse(await asyncio.to_thread(work))


async def create_delegation(request: Request) -> Response:
    body = await body_of(request)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(422, "give the delegation's name")
    await require(request, "invite", roles=frozenset({Role.SECRETARIAT}))

    def work() -> tuple[str, bool]:
        with Session(_engine(request)) as db, db.begin():
            found = find_delegation(db, name)
            return (found.name, False) if found else (get_or_create_delegation(db, name).name, True)

    try:
        created, fresh = await asyncio.to_thread(work)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse({"name": created}, status_code=201 if fresh else 200)


async def invite(request: Request) -> Response:
    """Create an account and its one-time sign-in link (mailed when there is an address and
    a mail server; shown to the inviter in any case, to hand over)."""
    body = await body_of(request)
    delegation = body.get("delegation")
    if delegation is not None and not isinstance(delegation, str):
        raise ApiError(422, "delegation must be a name")
    who = await require(request, "invite", acting_for=delegation or "", staff_for_anyone=True)
    staff = who.kind is Kind.SECRETARIAT
    kind = body.get("kind") or (Kind.DELEGATE.value if delegation else Kind.SECRETARIAT.value)
    if not staff and (body.get("focal_point") or kind != who.kind.value):
        raise ApiError(403, f"a focal point invites colleagues of its own delegation, as {who.kind.value}s "
                            "and not as focal points")
    base = base_url(request)

    def work() -> tuple[dict[str, Any], str, str | None]:
        with Session(_engine(request)) as db, db.begin():
            user = add_account(db, str(body.get("name") or ""), delegation, kind, email=body.get("email"),
                               focal_point=bool(body.get("focal_point")) and staff)
            link = link_url(base, issue_link(db, user, INVITE, created_by=who.user_id))
            return user_json(user), link, user.email

    try:
        person, link, email = await asyncio.to_thread(work)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    how = await asyncio.to_thread(mail.send, email, "Penholder: your invitation",
                                  f"{person['name']},\n\n{who.name} invites you to Penholder. Open this link within "
                                  f"7 days to choose your password and sign in:\n{link}\n")
    return JSONResponse({"user": person, "link": link, "sent_by": how}, status_code=201)


def _draft_id(request: Request) -> int:
    return int(request.path_params["draft_id"])


async def list_facilitators(request: Request) -> Response:
    draft_id = _draft_id(request)
    await require(request, "read", draft_id)

    def work() -> list[dict[str, Any]]:
        with Session(_engine(request)) as db:
            if db.get(Draft, draft_id) is None:
                raise ApiError(404, f"no draft {draft_id}")
            rows = db.scalars(select(User).join(DraftFacilitator, DraftFacilitator.user_id == User.id)
                              .where(DraftFacilitator.draft_id == draft_id).order_by(User.name))
            return [{"id": u.id, "name": u.name, "delegation": u.delegation.name if u.delegation else None}
                    for u in rows]

    return JSONResponse({"draft_id": draft_id, "facilitators": await asyncio.to_thread(work)})


async def change_facilitators(request: Request) -> Response:
    """POST {"user": id} appoints, DELETE ?user=id dismisses: the Secretariat's."""
    draft_id = _draft_id(request)
    body = await body_of(request) if request.method == "POST" else dict(request.query_params)
    who = await require(request, "appoint", draft_id)
    ref = body.get("user")
    if not (isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit())):
        raise ApiError(422, "user must be an account's id")

    def work() -> None:
        with Session(_engine(request)) as db, db.begin():
            if db.get(Draft, draft_id) is None:
                raise ApiError(404, f"no draft {draft_id}")
            user = db.get(User, int(ref))
            if user is None:
                raise ApiError(404, f"no user {ref}")
            if request.method == "POST":
                appoint(db, draft_id, user, who.user_id)
            elif not dismiss(db, draft_id, user.id):
                raise ApiError(409, f"{user.name} is not a facilitator of draft {draft_id}")

    try:
        await asyncio.to_thread(work)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return await list_facilitators(request)


async def draft_settings(request: Request) -> Response:
    """PUT {"observers_propose": true|false}: whether observers may propose on the draft;
    its penholders (main sponsors) or the Secretariat decide."""
    draft_id = _draft_id(request)
    body = await body_of(request)
    await require(request, "edit", draft_id, roles=frozenset({Role.PENHOLDER, Role.SECRETARIAT}))
    value = body.get("observers_propose")
    if not isinstance(value, bool):
        raise ApiError(422, "observers_propose must be true or false")

    def work() -> None:
        with Session(_engine(request)) as db, db.begin():
            draft = db.get(Draft, draft_id)
            if draft is None:
                raise ApiError(404, f"no draft {draft_id}")
            draft.observers_propose = value

    await asyncio.to_thread(work)
    return JSONResponse({"draft_id": draft_id, "observers_propose": value})


# -- API tokens ----------------------------------------------------------------------------

async def list_own_tokens(request: Request) -> Response:
    who = await require(request, "read")

    def work() -> list[dict[str, object]]:
        with Session(_engine(request)) as db:
            return [token_json(t) for t in list_tokens(db, who.user_id)]

    return JSONResponse({"tokens": await asyncio.to_thread(work)})


async def create_token(request: Request) -> Response:
    """A named token for scripts, issued from a browser session (a token does not mint more)."""
    body = await body_of(request)
    draft = body.get("draft_id")
    if draft is not None and not isinstance(draft, int):
        raise ApiError(422, "draft_id must be a draft's id")
    who = await require(request, "read", draft)
    if who.via != "session":
        raise ApiError(403, SESSION_ONLY)
    days = body.get("expires_days")
    if days is not None and not isinstance(days, int | float):
        raise ApiError(422, "expires_days must be a number of days")

    def work() -> dict[str, object]:
        with Session(_engine(request)) as db, db.begin():
            if draft is not None and db.get(Draft, draft) is None:
                raise ApiError(404, f"no draft {draft}")
            user = db.get(User, who.user_id)
            assert user is not None
            secret = issue_token(db, user, draft_id=draft, name=str(body.get("name") or "") or None, expires_days=days)
            row = list_tokens(db, who.user_id)[0]
            return token_json(row) | {"token": secret}

    try:
        made = await asyncio.to_thread(work)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse(made, status_code=201)


async def revoke_token(request: Request) -> Response:
    """Revoke one of one's own tokens (the Secretariat: anyone's)."""
    who = await require(request, "read")
    token_id = int(request.path_params["token_id"])

    def work() -> bool:
        with Session(_engine(request)) as db, db.begin():
            return revoke_by_id(db, token_id, None if who.kind is Kind.SECRETARIAT else who.user_id)

    if not await asyncio.to_thread(work):
        raise ApiError(404, f"no live token {token_id} of yours")
    return JSONResponse({"revoked": token_id})
