"""The y-websocket endpoint: authenticate, then join the draft's room.

The token travels in the `token` query parameter (y-websocket's `params` option) or an
`Authorization: Bearer` header. Refusals are sent as close frames with a reason after
the handshake, so that a client can show why; before it, a browser sees only "failed".
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from penholder.auth import Principal
from penholder.store import get_draft
from penholder.sync.room import CLOSE_MALFORMED, CLOSE_TOO_SLOW
from penholder.web.auth import principal_of
from penholder.web.errors import ApiError
from penholder.web.frames import EXTENSION, FrameWriter

log = logging.getLogger(__name__)
T = TypeVar("T")

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


_UNSTARTED = object()


async def _drive(coro: Coroutine[Any, Any, T], pending: Any) -> T:
    """Finish a coroutine that was stepped by hand (coro.send(None)) and suspended on
    `pending`: what asyncio.Task does, inside the current task. Stepping by hand lets the
    common case (nothing to wait for) run without creating a task at all."""
    while True:
        try:
            if pending is None:
                await asyncio.sleep(0)
            else:
                pending._asyncio_future_blocking = False  # taken over from the coroutine
                await pending
        except BaseException as exc:  # noqa: BLE001 - handed to the coroutine it belongs to
            try:
                pending = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                pending = coro.send(None)
            except StopIteration as done:
                return done.value


class WsConnection:
    """One client's socket.

    Out: a message goes out at once when the socket can take it: as a pre-encoded frame
    where the server offers that (web/frames.py), else by stepping the ASGI send in place.
    When the socket pushes back, messages queue and a task writes them, so a slow client
    never holds up a broadcast.

    In: where the server offers it, binary messages arrive as they are parsed. If the room
    handles messages synchronously (Room.synchronous) each is handled right there, and
    one that does wait after all is finished by a task; otherwise a task handles them.
    Either way they are handled in order, the next ones queued behind one that waits
    with the socket's reading paused. Elsewhere they come through the ASGI queue."""

    def __init__(self, ws: WebSocket, principal: Principal) -> None:
        self.ws = ws
        self.principal = principal
        self.outbox: deque[bytes] = deque()
        self.closing: tuple[int, str] | None = None
        self.writer: asyncio.Task[None] | None = None
        self.frames: FrameWriter | None = ws.scope.get("extensions", {}).get(EXTENSION)
        self.inbox: deque[bytes] = deque()
        self.handler: Callable[[bytes], Coroutine[Any, Any, bool]] | None = None
        self.synchronous = False  # may the handler run outside a task (see run)
        self.handling: asyncio.Task[None] | None = None
        self._closers: set[asyncio.Task[None]] = set()
        if self.frames is not None:
            self.frames.deliver(self._take)

    # -- out -----------------------------------------------------------------------------
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
            # Nothing queued and the socket not pushing back, so the ASGI send completes
            # without suspending: step it here; if it does suspend, a task finishes it.
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
        """Drive a send that suspended (back-pressure) to its end, then the queue."""
        try:
            await _drive(coro, pending)
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
            self.inbox.clear()
        await self.finish()

    def _close_soon(self, code: int, reason: str) -> None:
        """close() from code that cannot wait (a message handed over by the protocol)."""
        if self.closing is None:
            task = asyncio.get_running_loop().create_task(self.close(code, reason))
            self._closers.add(task)
            task.add_done_callback(self._closers.discard)

    # -- in ------------------------------------------------------------------------------
    async def run(self, handler: Callable[[bytes], Coroutine[Any, Any, bool]],
                  synchronous: bool = False) -> None:
        """Handle this client's messages with handler (False: close) until it leaves.
        synchronous: the handler needs no asyncio task until it first waits (Room.synchronous)."""
        self.handler, self.synchronous = handler, synchronous
        try:
            self._handle_inbox()  # what arrived before the room was ready
            async for data in self.messages():  # the ASGI path; ends at the disconnect
                if not await handler(data):
                    return
        finally:
            self.handler = None
            if self.frames is not None:
                self.frames.deliver(None)
            if self.handling is not None:  # let a message being stored finish
                await asyncio.wait([self.handling], timeout=10)

    def _take(self, data: bytes) -> None:
        """A binary message, as the protocol parsed it."""
        if self.closing:
            return
        if len(data) > MAX_MESSAGE:
            self._close_soon(CLOSE_TOO_BIG, f"message too big ({len(data)} bytes; the limit is {MAX_MESSAGE})")
            return
        self.inbox.append(data)
        if self.handling is None:
            self._handle_inbox()
        elif self.frames is not None:
            self.frames.pause_reading()

    def _handle_inbox(self) -> None:
        handler = self.handler
        while handler is not None and self.inbox and self.closing is None and self.handling is None:
            coro = handler(self.inbox.popleft())
            if not self.synchronous:
                self.handling = asyncio.get_running_loop().create_task(self._finish(coro))
                return
            try:
                pending = coro.send(None)
            except StopIteration as done:
                if not done.value:
                    self.inbox.clear()
                continue
            except Exception:
                log.exception("a message on a connection to %s failed", self.ws.url.path)
                self.inbox.clear()
                self._close_soon(1011, "server error; the connection was closed, nothing stored was lost")
                return
            self.handling = asyncio.get_running_loop().create_task(self._finish(coro, pending))

    async def _finish(self, coro: Coroutine[Any, Any, bool], pending: Any = _UNSTARTED) -> None:
        """Run one message's handling to its end (in a task: from its start, or from where
        stepping it by hand left it), then the next ones."""
        try:
            go_on = await (coro if pending is _UNSTARTED else _drive(coro, pending))
        except Exception:
            log.exception("a message on a connection to %s failed", self.ws.url.path)
            go_on = False
            self._close_soon(1011, "server error; the connection was closed, nothing stored was lost")
        self.handling = None
        if not go_on:
            self.inbox.clear()
            return
        if self.frames is not None:
            self.frames.resume_reading()
        self._handle_inbox()

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
    # Narrowed to this draft, so that the room's checks (may it edit?) answer for this draft.
    conn = WsConnection(ws, who.for_draft(draft_id))  # before accepting: it takes the first messages
    await ws.accept()
    try:
        async with ws.app.state.rooms.joined(str(draft_id)) as room:
            client = room.join(conn)
            try:
                await conn.run(functools.partial(room.handle, client), room.synchronous)
            finally:
                room.leave(client)
    except Exception:
        log.exception("connection to draft %s failed", draft_id)
        if conn.closing is None:
            await conn.close(1011, "server error; the connection was closed, nothing stored was lost")
    finally:
        await conn.finish()
