"""The extension points of a room, after Hocuspocus's lifecycle: authenticate, load
(and view, the derived part of the document), store (each update), change (after it was stored and sent), snapshot (Hocuspocus's
onStoreDocument: the whole document), unload. Every hook a room calls is declared here;
nothing is discovered at run time.

Who the connection is (the token) is resolved by the web layer; `authenticate` decides
whether that principal may join this draft's room, before it joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pycrdt import Doc


@dataclass(frozen=True)
class Author:
    """Who an update is stored under: a user, their delegation, and for updates not
    typed by them an origin such as 'technical' or 'amendment:12'."""

    user_id: int
    delegation_id: int | None
    origin: str | None = None


@dataclass(frozen=True)
class Loaded:
    doc: Doc   # the document so far: the newest snapshot and the log after it
    seq: int   # the last log sequence number it includes
    base: int = 0  # the seq of the snapshot it started from (0: the whole log)


class Refused(Exception):
    """A connection may not do what it asked: closed with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class Principal(Protocol):
    user_id: int
    name: str
    delegation: str | None
    delegation_id: int | None

    def can(self, action: str, draft_id: int | None = None) -> bool: ...


class Hooks(Protocol):
    snapshot_every: int  # a snapshot every that many stored updates (0: none but at unload)

    async def authenticate(self, draft_id: str, principal: Principal) -> None:
        """Raise Refused (4403, 4404) if the principal may not join the draft's room."""
        ...

    async def load(self, draft_id: str) -> Loaded:
        """The stored state of the draft. Raises KeyError for an unknown draft."""
        ...

    async def view(self, draft_id: str) -> dict[str, dict[str, Any]]:
        """The derived view of the draft, by map (`proposals`, `comments`: sync/view.py):
        sent to the room's clients, never stored in the log."""
        ...

    async def store(self, draft_id: str, update: bytes, author: Author) -> int:
        """Make the update durable; return its sequence number. A room broadcasts an
        update only after this returns."""
        ...

    async def change(self, draft_id: str, update: bytes, author: Author, seq: int) -> None:
        """After an update was stored and broadcast."""
        ...

    def snapshot(self, draft_id: str, seq: int, state: bytes | None) -> None:
        """Queue a snapshot up to seq: of `state` (the encoded document, which holds every
        update up to seq), or, if None, rebuilt from the log. Returns at once."""
        ...

    async def unload(self, draft_id: str, seq: int, state: bytes | None, since_load: int) -> None:
        """The last client left and the room is dropped; `state` as for snapshot,
        `since_load`: how many updates the room stored."""
        ...
