"""A small pycrdt client of the y-websocket protocol, for the tests: the same messages a
stock Yjs client sends, over the `websockets` library."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import websockets
from pycrdt import Array, Doc, Text

from penholder.sync import protocol
from penholder.sync.protocol import Kind, Step
from penholder.sync.edits import replace_text


class YClient:
    def __init__(self, url: str, doc: Doc | None = None, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.headers = headers  # e.g. a browser session's Cookie
        self.doc = doc or Doc()
        self.ws: websockets.ClientConnection | None = None
        self.synced = asyncio.Event()
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._sub = self.doc.observe(self._local)
        self._applying = False
        self.awareness: dict[int, str] = {}  # client id -> JSON state, as the server relays it
        self._sending: set[asyncio.Task[None]] = set()
        self.diffs = 0  # sync step 2 answers received
        self.received = 0  # bytes received

    def _local(self, event) -> None:  # type: ignore[no-untyped-def]
        self._changed.set()
        if self._applying or self.ws is None or not self.synced.is_set():
            return
        update = event.update
        task = asyncio.get_running_loop().create_task(self._send(protocol.sync_message(Step.UPDATE, update)))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, data: bytes) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            assert self.ws is not None
            await self.ws.send(data)

    async def connect(self, timeout: float = 10) -> YClient:
        self.ws = await websockets.connect(self.url, max_size=None, additional_headers=self.headers)
        self._reader = asyncio.create_task(self._read())
        await self._send(protocol.sync_message(Step.STATE_VECTOR, self.doc.get_state()))
        done, _ = await asyncio.wait([asyncio.create_task(self.synced.wait()), self._reader],
                                     timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if not self.synced.is_set():
            raise ConnectionError(f"not synced: closed {self.close_code} {self.close_reason!r}")
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                assert isinstance(data, bytes)
                self.received += len(data)
                m = protocol.parse(data)
                if m.kind == Kind.SYNC and m.step == Step.STATE_VECTOR:
                    # The server's step 1: answer with what it lacks (offline edits).
                    await self._send(protocol.sync_message(Step.DIFF, self.doc.get_update(m.payload)))
                elif m.kind == Kind.AWARENESS:
                    for e in protocol.parse_awareness(m.payload):
                        self.awareness[e.client_id] = e.state
                    self._changed.set()
                elif m.kind == Kind.SYNC:
                    self._applying = True
                    try:
                        self.doc.apply_update(m.payload)
                    finally:
                        self._applying = False
                    if m.step == Step.DIFF:
                        self.diffs += 1
                        self.synced.set()
                        self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            if self.ws.close_code is not None:
                self.close_code, self.close_reason = self.ws.close_code, self.ws.close_reason
            self._changed.set()

    async def flush(self, timeout: float = 10) -> None:
        """A barrier: a state-vector round trip. The server handles a connection's
        messages in order, so when its answer arrives every message sent before it has
        been handled (an edit stored and broadcast, or refused), and every update the
        server had stored by then is in this client's document."""
        if self._sending:  # edits made just now go out first
            await asyncio.wait(list(self._sending))
        want = self.diffs + 1
        try:
            await self.send_raw(protocol.sync_message(Step.STATE_VECTOR, self.doc.get_state()))
        except websockets.ConnectionClosed:
            await self.closed()
            raise ConnectionError(f"closed {self.close_code} {self.close_reason!r}") from None
        await self.wait_for(lambda: self.diffs >= want, timeout)

    async def send_raw(self, data: bytes) -> None:
        assert self.ws is not None
        await self.ws.send(data)

    def text(self, paragraph_id: str) -> Text:
        for p in self.doc.get("paragraphs", type=Array):
            if p["id"] == paragraph_id:
                return p["text"]
        raise KeyError(paragraph_id)

    def insert(self, paragraph_id: str, offset: int, text: str) -> None:
        replace_text(self.text(paragraph_id), offset, offset, text)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        async def loop() -> None:
            while not predicate():
                self._changed.clear()
                if self._reader is not None and self._reader.done() and not predicate():
                    raise ConnectionError(f"closed {self.close_code} {self.close_reason!r}")
                await self._changed.wait()
        await asyncio.wait_for(loop(), timeout)

    async def closed(self, timeout: float = 10) -> tuple[int | None, str | None]:
        assert self._reader is not None
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code, self.close_reason

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)
