"""The app in the test's own process (Starlette's TestClient): REST tests without a server
subprocess. Same seed as tests/server.py: the zero draft from A/RES/79/53 and one user
per (name, delegation, role)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine
import warnings

with warnings.catch_warnings():  # TestClient on httpx (not httpx2) is what this project pins
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from penholder.auth import create_user
from penholder.store import make_engine
from penholder.web import create_app
from template import zero_draft


def seed(engine: Engine, users: list[tuple[str, str | None, str]]) -> tuple[int, dict[str, str]]:
    draft_id = zero_draft(engine)
    tokens = {}
    for name, delegation, role in users:
        _, tokens[name] = create_user(engine, name, delegation, role)
    return draft_id, tokens


@dataclass
class App:
    client: TestClient
    engine: Engine
    draft_id: int
    tokens: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.request(method, path, headers=headers, **kw)

    def get(self, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("POST", path, token, **kw)

    def put(self, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, token, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, token, **kw)


@contextmanager
def running(database_url: str, users: list[tuple[str, str | None, str]], **options: Any) -> Iterator[App]:
    engine = make_engine(database_url)
    try:
        draft_id, tokens = seed(engine, users)
        with TestClient(create_app(engine, **options), raise_server_exceptions=False) as client:
            yield App(client, engine, draft_id, tokens)
    finally:
        engine.dispose()
