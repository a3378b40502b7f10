"""Bounds on what one request may send: the size of its body, refused with a 413 that
says the limit, whether the client announced a length or streams chunks; and the time
it may take to send it, refused with a 408 (a client that stops half-way through a body
would otherwise hold its request open for ever)."""

from __future__ import annotations

import re

import anyio
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from penholder.web.errors import ApiError


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n // 1000} kB"


class BodyLimit:
    """At most `default` bytes of body per request, or the limit of the first pattern in
    `larger` (path regex -> bytes) that the path matches."""

    def __init__(self, app: ASGIApp, default: int, larger: dict[str, int] | None = None,
                 read_timeout: float = 30.0) -> None:
        self.app = app
        self.default = default
        self.read_timeout = read_timeout  # seconds for each part of a body to arrive
        self.larger = [(re.compile(p), n) for p, n in (larger or {}).items()]

    def limit_for(self, path: str) -> int:
        return next((n for pattern, n in self.larger if pattern.fullmatch(path)), self.default)

    def message(self, size: int | None, limit: int) -> str:
        got = f" ({_megabytes(size)})" if size is not None else ""
        return f"the request is too large{got}: the limit here is {_megabytes(limit)}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await JSONResponse({"error": self.message(int(declared), limit)}, status_code=413,
                               headers={"Connection": "close"})(scope, receive, send)
            return
        received, complete = 0, False

        async def bounded() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for a disconnect: no deadline
                return await receive()
            try:
                with anyio.fail_after(self.read_timeout):
                    message = await receive()
            except TimeoutError:
                raise ApiError(408, f"the request body stopped arriving: nothing came for "
                                    f"{self.read_timeout:g} s, so the request was dropped") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    raise ApiError(413, self.message(None, limit))
            return message

        await self.app(scope, bounded, send)
