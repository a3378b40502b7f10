"""Signing in and out, one-time links, password resets, invitations, facilitators and API
tokens: the REST routes of accounts (docs/security.md). Every route but the three that
sign in (web.auth.PUBLIC) asks web.auth.require first, as every other route does."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from penholder import mail
from penholder.auth import users
from penholder.auth.links import NEEDS_PASSWORD, link_url, purpose_of, redeem, reset_link
from penholder.auth.passwords import check_password, hash_password, verify_password
from penholder.auth.roles import Kind, Role
from penholder.auth.sessions import COOKIE, CSRF_COOKIE, csrf_token, end_all_sessions, end_session, lifetime
from penholder.auth.signin import BadCredentials, sign_in
from penholder.auth.throttle import Throttled
from penholder.auth.tokens import new_token, token_json
from penholder.store import accounts, drafts, facilitators, tokens
from penholder.store.accounts import Account
from penholder.store.errors import Conflict, Missing
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


def signed_in(request: Request, user: Account, secret: str, status: int = 200) -> JSONResponse:
    """The answer that starts a browser session: the session cookie (HttpOnly) and the CSRF
    token (readable by the page, which sends it back in X-CSRF-Token)."""
    response = JSONResponse({"name": user.name, "delegation": user.delegation,
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
    try:
        user, secret = await asyncio.to_thread(sign_in, _engine(request), body.get("login"), body.get("password"),
                                               address)
    except Throttled as exc:
        raise ApiError(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
    except BadCredentials as exc:
        raise ApiError(401, str(exc)) from None
    return signed_in(request, user, secret)


async def redeem_link(request: Request) -> Response:
    """An invitation or reset link: sets the password and signs the person in. A demo
    account's link signs in without one. A link that needs a password is not used up by
    a request without one (422), so the page can ask for it."""
    body = await body_of(request)
    secret = str(body.get("link") or "")
    purpose = await asyncio.to_thread(purpose_of, _engine(request), secret)
    if purpose is None:
        raise ApiError(410, LINK_GONE)
    password = None
    if purpose in NEEDS_PASSWORD:
        try:
            password = hash_password(check_password(body.get("password")))
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None

    # With a password, the other sessions end (a reset signs out whoever knew the old one).
    result = await asyncio.to_thread(redeem, _engine(request), secret, password)
    if result is None:
        raise ApiError(410, LINK_GONE)
    return signed_in(request, *result)


async def password_reset(request: Request) -> Response:
    """Send a reset link to the account's address (or the operator's log). The answer is the
    same whether or not the account exists, so that it tells nobody who has one."""
    body = await body_of(request)
    login = body.get("login")
    if not isinstance(login, str) or not login.strip() or len(login) > 320:
        raise ApiError(422, "give your user name or email address")
    found = await asyncio.to_thread(reset_link, _engine(request), login, base_url(request))
    if found is not None:
        user, link = found
        await asyncio.to_thread(mail.send, user.email, "Penholder: choose a new password",
                                f"{user.name},\n\nOpen this link within an hour to choose a new password:\n{link}\n\n"
                                "If you did not ask for it, ignore this message.\n")
    return JSONResponse({"sent": "if the account exists, a link was sent to its address (or to the operator)"},
                        status_code=202)


# -- the signed-in session -----------------------------------------------------------------

async def sign_out(request: Request) -> Response:
    who = await require(request, "read")
    if who.via != "session":
        raise ApiError(403, SESSION_ONLY)
    await asyncio.to_thread(end_session, _engine(request), request.cookies.get(COOKIE, ""))
    return signed_out({"signed_out": True})


async def sign_out_everywhere(request: Request) -> Response:
    who = await require(request, "read")
    n = await asyncio.to_thread(end_all_sessions, _engine(request), who.user_id)
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
        user = accounts.get(_engine(request), who.user_id)
        if user is None or not verify_password(user.password_hash, str(body.get("current") or "")):
            return False
        # Stored only over the hash the current password was checked against.
        return accounts.set_password(_engine(request), user.id, new, was=user.password_hash)

    if not await asyncio.to_thread(work):
        raise ApiError(403, "the current password is wrong")
    return JSONResponse({"changed": True})


# -- delegations, invitations, facilitators ------------------------------------------------

def user_json(u: Account) -> dict[str, Any]:
    return {"id": u.id, "name": u.name, "email": u.email, "kind": u.kind, "delegation": u.delegation,
            "focal_point": u.focal_point, "signed_up": u.signed_up}


async def list_people(request: Request) -> Response:
    """Delegations and their people: all of them for the Secretariat, one's own delegation
    for anyone else."""
    who = await require(request, "read")

    def work() -> dict[str, Any]:
        engine = _engine(request)
        if who.kind is Kind.SECRETARIAT:
            return {"delegations": accounts.delegation_names(engine),
                    "users": [user_json(u) for u in accounts.listing(engine)]}
        people = (accounts.listing(engine, delegation_id=who.delegation_id) if who.delegation_id
                  else accounts.listing(engine, user_id=who.user_id))
        return {"delegations": [who.delegation] if who.delegation else [], "users": [user_json(u) for u in people]}

    return JSONResponse(await asyncio.to_thread(work))


async def create_delegation(request: Request) -> Response:
    body = await body_of(request)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(422, "give the delegation's name")
    await require(request, "invite", roles=frozenset({Role.SECRETARIAT}))

    try:
        created, fresh = await asyncio.to_thread(accounts.find_or_add_delegation, _engine(request),
                                                 users.delegation_name(name))
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

    def work() -> tuple[Account, str]:
        return users.invite(_engine(request), str(body.get("name") or ""), delegation, kind, email=body.get("email"),
                           focal_point=bool(body.get("focal_point")) and staff, created_by=who.user_id)

    try:
        user, secret = await asyncio.to_thread(work)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    person, link = user_json(user), link_url(base, secret)
    how = await asyncio.to_thread(mail.send, user.email, "Penholder: your invitation",
                                  f"{person['name']},\n\n{who.name} invites you to Penholder. Open this link within "
                                  f"7 days to choose your password and sign in:\n{link}\n")
    return JSONResponse({"user": person, "link": link, "sent_by": how}, status_code=201)


def _draft_id(request: Request) -> int:
    return int(request.path_params["draft_id"])


async def list_facilitators(request: Request) -> Response:
    draft_id = _draft_id(request)
    await require(request, "read", draft_id)

    try:
        rows = await asyncio.to_thread(facilitators.of_draft, _engine(request), draft_id)
    except Missing as exc:
        raise ApiError(404, str(exc)) from None
    return JSONResponse({"draft_id": draft_id, "facilitators": [
        {"id": u.id, "name": u.name, "delegation": u.delegation} for u in rows]})


async def change_facilitators(request: Request) -> Response:
    """POST {"user": id} appoints, DELETE ?user=id dismisses: the Secretariat's."""
    draft_id = _draft_id(request)
    body = await body_of(request) if request.method == "POST" else dict(request.query_params)
    who = await require(request, "appoint", draft_id)
    ref = body.get("user")
    if not (isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit())):
        raise ApiError(422, "user must be an account's id")

    try:
        if request.method == "POST":
            await asyncio.to_thread(users.appoint, _engine(request), draft_id, int(ref), who.user_id)
        else:
            await asyncio.to_thread(facilitators.dismiss, _engine(request), draft_id, int(ref))
    except Missing as exc:
        raise ApiError(404, str(exc)) from None
    except Conflict as exc:
        raise ApiError(409, str(exc)) from None
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

    if not await asyncio.to_thread(drafts.set_observers_propose, _engine(request), draft_id, value):
        raise ApiError(404, f"no draft {draft_id}")
    return JSONResponse({"draft_id": draft_id, "observers_propose": value})


# -- API tokens ----------------------------------------------------------------------------

async def list_own_tokens(request: Request) -> Response:
    who = await require(request, "read")

    rows = await asyncio.to_thread(tokens.live, _engine(request), who.user_id)
    return JSONResponse({"tokens": [token_json(t) for t in rows]})


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

    if draft is not None and await asyncio.to_thread(drafts.info, _engine(request), draft) is None:
        raise ApiError(404, f"no draft {draft}")
    try:
        secret, new = new_token(draft, name=str(body.get("name") or "") or None, expires_days=days)
        row = await asyncio.to_thread(tokens.issue, _engine(request), who.user_id, new)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    except Missing as exc:
        raise ApiError(404, str(exc)) from None
    return JSONResponse(token_json(row) | {"token": secret}, status_code=201)


async def revoke_token(request: Request) -> Response:
    """Revoke one of one's own tokens (the Secretariat: anyone's)."""
    who = await require(request, "read")
    token_id = int(request.path_params["token_id"])

    if not await asyncio.to_thread(tokens.revoke_id, _engine(request), token_id,
                                   None if who.kind is Kind.SECRETARIAT else who.user_id):
        raise ApiError(404, f"no live token {token_id} of yours")
    return JSONResponse({"revoked": token_id})
