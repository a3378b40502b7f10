"""Penholder's app served by stock uvicorn in a thread of the test process, on a free
loopback port: real sockets for the real y-websocket clients, without starting a
process. Tests that need a process to die (SIGKILL) or two to talk use server.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from penholder.web import create_app
from penholder.web.ws import MAX_MESSAGE, UVICORN_WS
from server import Server


class LiveServer(Server):
    def __init__(self, database_url: str, **app_options: Any) -> None:
        super().__init__(database_url)
        self.app_options = app_options
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        app = create_app(database_url=self.database_url, **self.app_options)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on",
                                ws_max_size=MAX_MESSAGE + 1024, ws_per_message_deflate=False, ws=UVICORN_WS)
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, name="uvicorn", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._uvicorn.started:  # uvicorn's own flag, set once it listens
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """A graceful stop: the lifespan's shutdown runs (the writer writes what is queued)."""
        self.close_client()
        if self._uvicorn is not None and self._thread is not None:
            self._uvicorn.should_exit = True
            self._thread.join(30)
            self._uvicorn = self._thread = None

    def kill(self) -> None:
        raise NotImplementedError("a server in the test process cannot be killed; use server.Server")


@contextmanager
def serving(database_url: str, users: list[tuple[str, str | None, str]], **app_options: Any) -> Iterator[LiveServer]:
    """A started LiveServer on the zero draft with one user per (name, delegation, role):
    the browser modules' `server` fixture."""
    s = LiveServer(database_url, **app_options)
    s.seed(users)
    s.start()
    try:
        yield s
    finally:
        s.stop()
