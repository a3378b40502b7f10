"""A websocket protocol for uvicorn with a short path for a sync room's messages.

A room sends the same message to every client. Through ASGI each of those sends walks
Starlette's and uvicorn's send coroutines and encodes the frame again: about three
quarters of the server's time in a room of a hundred editors went there (profiled under
benchmarks/sync_bench.py). A server frame is the same bytes for every client (servers do
not mask, and per-message deflate is off), so this protocol offers the application one
more capability in the ASGI scope, `penholder.frames`:

- write: a frame encoded once, written to the socket synchronously;
- deliver: binary messages handed to a function of the application as they are parsed,
  instead of through the ASGI receive queue (a task switch and two epoll changes per
  message, to pause and resume reading), with pause and resume for back-pressure.

Everything else (handshake, text frames, ping, close, disconnect) is uvicorn's
websockets-sansio protocol unchanged, and an application served without this protocol
(another ASGI server, Starlette's test client) uses plain ASGI: see WsConnection.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

EXTENSION = "penholder.frames"
_FIN_BINARY = 0x82


def encode_binary(data: bytes) -> bytes:
    """A server's binary frame carrying data: final, unmasked, uncompressed (RFC 6455
    5.2). The same bytes as websockets' Frame.serialize (tests compare them), in a few
    operations instead of that general encoder's pass over extensions and buffers."""
    n = len(data)
    if n < 126:
        return bytes((_FIN_BINARY, n)) + data
    if n < 65536:
        return struct.pack("!BBH", _FIN_BINARY, 126, n) + data
    return struct.pack("!BBQ", _FIN_BINARY, 127, n) + data


class FrameWriter:
    """What the extension hands the application for one connection."""

    encode = staticmethod(encode_binary)

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol

    def write(self, frame: bytes) -> bool:
        """Write an encoded frame now, if the socket is open and not pushing back.

        False means "not written": the caller queues the message and sends it through
        ASGI, which waits for the socket to drain (or finds it closed)."""
        p = self._protocol
        if not p.handshake_complete or p.close_sent or p.disconnected or p.initial_response is not None:
            return False
        if not p.writable.is_set() or p.transport.is_closing():
            return False
        p.transport.write(frame)
        return True

    def deliver(self, consumer: Callable[[bytes], None] | None) -> None:
        """From now on, hand each binary message to consumer as soon as it is parsed (None:
        back to the ASGI queue). Text messages and disconnects still come through ASGI."""
        self._protocol.consumer = consumer

    def pause_reading(self) -> None:
        """Read no more from the socket (the consumer has messages waiting), as uvicorn does
        while a message waits in its queue; resume_reading undoes it."""
        p = self._protocol
        if not p.read_paused and not p.transport.is_closing():
            p.read_paused = True
            p.transport.pause_reading()

    def resume_reading(self) -> None:
        p = self._protocol
        if p.read_paused and p.queue.empty() and not p.transport.is_closing():
            p.read_paused = False
            p.transport.resume_reading()


class FramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, with the `penholder.frames` scope extension."""

    consumer: Callable[[bytes], None] | None = None

    def send_receive_event_to_app(self) -> None:
        consumer = self.consumer
        if consumer is None or self.curr_msg_data_type != "bytes" or self.close_sent:
            super().send_receive_event_to_app()
            return
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        consumer(data)

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:  # None when the handshake was refused before any app ran
            scope["extensions"][EXTENSION] = FrameWriter(self)
