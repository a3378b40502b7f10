"""A broadcast-friendly websocket protocol for uvicorn: pre-encoded frames, written at once.

A room sends the same message to every client. Through ASGI each of those sends walks
Starlette's and uvicorn's send coroutines and encodes the frame again: about three
quarters of the server's time in a room of a hundred editors went there (profiled under
benchmarks/sync_bench.py). A server frame is the same bytes for every client (servers do
not mask, and per-message deflate is off), so this protocol offers the application one
more capability in the ASGI scope, `penholder.frames`: encode a message once, then write
the encoded frame to a socket synchronously. Everything else (handshake, reading, ping,
close) is uvicorn's websockets-sansio protocol unchanged, and an application served
without this protocol (another ASGI server, Starlette's test client) falls back to plain
ASGI sends: see WsConnection.
"""

from __future__ import annotations

import struct
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


class FramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, with the `penholder.frames` scope extension."""

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:  # None when the handshake was refused before any app ran
            scope["extensions"][EXTENSION] = FrameWriter(self)
