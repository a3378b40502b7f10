"""A client's outgoing messages: written at once when the socket takes them, queued in
order when it pushes back, and never lost or reordered."""

from __future__ import annotations

import asyncio

import pytest
from websockets.frames import Frame, Opcode

from penholder.web.frames import EXTENSION, FrameWriter, encode_binary
from penholder.web.ws import WsConnection


class FakeSocket:
    """An ASGI websocket whose send suspends while `writable` is clear (back-pressure)."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.fail = False
        self.scope: dict = {}
        self.incoming: asyncio.Queue[dict] = asyncio.Queue()

    async def receive(self) -> dict:
        return await self.incoming.get()

    async def send(self, message: dict) -> None:
        await self.writable.wait()
        if self.fail:
            raise ConnectionResetError("gone")
        self.sent.append(message["bytes"])


def test_messages_go_out_at_once_or_in_order_after_back_pressure():
    async def main():
        sock = FakeSocket()
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        conn.send(b"1")
        assert sock.sent == [b"1"] and conn.writer is None  # written without a task
        sock.writable.clear()
        for m in (b"2", b"3", b"4"):
            conn.send(m)
        await asyncio.sleep(0)
        assert sock.sent == [b"1"]
        sock.writable.set()
        await asyncio.wait_for(conn.writer, 1)
        assert sock.sent == [b"1", b"2", b"3", b"4"]
        conn.send(b"5")
        assert sock.sent[-1] == b"5"
    asyncio.run(main())


def test_a_socket_that_fails_loses_the_queue_not_the_server():
    async def main():
        sock = FakeSocket()
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        sock.writable.clear()
        conn.send(b"1")
        conn.send(b"2")
        sock.fail = True
        sock.writable.set()
        await asyncio.wait_for(conn.writer, 1)
        assert sock.sent == [] and not conn.outbox
        conn.send(b"3")  # the peer is gone; sending is harmless
    asyncio.run(main())


class FakeTransport:
    def __init__(self) -> None:
        self.wire = b""
        self.closing = False
        self.reading = True

    def write(self, data: bytes) -> None:
        self.wire += data

    def is_closing(self) -> bool:
        return self.closing

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True


class FakeProtocol:
    """What FrameWriter reads of uvicorn's websockets-sansio protocol."""

    def __init__(self, sock: FakeSocket, transport: FakeTransport) -> None:
        self.handshake_complete = True
        self.close_sent = False
        self.disconnected = False
        self.initial_response = None
        self.writable = sock.writable  # the ASGI send waits on the same flag, as in uvicorn
        self.transport = transport
        self.read_paused = False
        self.queue = sock.incoming
        self.consumer = None


def frames_on_the_wire(wire: bytes) -> list[bytes]:
    """The payloads of the unmasked, final binary frames in wire (RFC 6455, 5.2)."""
    out = []
    while wire:
        assert wire[0] == 0x82 and not wire[1] & 0x80  # FIN + binary; a server does not mask
        size, at = wire[1], 2
        if size == 126:
            size, at = int.from_bytes(wire[2:4], "big"), 4
        elif size == 127:
            size, at = int.from_bytes(wire[2:10], "big"), 10
        out.append(wire[at:at + size])
        wire = wire[at + size:]
    return out


def test_pre_encoded_frames_go_straight_to_the_socket_and_fall_back_in_order():
    """Where the server offers the frames extension, a message is one frame written to
    the transport; under back-pressure the ASGI queue takes over, and nothing overtakes
    what is queued."""
    async def main():
        sock, transport = FakeSocket(), FakeTransport()
        sock.scope = {"extensions": {EXTENSION: FrameWriter(FakeProtocol(sock, transport))}}
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        one = b"\x00\x02" + bytes(200)   # a 200-byte payload takes the 16-bit length form
        conn.send(one)
        conn.send(b"two")
        assert frames_on_the_wire(transport.wire) == [one, b"two"] and sock.sent == []
        sock.writable.clear()
        conn.send(b"three")
        conn.send(b"four")
        sock.writable.set()
        conn.send(b"five")  # queued behind three and four, not written ahead of them
        await asyncio.wait_for(conn.writer, 1)
        assert sock.sent == [b"three", b"four", b"five"]
        conn.send(b"six")
        assert frames_on_the_wire(transport.wire) == [one, b"two", b"six"]
        transport.closing = True
        conn.send(b"seven")  # a closing socket: handed to ASGI, which knows what to do
        assert sock.sent[-1] == b"seven"
    asyncio.run(main())


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_frames_are_encoded_as_websockets_encodes_them(size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert encode_binary(data) == Frame(Opcode.BINARY, data).serialize(mask=False)
    assert frames_on_the_wire(encode_binary(data)) == [data]


@pytest.mark.parametrize("synchronous", [True, False], ids=["in-the-read-callback", "in-a-task"])
def test_messages_handed_over_by_the_protocol_are_handled_in_order_when_one_must_wait(synchronous):
    """Binary messages come straight from the protocol and are handled on the spot (or,
    for a room that needs a task, by one); one whose handling waits (a network database)
    holds the next ones back, in order, with the socket's reading paused; a handler that
    says stop drops what was queued behind it."""
    async def main():
        sock, transport = FakeSocket(), FakeTransport()
        proto = FakeProtocol(sock, transport)
        sock.scope = {"extensions": {EXTENSION: FrameWriter(proto)}}
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        assert proto.consumer is not None
        gate = asyncio.Event()
        handled: list[bytes] = []

        async def handle(data: bytes) -> bool:
            if data == b"slow":
                await gate.wait()
            handled.append(data)
            return data != b"stop"

        async def settle() -> None:
            for _ in range(5):
                await asyncio.sleep(0)

        proto.consumer(b"early")  # before the room is ready: kept
        assert handled == []
        session = asyncio.create_task(conn.run(handle, synchronous))
        await settle()
        assert handled == [b"early"]
        proto.consumer(b"a")
        if synchronous:
            assert handled == [b"early", b"a"]  # handled within the protocol's call
        await settle()
        assert handled == [b"early", b"a"]
        proto.consumer(b"slow")
        await settle()
        proto.consumer(b"b")
        proto.consumer(b"c")
        assert handled == [b"early", b"a"] and not transport.reading
        gate.set()
        await asyncio.wait_for(conn.handling, 1)
        await settle()
        assert handled == [b"early", b"a", b"slow", b"b", b"c"] and transport.reading
        gate.clear()
        proto.consumer(b"slow")
        await settle()
        proto.consumer(b"stop")
        proto.consumer(b"lost")
        gate.set()
        await asyncio.wait_for(conn.handling, 1)
        await settle()
        assert handled[-2:] == [b"slow", b"stop"]
        await sock.incoming.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(session, 1)
        assert proto.consumer is None  # handed back to ASGI
    asyncio.run(main())
