"""The y-websocket endpoint: authenticate, then join the draft's room.

The token travels in the `token` query parameter (y-websocket's `params` option) or an
`Authorization: Bearer` header. Refusals are sent as close frames with a reason after
the handshake, so that a client can show why; before it, a browser sees only "failed".
The token or session cookie is checked again every few seconds while the socket is open,
so that a revoked or expired token, a session signed out, or a role that no longer allows
it, ends the session: one task of the app re-checks every open socket at once, each
credential looked up once, on one thread (a task and a thread hop per socket cost a
hundred-editor room fifty lookups a second, whose threads took the GIL from the event
loop in the middle of its broadcasts).

Plain Starlette websockets: each connection reads its messages in its own task and
handles them in order; what the room sends it goes through a queue that one writer
task empties, so a slow client never holds up a broadcast.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from starlette.websockets import WebSocket, WebSocketDisconnect

from penholder.auth import Principal
from penholder.auth.policy import Forbidden, decide
from penholder.store import Engine
from penholder.sync.hooks import Refused
from penholder.sync.room import CLOSE_MALFORMED, CLOSE_TOO_SLOW
from penholder.web.auth import Credential, credential_of, principal_of, resolve_all
from penholder.web.errors import ApiError

log = logging.getLogger(__name__)

MAX_MESSAGE = 4 * 1024 * 1024  # the whole text of a resolution is ~40 kB as an update
OUTBOX = 4096  # messages queued for one client before it is dropped as too slow
RECHECK_S = 2.0  # how often an open socket's token is checked again
# uvicorn's websocket implementation (its `ws` setting), for serve and the tests alike. The
# sans-I/O one writes each message to the transport at once, where the default awaits a
# drain per message: a broadcast to a hundred clients reached the last of them sooner
# (benchmarks/sync_bench.py, same runs: p99 14-16 ms instead of 23-33 ms).
UVICORN_WS = "websockets-sansio"
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011


class WsConnection:
    """One client's socket: `send` queues, a writer task sends in order and closes."""

    def __init__(self, ws: WebSocket, principal: Principal) -> None:
        self.ws = ws
        self.principal = principal
        self.outbox: deque[bytes] = deque()
        self.closing: tuple[int, str] | None = None
        self._wake = asyncio.Event()
        self._writer = asyncio.create_task(self._write())

    def send(self, data: bytes) -> None:
        if self.closing:
            return
        if len(self.outbox) >= OUTBOX:
            self._shut(CLOSE_TOO_SLOW, "too slow: messages were piling up")
            return
        self.outbox.append(data)
        self._wake.set()

    def _shut(self, code: int, reason: str) -> None:
        if self.closing is None:
            self.closing = (code, reason)
            self.outbox.clear()
            self._wake.set()

    async def _write(self) -> None:
        try:
            while True:
                while self.outbox:
                    await self.ws.send_bytes(self.outbox.popleft())
                if self.closing:
                    break
                self._wake.clear()
                await self._wake.wait()
            await self.ws.close(*self.closing)
        except Exception:  # the peer went away; the reader notices and cleans up
            self.outbox.clear()

    async def close(self, code: int, reason: str) -> None:
        """Close with this code and reason (what is queued is dropped)."""
        self._shut(code, reason)
        await self.finish()

    async def finish(self) -> None:
        """Send what is queued, then close (with the pending reason, if any)."""
        if self.closing is None:
            self.closing = (1000, "")
            self._wake.set()
        await asyncio.wait([self._writer], timeout=5)
        if not self._writer.done():
            self._writer.cancel()

    async def messages(self):  # type: ignore[no-untyped-def]
        """The client's binary messages until it leaves or the connection closes."""
        while self.closing is None:
            try:
                message = await self.ws.receive()
            except (WebSocketDisconnect, RuntimeError):
                return
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is None:
                await self.close(CLOSE_MALFORMED, "text frames are not the y-websocket protocol; send binary")
                return
            if len(data) > MAX_MESSAGE:
                await self.close(CLOSE_TOO_BIG, f"message too big ({len(data)} bytes; the limit is {MAX_MESSAGE})")
                return
            yield data

    def recheck(self, draft_id: int, found: Principal | ApiError) -> None:
        """What its token or session stands for now (`found`): revoked, expired or signed
        out, or no longer allowed this draft, the socket is closed; a changed role applies
        at once."""
        try:
            if isinstance(found, ApiError):
                raise found
            decide(found, "read", draft_id)
        except ApiError as exc:
            self._shut(CLOSE_UNAUTHENTICATED, f"signed out: {exc.message}")
            return
        except Forbidden as exc:
            self._shut(CLOSE_FORBIDDEN, f"no longer allowed on draft {draft_id}: {exc}")
            return
        self.principal = found.for_draft(draft_id)


class Rechecks:
    """The open sockets of an app, their tokens and sessions looked up again every `every`
    seconds: all in one lookup (web.auth.resolve_all), each credential once."""

    def __init__(self, engine: Engine, every: float) -> None:
        self.engine = engine
        self.every = every
        self.open: dict[WsConnection, tuple[int, Credential]] = {}

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.once()
            except Exception:  # the database is unreachable: the next round tries again
                log.exception("re-checking the open sockets failed")

    async def once(self) -> None:
        sockets = list(self.open.items())
        if not sockets:
            return
        found = await resolve_all(self.engine, {credential for _, (_, credential) in sockets})
        for conn, (draft_id, credential) in sockets:
            if conn in self.open:  # not gone meanwhile
                conn.recheck(draft_id, found[credential])


async def _refuse(ws: WebSocket, code: int, reason: str) -> None:
    await ws.accept()
    await ws.close(code, reason)


async def draft_socket(ws: WebSocket) -> None:
    draft_id = int(ws.path_params["draft_id"])
    rooms = ws.app.state.rooms
    try:
        who = await principal_of(ws)  # found for this very handshake by the middleware
    except ApiError as exc:
        await _refuse(ws, CLOSE_UNAUTHENTICATED, exc.message)
        return
    try:
        await rooms.authenticate(str(draft_id), who)
    except Refused as exc:
        await _refuse(ws, exc.code, exc.reason)
        return
    await ws.accept()
    # Narrowed to this draft (once allowed it), so that the room's checks (may it edit?)
    # answer for this draft.
    conn = WsConnection(ws, who.for_draft(draft_id))
    rechecks: Rechecks = ws.app.state.rechecks
    rechecks.open[conn] = (draft_id, credential_of(ws))
    try:
        async with rooms.joined(str(draft_id)) as room:
            client = room.join(conn)
            try:
                async for data in conn.messages():
                    if not await room.handle(client, data):
                        break
            finally:
                room.leave(client)
    except Exception:
        log.exception("connection to draft %s failed", draft_id)
        await conn.close(CLOSE_SERVER_ERROR, "server error; the connection was closed, nothing stored was lost")
    finally:
        del rechecks.open[conn]
        await conn.finish()
