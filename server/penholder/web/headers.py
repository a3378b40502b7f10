"""Security headers on every response: the pages run only the scripts and styles they
ship (each page's inline <style> is allowed by its hash, computed from the files
served), cannot be framed, and their type is never sniffed."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def inline_style_hashes(pages: Path) -> list[str]:
    """CSP source expressions for each inline <style> of the pages: `pages` is one page or
    the folder of the built client (none if not built)."""
    files = sorted(pages.glob("*.html")) if pages.is_dir() else [pages]
    out: list[str] = []
    for page in files:
        try:
            html = page.read_text(encoding="utf-8")
        except OSError:
            continue
        out += [f"'sha256-{base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()}'"
                for m in _STYLE.finditer(html)]
    return sorted(set(out))


def policy(style_hashes: list[str]) -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",  # no inline script, no eval
        "style-src " + " ".join(["'self'", *style_hashes]),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",  # REST and the websocket, same origin (ws: included by CSP 3)
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    def __init__(self, app: ASGIApp, pages: Path) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": policy(inline_style_hashes(pages)),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
