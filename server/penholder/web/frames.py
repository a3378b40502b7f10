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

And one short cut on the way in: a read that is exactly one whole, final, masked binary
frame (what a Yjs client sends for each update) is unmasked here, without websockets'
general parser, which took about half of the time from a read to the room (measured
under benchmarks/sync_bench.py: ~75 us of ~120 us). Anything else (fragments, control
frames, several frames or part of one in a read, an unmasked or oversized frame) goes
to websockets as before, which then also decides the errors.

Everything else (handshake, text frames, ping, close, disconnect) is uvicorn's
websockets-sansio protocol unchanged, and an application served without this protocol
(another ASGI server, Starlette's test client) uses plain ASGI: see WsConnection.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import apply_mask

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


def _header_size(head: bytes) -> tuple[int, int] | None:
    """(header length, payload length) of the frame head starts (RFC 6455 5.2), None if
    head is too short to say."""
    if len(head) < 2:
        return None
    size, at = head[1] & 0x7F, 2
    if size == 126:
        if len(head) < 4:
            return None
        size, at = int.from_bytes(head[2:4], "big"), 4
    elif size == 127:
        if len(head) < 10:
            return None
        size, at = int.from_bytes(head[2:10], "big"), 10
    return at + (4 if head[1] & 0x80 else 0), size


def single_binary_frame(data: bytes, max_size: int | None) -> bytes | None:
    """The payload if data is exactly one final, masked binary frame of at most max_size
    bytes with no extension bits, else None."""
    if len(data) < 6 or data[0] != _FIN_BINARY or not data[1] & 0x80:
        return None
    sizes = _header_size(data)
    if sizes is None:
        return None
    header, size = sizes
    if len(data) != header + size or (max_size is not None and size > max_size):
        return None
    return apply_mask(data[header:], data[header - 4:header])


class FrameBoundary:
    """Follows frame boundaries through the reads given to websockets' parser (headers
    only, without copying payloads), so that the short path is taken again as soon as a
    read starts a new frame, after a frame that came in pieces."""

    def __init__(self) -> None:
        self.head = b""  # a frame header cut by the end of a read
        self.skip = 0    # bytes of the current frame still to come

    def feed(self, data: bytes) -> bool:
        """Account for data; True when it ended between two frames."""
        i, n = 0, len(data)
        while i < n:
            if self.skip:
                step = min(self.skip, n - i)
                self.skip -= step
                i += step
                continue
            head = self.head + data[i:i + 14]
            sizes = _header_size(head)
            if sizes is None or len(head) < sizes[0]:
                self.head, i = head, n
                break
            header, payload = sizes
            i += header - len(self.head)
            self.head, self.skip = b"", payload
        return not self.skip and not self.head


class FramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, with the `penholder.frames` scope extension."""

    consumer: Callable[[bytes], None] | None = None
    # Whether websockets' parser is between two frames: from the end of a handshake
    # request that nothing followed (a client sends no frame before the server's answer,
    # RFC 6455 4.1), then as the boundary tracker finds.
    between_frames = False
    boundary: FrameBoundary | None = None

    def data_received(self, data: bytes) -> None:
        if self.boundary is None:
            super().data_received(data)
            if self.handshake_initiated:  # that read ended the request
                self.boundary = FrameBoundary()
                self.between_frames = data.endswith(b"\r\n\r\n")
            return
        if self.between_frames and self.consumer is not None and not self.close_sent \
                and self.conn.current_size is None and not self.conn.reader.buffer:
            payload = single_binary_frame(data, self.config.ws_max_size)
            if payload is not None:
                self.consumer(payload)
                return
        if self.between_frames or self.boundary.head or self.boundary.skip:
            self.between_frames = self.boundary.feed(data)
        super().data_received(data)

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
