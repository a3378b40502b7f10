"""Who is asking: a bearer token (REST) or a `token` query parameter (websocket, since
browsers cannot set headers on a websocket), resolved to a Principal."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from penholder.auth import Principal, authenticate
from penholder.web.errors import ApiError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="penholder"'}


def token_of(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return conn.query_params.get("token") or None


def _authenticate(engine: Engine, token: str) -> Principal | None:
    with Session(engine) as db:
        return authenticate(db, token)


async def principal_of(conn: HTTPConnection) -> Principal:
    token = token_of(conn)
    if token is None:
        raise ApiError(401, "authentication required: send 'Authorization: Bearer <token>'", CHALLENGE)
    who = await asyncio.to_thread(_authenticate, conn.app.state.engine, token)
    if who is None:
        raise ApiError(401, "unknown or revoked token", CHALLENGE)
    return who


async def require(conn: HTTPConnection, action: str, draft_id: int | None = None) -> Principal:
    who = await principal_of(conn)
    if not who.can(action, draft_id):
        scope = f" on draft {draft_id}" if draft_id is not None and who.draft_id not in (None, draft_id) else ""
        raise ApiError(403, f"a {who.role.value} may not {action}{scope}")
    return who
