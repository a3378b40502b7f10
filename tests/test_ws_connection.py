"""A client's outgoing messages: queued in order, written by one task, never lost or
reordered while the socket pushes back; a client that lets too many pile up is closed."""

from __future__ import annotations

import asyncio

from penholder.sync.room import CLOSE_TOO_SLOW
from penholder.web.ws import OUTBOX, WsConnection


class FakeSocket:
    """A Starlette websocket whose send suspends while `writable` is clear (back-pressure)."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.fail = False
        self.closed: tuple[int, str] | None = None
        self.closed_event = asyncio.Event()

    async def send_bytes(self, data: bytes) -> None:
        await self.writable.wait()
        if self.fail:
            raise ConnectionResetError("gone")
        self.sent.append(data)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self.closed_event.set()


def test_messages_go_out_in_order_through_back_pressure():
    async def main():
        sock = FakeSocket()
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        sock.writable.clear()
        for m in (b"1", b"2", b"3"):
            conn.send(m)
        sock.writable.set()
        conn.send(b"4")
        await conn.finish()
        assert sock.sent == [b"1", b"2", b"3", b"4"] and sock.closed == (1000, "")
    asyncio.run(main())


def test_a_client_that_lets_messages_pile_up_is_closed_as_too_slow():
    async def main():
        sock = FakeSocket()
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        sock.writable.clear()
        for i in range(OUTBOX + 1):
            conn.send(b"%d" % i)
        sock.writable.set()
        await asyncio.wait_for(sock.closed_event.wait(), 5)
        assert sock.closed is not None and sock.closed[0] == CLOSE_TOO_SLOW
        assert len(sock.sent) <= 1  # what piled up was dropped, not sent late
        conn.send(b"after")  # a closing connection takes nothing more
        assert conn.outbox == type(conn.outbox)()
    asyncio.run(main())


def test_a_socket_that_fails_loses_the_queue_not_the_server():
    async def main():
        sock = FakeSocket()
        conn = WsConnection(sock, principal=None)  # type: ignore[arg-type]
        sock.fail = True
        conn.send(b"1")
        conn.send(b"2")
        await conn.finish()  # returns: the writer ended on the failure
        assert sock.sent == [] and not conn.outbox
    asyncio.run(main())
