"""What every response carries and what no response says: security headers (a CSP with
no inline script, no framing, no sniffing, no referrer), errors that name no server path,
and a request body that stops arriving is dropped with a 408."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inprocess import App, running
from penholder.cli import main
from penholder.web.errors import HANDLERS
from penholder.web.limits import BodyLimit
from penholder.web.static import STATIC

USERS = [("fr", "France", "penholder")]


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    with running(f"sqlite:///{tmp_path_factory.mktemp('h') / 'h.db'}", USERS) as a:
        yield a


def test_every_response_carries_the_security_headers(app: App):
    token = app.tokens["fr"]
    responses = [app.get("/api/me", token), app.get("/api/me"), app.get("/api/nope", token),
                 app.get(f"/api/drafts/{app.draft_id}/export?format=md", token),
                 app.post(f"/api/drafts/{app.draft_id}/amendments", token, content=b"x" * 300_000),
                 app.get("/"), app.get("/app.js"), app.get("/no-such-file.css")]
    assert [r.status_code for r in responses] == [200, 401, 404, 200, 413, 200, 200, 404]
    for r in responses:
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        script = re.search(r"script-src ([^;]*)", csp).group(1)  # type: ignore[union-attr]
        assert script == "'self'", "scripts only from the server's own files: no inline script, no eval"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_the_page_has_no_inline_script_and_its_inline_style_is_allowed_by_hash(app: App):
    page = app.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "an inline <script> would be blocked"
    assert not re.search(r"\son\w+=", page), "inline event handlers would be blocked"
    csp = app.get("/").headers["content-security-policy"]
    for style in re.findall(r"<style[^>]*>(.*?)</style>", page, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert (STATIC / "index.html").read_text() == page


@pytest.mark.parametrize("path", ["/api/secret/../../etc/passwd", "/api/drafts/1/no/such/thing", "/api/x%2Fy"])
def test_errors_name_no_server_path(app: App, path: str):
    r = app.get(path, app.tokens["fr"])
    assert r.status_code == 404
    error = r.json()["error"]
    assert "/etc" not in error and "/work" not in error and "no/such" not in error and "secret" not in error
    r = app.delete("/api/me", app.tokens["fr"])
    assert r.status_code in (404, 405) and "/api/me" not in r.json()["error"]


def test_a_body_that_stops_arriving_is_dropped_with_408():
    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"length": len(await request.body())})
    inner = Starlette(routes=[Route("/", echo, methods=["POST"])], exception_handlers=HANDLERS)  # type: ignore[arg-type]
    bounded = BodyLimit(inner, default=1000, read_timeout=0.2)
    sent: list[dict] = []
    stalled = asyncio.Event()

    async def receive() -> dict:
        if not stalled.is_set():
            stalled.set()
            return {"type": "http.request", "body": b"{\"half\":", "more_body": True}
        await asyncio.Event().wait()  # the rest never comes
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {"type": "http", "method": "POST", "path": "/", "raw_path": b"/", "query_string": b"",
                 "headers": [(b"content-type", b"application/json")], "http_version": "1.1",
                 "scheme": "http", "server": ("t", 80), "client": ("c", 1), "root_path": ""}
        await asyncio.wait_for(bounded(scope, receive, send), 5)
    asyncio.run(main())
    assert sent[0]["status"] == 408
    assert b"stopped arriving" in sent[1]["body"]


def test_serve_refuses_a_bad_filing_limit(capsys, tmp_path):
    code = main(["serve", "--filing-limit", "lots", "--database-url", f"sqlite:///{tmp_path / 's.db'}"])
    assert code == 2 and "COUNT/SECONDS" in capsys.readouterr().err
