"""A real `penholder serve` process for the tests, on a free loopback port, that can be
killed with SIGKILL and started again on the same database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import httpx

from penholder.auth import create_user
from penholder.store import make_engine
from template import zero_draft

ROOT = Path(__file__).resolve().parent.parent
PENHOLDER = [sys.executable, "-m", "penholder.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    database_url: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    draft_id: int = 0
    extra_args: list[str] = field(default_factory=list)
    _client: httpx.Client | None = field(default=None, repr=False)

    @property
    def client(self) -> httpx.Client:
        """One HTTP client for the test's requests: httpx.get makes a client per request,
        and with it an SSL context (tens of milliseconds of CPU each, thousands of times
        over a run). It keeps no cookie, as each request stood alone before; closed when
        the server stops, so no connection outlives it."""
        if self._client is None:
            no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
            self._client = httpx.Client(timeout=30, cookies=no_cookies)
        return self._client

    def close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, token: str, draft_id: int | None = None) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/drafts/{draft_id or self.draft_id}?token={token}"

    def seed(self, users: list[tuple[str, str | None, str]]) -> None:
        """The zero draft from A/RES/79/53 and one user per (name, delegation, role)."""
        engine = make_engine(self.database_url)
        try:
            self.draft_id = zero_draft(engine)
            for name, delegation, role in users:
                _, self.tokens[name] = create_user(engine, name, delegation, role)
        finally:
            engine.dispose()

    def start(self) -> Server:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [*PENHOLDER, "serve", "--port", str(self.port), "--database-url", self.database_url,
             "--log-level", "warning", *self.extra_args],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                self.client.get(f"{self.http}/api/openapi.json", timeout=1)  # 401 is an answer
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, no snapshot is cut."""
        assert self.proc is not None
        self.close_client()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        self.close_client()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def get(self, path: str, token: str | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.get(self.http + path, headers=_headers(token, kw), timeout=30, **kw)

    def post(self, path: str, token: str | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.post(self.http + path, headers=_headers(token, kw), timeout=60, **kw)

    def put(self, path: str, token: str | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.put(self.http + path, headers=_headers(token, kw), timeout=60, **kw)

    def delete(self, path: str, token: str | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.delete(self.http + path, headers=_headers(token, kw), timeout=60, **kw)


def _headers(token: str | None, kw: dict) -> dict[str, str]:  # type: ignore[type-arg]
    headers = dict(kw.pop("headers", None) or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers
