"""Bounds on what one request may send: the size of its body, refused with a 413 that
says the limit, whether the client announced a length or streams chunks."""

from __future__ import annotations

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from penholder.web.errors import ApiError


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n // 1000} kB"


class BodyLimit:
    """At most `default` bytes of body per request, or the limit of the first pattern in
    `larger` (path regex -> bytes) that the path matches."""

    def __init__(self, app: ASGIApp, default: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
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
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ApiError(413, self.message(None, limit))
            return message

        await self.app(scope, bounded, send)
