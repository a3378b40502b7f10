"""Who is asking, and whether they may: the one authorization path of the web app.

`TokenBackend` runs in Starlette's AuthenticationMiddleware before any route: it resolves
the bearer token of the `Authorization` header (REST and websocket) or, for a websocket
only, the `token` query parameter (browsers cannot set headers on one). A REST request to
/api without a valid token is answered 401 there, before any route looks anything up.
Routes then call `require` with the action, the draft and the delegation acted for,
which asks `penholder.auth.policy.decide` before anything is read or written."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, BaseUser
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

from penholder.auth import Action, Principal, authenticate
from penholder.auth.policy import Forbidden, NewDraft, decide
from penholder.auth.roles import Role
from penholder.web.errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="penholder"'}
NO_TOKEN = "you are not signed in: sign in with the token you were given"
BAD_TOKEN = "unknown or revoked token"
TOKEN_IN_URL = ("a token in the address is not accepted (addresses end up in logs and browser "
                "history): send it in the Authorization header")


class SignedIn(BaseUser):
    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.principal.name


class NotSignedIn(BaseUser):
    """A websocket without a valid token: it is refused after the handshake, with the reason
    in the close frame (a refused handshake tells a browser nothing)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @property
    def is_authenticated(self) -> bool:
        return False


def _bearer(conn: HTTPConnection) -> str | None:
    scheme, _, value = conn.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def names_a_token(key: str) -> bool:
    """Whether a query key is `token` under any layers of percent-encoding."""
    for _ in range(5):
        decoded = unquote(key)
        if decoded == key:
            break
        key = decoded
    return key.strip().lower() in ("token", "access_token")


def token_of(conn: HTTPConnection) -> str | None:
    """The token a connection carries: the Authorization header; for a websocket, also the
    `token` query parameter."""
    if (token := _bearer(conn)) is not None:
        return token
    if conn.scope["type"] == "websocket":
        return conn.query_params.get("token") or None
    return None


def _authenticate(engine: Engine, token: str) -> Principal | None:
    with Session(engine) as db:
        return authenticate(db, token)


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        websocket = conn.scope["type"] == "websocket"
        if not websocket and not conn.url.path.startswith("/api/"):
            return None  # the browser client's files hold no data
        if not websocket and any(map(names_a_token, conn.query_params)):
            raise AuthenticationError(TOKEN_IN_URL)  # even beside a valid header: it is out now
        token = token_of(conn)
        if token is None:
            reason = NO_TOKEN
        else:
            who = await asyncio.to_thread(_authenticate, conn.app.state.engine, token)
            if who is not None:
                return AuthCredentials(["authenticated"]), SignedIn(who)
            reason = BAD_TOKEN
        if websocket:
            return AuthCredentials(), NotSignedIn(reason)
        raise AuthenticationError(reason)


def refuse_unauthenticated(conn: HTTPConnection, exc: AuthenticationError) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=401, headers=CHALLENGE)


async def principal_of(conn: HTTPConnection) -> Principal:
    """The signed-in principal (ApiError 401 if none)."""
    user = conn.scope.get("user")
    if isinstance(user, SignedIn):
        return user.principal
    raise ApiError(401, user.reason if isinstance(user, NotSignedIn) else NO_TOKEN, CHALLENGE)


async def principal_now(conn: HTTPConnection) -> Principal:
    """The principal the connection's credentials resolve to now, looked up again: an open
    websocket outlives the check made when it connected (revocation, expiry, role changes)."""
    token = token_of(conn)
    who = await asyncio.to_thread(_authenticate, conn.app.state.engine, token) if token else None
    if who is None:
        raise ApiError(401, BAD_TOKEN if token else NO_TOKEN, CHALLENGE)
    return who


async def require(conn: HTTPConnection, action: Action | str, draft_id: int | NewDraft | None = None, *,
                  acting_for: int | str | None = None, staff_for_anyone: bool = False,
                  roles: frozenset[Role] | None = None) -> Principal:
    """The principal, if it may do `action` (see policy.decide); ApiError 401 or 403 if not."""
    who = await principal_of(conn)
    try:
        decide(who, action, draft_id, acting_for=acting_for, staff_for_anyone=staff_for_anyone, roles=roles)
    except Forbidden as exc:
        raise ApiError(403, str(exc)) from None
    return who
