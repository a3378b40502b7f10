"""The y-websocket endpoint: authenticate, then join the draft's room.

The token travels in the `token` query parameter (y-websocket's `params` option) or an
`Authorization: Bearer` header. Refusals are sent as close frames with a reason after
the handshake, so that a client can show why; before it, a browser sees only "failed".
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from sqlalchemy.orm import Session
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from penholder.auth import Principal
from penholder.store import get_draft
from penholder.sync.room import CLOSE_MALFORMED, CLOSE_TOO_SLOW
from penholder.web.auth import principal_of
from penholder.web.errors import ApiError
from penholder.web.frames import EXTENSION, FrameWriter

log = logging.getLogger(__name__)

MAX_MESSAGE = 4 * 1024 * 1024  # the whole text of a resolution is ~40 kB as an update
OUTBOX = 4096  # messages queued for one client before it is dropped as too slow
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_BIG = 1009


class _LastFrame:
    """The frame encoded for the last message sent: a broadcast hands the same bytes
    object to every connection in turn, so it is encoded once, not once per client."""

    data: bytes | None = None
    frame: bytes = b""


_last = _LastFrame()


class WsConnection:
    """One client's socket. A message goes out at once when the socket can take it: as a
    pre-encoded frame where the server offers that (web/frames.py), else by stepping the
    ASGI send in place. When the socket pushes back, messages queue and a task writes
    them, so a slow client never holds up a broadcast."""

    def __init__(self, ws: WebSocket, principal: Principal) -> None:
        self.ws = ws
        self.principal = principal
        self.outbox: deque[bytes] = deque()
        self.closing: tuple[int, str] | None = None
        self.writer: asyncio.Task[None] | None = None
        self.frames: FrameWriter | None = ws.scope.get("extensions", {}).get(EXTENSION)

    def send(self, data: bytes) -> None:
        if self.closing:
            return
        idle = not self.outbox and (self.writer is None or self.writer.done())
        if idle and self.frames is not None:
            if _last.data is not data:
                _last.data, _last.frame = data, self.frames.encode(data)
            if self.frames.write(_last.frame):
                return
        if idle:
            # The common case: nothing queued and the socket not pushing back, so the
            # ASGI send completes without suspending. Step it here instead of paying a
            # task per client per broadcast; if it does suspend, a task finishes it.
            coro = self.ws.send({"type": "websocket.send", "bytes": data})
            try:
                pending = coro.send(None)
            except StopIteration:
                return
            except Exception:  # the peer went away; the reader side notices
                return
            self.writer = asyncio.create_task(self._resume(coro, pending))
            return
        if len(self.outbox) >= OUTBOX:
            self.outbox.clear()
            self.closing = (CLOSE_TOO_SLOW, "too slow: messages were piling up")
        else:
            self.outbox.append(data)
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())

    async def _resume(self, coro: Coroutine[Any, Any, None], pending: Any) -> None:
        """Drive a send that suspended (back-pressure) to its end, then the queue. This
        does for the stepped coroutine what asyncio.Task does: wait for the future it
        yielded (taking over the "blocking" mark the coroutine put on it), then resume it."""
        try:
            while True:
                try:
                    if pending is None:
                        await asyncio.sleep(0)
                    else:
                        pending._asyncio_future_blocking = False
                        await pending
                except BaseException as exc:  # noqa: BLE001 - handed to the send it belongs to
                    pending = coro.throw(exc)
                else:
                    pending = coro.send(None)
        except StopIteration:
            pass
        except Exception:
            self.outbox.clear()
            return
        await self._write()

    async def _write(self) -> None:
        try:
            while self.outbox:
                await self.ws.send({"type": "websocket.send", "bytes": self.outbox.popleft()})
        except Exception:  # the peer went away; the reader side notices and cleans up
            self.outbox.clear()
            return
        if self.closing and self.ws.application_state == WebSocketState.CONNECTED:
            try:
                await self.ws.close(*self.closing)
            except Exception:
                pass

    async def close(self, code: int, reason: str) -> None:
        if self.closing is None:
            self.closing = (code, reason)
            self.outbox.clear()
        await self.finish()

    async def messages(self) -> AsyncIterator[bytes]:
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

    async def finish(self) -> None:
        """Flush what is queued, then close (with the pending reason, if any)."""
        if self.closing is None:
            self.closing = (1000, "")
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        await asyncio.wait([self.writer], timeout=5)


async def _refuse(ws: WebSocket, code: int, reason: str) -> None:
    await ws.accept()
    await ws.close(code, reason)


def _draft_exists(engine, draft_id: int) -> bool:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        return get_draft(db, draft_id) is not None


async def draft_socket(ws: WebSocket) -> None:
    draft_id = int(ws.path_params["draft_id"])
    try:
        who = await principal_of(ws)
    except ApiError as exc:
        await _refuse(ws, CLOSE_UNAUTHENTICATED, exc.message)
        return
    if not who.can("read", draft_id):
        await _refuse(ws, CLOSE_FORBIDDEN, f"this token does not open draft {draft_id}")
        return
    if not await asyncio.to_thread(_draft_exists, ws.app.state.engine, draft_id):
        await _refuse(ws, CLOSE_NOT_FOUND, f"no draft {draft_id}")
        return
    await ws.accept()
    conn = WsConnection(ws, who)
    try:
        async with ws.app.state.rooms.joined(str(draft_id)) as room:
            await room.serve(conn, conn.messages())
    except Exception:
        log.exception("connection to draft %s failed", draft_id)
        if conn.closing is None:
            await conn.close(1011, "server error; the connection was closed, nothing stored was lost")
    finally:
        await conn.finish()
