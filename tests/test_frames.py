"""The websocket protocol's short paths (web/frames.py), on uvicorn's real protocol class
fed with bytes as a socket would deliver them: whole frames, frames cut anywhere, several
frames in one read, control frames between them."""

from __future__ import annotations

import asyncio
import os

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode

from penholder.web.frames import EXTENSION, FrameBoundary, FramesProtocol, single_binary_frame

HANDSHAKE = (b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def client_frame(data: bytes, opcode: Opcode = Opcode.BINARY, fin: bool = True) -> bytes:
    return Frame(opcode, data, fin=fin).serialize(mask=True)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 1000, 65535, 65536, 70000])
def test_one_masked_binary_frame_is_read_as_websockets_reads_it(size):
    data = os.urandom(size)
    assert single_binary_frame(client_frame(data), None) == data


def test_anything_but_exactly_one_whole_binary_frame_is_left_to_websockets():
    one, two = client_frame(b"one"), client_frame(b"two")
    assert single_binary_frame(one + two, None) is None         # two frames
    assert single_binary_frame(one[:-1], None) is None          # part of one
    assert single_binary_frame(client_frame(b"t", Opcode.TEXT), None) is None
    assert single_binary_frame(client_frame(b"p", Opcode.PING), None) is None
    assert single_binary_frame(client_frame(b"f", fin=False), None) is None  # a fragment
    assert single_binary_frame(Frame(Opcode.BINARY, b"x").serialize(mask=False), None) is None
    assert single_binary_frame(client_frame(bytes(70000)), 65536) is None  # over max_size
    assert single_binary_frame(client_frame(bytes(200)), 100) is None     # over max_size


@pytest.mark.parametrize("size", [3, 300, 70000])
def test_frame_boundaries_are_followed_through_reads_cut_anywhere(size):
    frames = [client_frame(os.urandom(size)), client_frame(b"p", Opcode.PING), client_frame(b"x" * size)]
    wire = b"".join(frames)
    ends = {sum(len(f) for f in frames[:k]) for k in range(1, len(frames) + 1)}
    for cut in range(0, len(wire), max(1, len(wire) // 97)):   # reads of every length
        tracker = FrameBoundary()
        at, seen = 0, set()
        for chunk in (wire[i:i + cut + 1] for i in range(0, len(wire), cut + 1)):
            at += len(chunk)
            if tracker.feed(chunk):
                seen.add(at)
        assert seen == {e for e in ends if (e % (cut + 1) == 0 or e == len(wire))}


class Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.out = b""
        self.closed = False

    def write(self, data: bytes) -> None:  # type: ignore[override]
        self.out += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_extra_info(self, name, default=None):  # type: ignore[no-untyped-def]
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)


def test_messages_arrive_whole_and_in_order_however_the_reads_cut_them():
    """Binary messages reach the application in order whether they come one frame per
    read (the short path), cut across reads, several to a read, fragmented or between
    pings; text still comes through ASGI."""
    async def main():
        delivered: list[bytes] = []
        asgi: list[dict] = []
        accepted = asyncio.Event()

        async def app(scope, receive, send):  # type: ignore[no-untyped-def]
            scope["extensions"][EXTENSION].deliver(delivered.append)
            await receive()  # websocket.connect
            await send({"type": "websocket.accept"})
            accepted.set()
            while True:
                message = await receive()
                asgi.append(message)
                if message["type"] == "websocket.disconnect":
                    return

        config = Config(app=app, ws=FramesProtocol, lifespan="off", log_level="warning")
        config.load()
        protocol = FramesProtocol(config=config, server_state=ServerState(), app_state={})
        transport = Transport()
        protocol.connection_made(transport)
        protocol.data_received(HANDSHAKE)
        await asyncio.wait_for(accepted.wait(), 1)
        assert transport.out.startswith(b"HTTP/1.1 101")

        a, b, c, d = (client_frame(bytes([i]) * 300) for i in range(4))
        protocol.data_received(a)                      # one frame, one read: the short path
        assert protocol.between_frames and delivered == [bytes([0]) * 300]
        protocol.data_received(b[:7])                  # one frame over two reads
        assert not protocol.between_frames
        protocol.data_received(b[7:])
        assert protocol.between_frames
        protocol.data_received(c + client_frame(b"", Opcode.PING) + d)  # several in one read
        protocol.data_received(client_frame(b"fr", fin=False) + client_frame(b"ag", Opcode.CONT))
        protocol.data_received(client_frame(b"more"))
        assert protocol.between_frames and delivered[-1] == b"more"
        protocol.data_received(client_frame(b"hello", Opcode.TEXT))
        await asyncio.sleep(0.01)
        assert delivered == [bytes([0]) * 300, bytes([1]) * 300, bytes([2]) * 300, bytes([3]) * 300,
                             b"frag", b"more"]
        assert [m.get("text") for m in asgi] == ["hello"]
        protocol.connection_lost(None)
        await asyncio.sleep(0.01)
    asyncio.run(main())
