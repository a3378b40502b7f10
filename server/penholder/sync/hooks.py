"""The extension points of a room, after Hocuspocus: load, store, changed, unload.

Authentication happens before a connection joins a room (web/), so a room only ever
sees connections that carry a principal.

Hooks may also offer `store_now(draft_id, update, author) -> int | None`: store without
waiting when they can (an embedded database), None when the update must go through
`store`. A room then skips a task switch per keystroke, and, without fan-out, handles
messages within the socket's read callback (Room.synchronous). Hooks whose store_now
makes an update durable in a journal of their own, and writes the log later, offer
`commit()` too: the room calls it right after broadcasting, in the same turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pycrdt import Doc


@dataclass(frozen=True)
class Author:
    """Who a stored update is attributed to: a user and the delegation they act for (none
    for Secretariat staff). `origin` says what made the update when the user did not type
    it: 'seed' (the prior resolution), 'technical' (Secretariat rollover), 'amendment:12'."""

    user_id: int
    delegation_id: int | None
    origin: str | None = None


@dataclass(frozen=True)
class Loaded:
    doc: Doc   # the document so far: the newest snapshot and the log after it
    seq: int   # the last log sequence number it includes


class Hooks(Protocol):
    async def load(self, draft_id: str) -> Loaded:
        """The stored state of the draft. Raises KeyError for an unknown draft."""
        ...

    async def store(self, draft_id: str, update: bytes, author: Author) -> int:
        """Write the update to the log; return its sequence number. A room broadcasts an
        update only after this returns."""
        ...

    async def changed(self, draft_id: str, update: bytes, author: Author, seq: int) -> None:
        """After an update was stored and applied (its broadcast goes out in the same
        turn of the event loop)."""
        ...

    async def unload(self, draft_id: str, doc: Doc) -> None:
        """The last client left; the room is about to be dropped (cut a snapshot)."""
        ...
