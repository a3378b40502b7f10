"""Several server processes, one room: Y updates and awareness carried between processes
over Redis pub/sub, one channel per draft.

An update reaches Redis only after its own process has stored it, so a process that
receives one applies and broadcasts it without storing it again. A process subscribes to
a draft's channel before it loads the draft from the store, and applies what arrived in
between once loaded: an update in both is harmless (applying a Y update twice changes
nothing), an update in neither cannot happen.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Protocol

import redis.asyncio as redis

log = logging.getLogger(__name__)

UPDATE, AWARENESS, VIEW = b"U", b"A", b"V"


class Target(Protocol):
    def apply_remote(self, update: bytes) -> None: ...

    def apply_remote_awareness(self, payload: bytes) -> None: ...

    def refresh_view(self) -> None: ...


class RedisFanout:
    def __init__(self, url: str, prefix: str = "penholder") -> None:
        self.url = url
        self.prefix = prefix
        self.origin = os.urandom(8)  # this process; its own messages come back and are skipped
        self.redis: redis.Redis | None = None
        self.pubsub: redis.client.PubSub | None = None
        self.targets: dict[str, Target] = {}
        self.waiting: dict[str, list[tuple[bytes, bytes]]] = {}
        self.reader: asyncio.Task[None] | None = None

    def channel(self, draft_id: str) -> str:
        return f"{self.prefix}:draft:{draft_id}"

    async def start(self) -> None:
        self.redis = redis.Redis.from_url(self.url)
        await self.redis.ping()  # fail at start, not at the first edit
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)

    async def stop(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.pubsub:
            await self.pubsub.aclose()
        if self.redis:
            await self.redis.aclose()

    async def subscribe(self, draft_id: str) -> None:
        """Before loading: from now on, messages for the draft are kept until attach()."""
        assert self.pubsub is not None
        self.waiting[draft_id] = []
        await self.pubsub.subscribe(self.channel(draft_id))
        if self.reader is None or self.reader.done():
            self.reader = asyncio.create_task(self._read())

    def attach(self, draft_id: str, target: Target) -> None:
        self.targets[draft_id] = target
        for kind, payload in self.waiting.pop(draft_id, []):
            self._deliver(target, kind, payload)

    async def unsubscribe(self, draft_id: str) -> None:
        self.targets.pop(draft_id, None)
        self.waiting.pop(draft_id, None)
        if self.pubsub is not None:
            await self.pubsub.unsubscribe(self.channel(draft_id))

    async def publish(self, draft_id: str, kind: bytes, payload: bytes) -> None:
        assert self.redis is not None
        await self.redis.publish(self.channel(draft_id), self.origin + kind + payload)

    def _deliver(self, target: Target, kind: bytes, payload: bytes) -> None:
        try:
            if kind == UPDATE:
                target.apply_remote(payload)
            elif kind == AWARENESS:
                target.apply_remote_awareness(payload)
            elif kind == VIEW:
                target.refresh_view()
        except Exception:  # one bad message must not stop the reader for every room
            log.exception("could not apply a message from another process")

    async def _read(self) -> None:
        assert self.pubsub is not None
        while True:
            try:
                message = await self.pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reading from Redis failed; retrying")
                await asyncio.sleep(1)
                continue
            if message is None:
                if not self.pubsub.subscribed:
                    await asyncio.sleep(0.05)
                continue
            data: bytes = message["data"]
            if data[:8] == self.origin:
                continue
            draft_id = message["channel"].decode().rsplit(":", 1)[-1]
            kind, payload = data[8:9], data[9:]
            if draft_id in self.waiting:
                self.waiting[draft_id].append((kind, payload))
            elif (target := self.targets.get(draft_id)) is not None:
                self._deliver(target, kind, payload)
