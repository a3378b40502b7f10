"""The browser client (client/, built into static/ by `npm run build`), served at `/`.
The shell holds no data, so it is the one thing served without a token."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketClose

STATIC = Path(__file__).resolve().parent / "static"
NOT_BUILT = ("The browser client is not built. Run `make install`, or "
             "`cd client && npm ci && npm run build`, then reload.\n"
             "The REST API (/api) and the websocket (/ws/drafts/{id}) work without it.\n")


class ClientFiles(StaticFiles):
    def __init__(self) -> None:
        super().__init__(directory=STATIC, html=True, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Paths under /api and /ws that no route took stay the API's 404, not a file's.
        if scope["type"] == "websocket":
            await WebSocketClose()(scope, receive, send)
            return
        if scope["path"].startswith(("/api/", "/ws/")):
            raise HTTPException(404)
        if not (STATIC / "app.js").is_file() or not (STATIC / "index.html").is_file():
            await PlainTextResponse(NOT_BUILT, status_code=503)(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
