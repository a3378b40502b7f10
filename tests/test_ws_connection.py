"""A client's outgoing messages: written at once when the socket takes them, queued in
order when it pushes back, and never lost or reordered."""

from __future__ import annotations

import asyncio

from penholder.web.ws import WsConnection


class FakeSocket:
    """An ASGI websocket whose send suspends while `paused` is clear (back-pressure)."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.fail = False

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
