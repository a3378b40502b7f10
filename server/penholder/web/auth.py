"""Who is asking, and whether they may: the one authorization path of the web app.

`TokenBackend` runs in Starlette's AuthenticationMiddleware before any route: it resolves
the bearer token of the `Authorization` header (REST and websocket), for a websocket the
`token` query parameter (browsers cannot set headers on one), else the session cookie
of a signed-in browser. A request by cookie that changes anything must come from this
site (its Origin) and carry the session's CSRF token in X-CSRF-Token; a websocket from
another site's page is refused whatever it carries. A REST request to /api without a
valid session or token is answered 401 there, before any route looks anything up
(except the few routes that sign in: PUBLIC). Routes then call `require` with the
action, the draft and the delegation acted for, which asks `penholder.auth.policy.decide`
before anything is read or written."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import unquote, urlsplit

from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, BaseUser
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

from penholder.auth import Action, Principal, authenticate
from penholder.auth.policy import Forbidden, NewDraft, decide
from penholder.auth.sessions import COOKIE, CSRF_HEADER, csrf_ok, session_principal
from penholder.auth.roles import Role
from penholder.store import Engine
from penholder.web.errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="penholder"'}
NO_TOKEN = "you are not signed in: sign in, or send the token you were given"
BAD_TOKEN = "unknown, expired or revoked token"
BAD_SESSION = "your session has ended (signed out, expired or revoked): sign in again"
CROSS_SITE = "a request from another site is refused"
NO_CSRF = "missing or wrong X-CSRF-Token header: reload the page"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# Routes that sign in, so they cannot ask for a signed-in caller (their POST only).
PUBLIC = frozenset({"/api/session", "/api/links/redeem", "/api/password-reset"})


class Refused(AuthenticationError):
    """Authenticated, but from another site or without the CSRF token: 403, not 401."""
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


Credential = tuple[str | None, str | None]  # a connection's token, else its session cookie


def _authenticate(engine: Engine, token: str | None, session: str | None) -> Principal | None:
    return authenticate(engine, token) if token is not None else session_principal(engine, session or "")


def _authenticate_all(engine: Engine, credentials: list[Credential]) -> dict[Credential, Principal | None]:
    return {(token, session): _authenticate(engine, token, session) for token, session in credentials}


def own_origins(conn: HTTPConnection) -> set[str]:
    """This site's origins: the one the request was addressed to, and PENHOLDER_PUBLIC_URL's
    (the address people use, when a proxy in front changes the scheme or host)."""
    scheme = {"ws": "http", "wss": "https"}.get(conn.url.scheme, conn.url.scheme)
    origins = {f"{scheme}://{conn.url.netloc}"}
    if public := os.environ.get("PENHOLDER_PUBLIC_URL"):
        parts = urlsplit(public)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def same_site(conn: HTTPConnection) -> bool:
    """False for a browser request another site's page made (its Origin is not ours);
    clients that send no Origin (scripts, the CLI) are not browsers on another site."""
    origin = conn.headers.get("origin")
    return origin is None or origin in own_origins(conn)


def credential_of(conn: HTTPConnection) -> Credential:
    """What a connection signs in with: its token, else its session cookie."""
    token = token_of(conn)
    return token, None if token is not None else conn.cookies.get(COOKIE)


def _principal(credential: Credential, who: Principal | None) -> Principal:
    token, session = credential
    if token is None and not session:
        raise ApiError(401, NO_TOKEN, CHALLENGE)
    if who is None:
        raise ApiError(401, BAD_TOKEN if token is not None else BAD_SESSION, CHALLENGE)
    return who


async def resolve(conn: HTTPConnection) -> Principal:
    """The principal a connection's token or session cookie stands for now, looked up
    afresh (ApiError 401 if none)."""
    token, session = credential = credential_of(conn)
    if token is None and not session:
        raise ApiError(401, NO_TOKEN, CHALLENGE)
    return _principal(credential, await asyncio.to_thread(_authenticate, conn.app.state.engine, token, session))


async def resolve_all(engine: Engine, credentials: set[Credential]) -> dict[Credential, Principal | ApiError]:
    """What each of these credentials stands for now (a principal, or the ApiError 401 that
    `resolve` would raise), each looked up once, all on one thread: the periodic re-check
    of every open websocket (web/ws.py), which would otherwise cost a thread hop per socket
    every few seconds, competing with the event loop."""
    usable = [c for c in credentials if c[0] is not None or c[1]]
    found = await asyncio.to_thread(_authenticate_all, engine, usable) if usable else {}
    out: dict[Credential, Principal | ApiError] = {}
    for credential in credentials:
        try:
            out[credential] = _principal(credential, found.get(credential))
        except ApiError as exc:
            out[credential] = exc
    return out


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        websocket = conn.scope["type"] == "websocket"
        if websocket and not same_site(conn):
            return AuthCredentials(), NotSignedIn(CROSS_SITE)  # cross-site websocket hijacking
        if not websocket and not conn.url.path.startswith("/api/"):
            return None  # the browser client's files hold no data
        if not websocket and any(map(names_a_token, conn.query_params)):
            raise AuthenticationError(TOKEN_IN_URL)  # even beside a valid header: it is out now
        unsafe = not websocket and conn.scope.get("method", "GET") not in SAFE
        if conn.scope.get("method") == "POST" and conn.url.path in PUBLIC:
            if not same_site(conn):
                raise Refused(CROSS_SITE)  # e.g. signing a victim in to the attacker's account
            return None
        try:
            who = await resolve(conn)
        except ApiError as exc:
            if websocket:
                return AuthCredentials(), NotSignedIn(exc.message)
            raise AuthenticationError(exc.message) from None
        if unsafe and who.via == "session":
            if not same_site(conn):
                raise Refused(CROSS_SITE)
            if not csrf_ok(conn.cookies.get(COOKIE, ""), conn.headers.get(CSRF_HEADER)):
                raise Refused(NO_CSRF)
        return AuthCredentials(["authenticated"]), SignedIn(who)


def refuse_unauthenticated(conn: HTTPConnection, exc: AuthenticationError) -> Response:
    if isinstance(exc, Refused):
        return JSONResponse({"error": str(exc)}, status_code=403)
    return JSONResponse({"error": str(exc)}, status_code=401, headers=CHALLENGE)


async def principal_of(conn: HTTPConnection) -> Principal:
    """The signed-in principal the authentication middleware found (ApiError 401 if none).
    An open websocket's is looked up again by the periodic re-check (web/ws.py, Rechecks)."""
    user = conn.scope.get("user")
    if isinstance(user, SignedIn):
        return user.principal
    raise ApiError(401, user.reason if isinstance(user, NotSignedIn) else NO_TOKEN, CHALLENGE)


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
