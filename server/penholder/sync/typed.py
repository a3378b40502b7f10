"""A Yjs update (encoding v1, as y-websocket and pycrdt exchange them) read just far
enough to recognise a keystroke: strings inserted next to existing characters, nothing
deleted. It costs less than the event objects pycrdt builds for an update, which a
replay of the log otherwise needs to learn which text each one typed into
(log_authors.py).

Layout (lib0 variable-length integers): the number of clients; for each, the number of
structs, the client, the clock of the first; each struct an info byte (content kind in
the low five bits, then flags: parent key, right origin, origin) and its fields; then
the delete set, here empty. A string item with an origin or a right origin carries no
parent: it belongs to the text of its neighbour.
"""

from __future__ import annotations

from typing import NamedTuple

_STRING = 4
_ORIGIN, _RIGHT, _PARENT_SUB = 0x80, 0x40, 0x20

ID = tuple[int, int]  # client, clock


class Insert(NamedTuple):
    client: int
    clock: int
    length: int          # in UTF-16 code units, as Yjs counts clocks
    origin: ID | None    # the character it was typed after
    right: ID | None     # the one it was typed before


def _uint(buf: bytes, pos: int) -> tuple[int, int]:
    n = buf[pos]
    if n < 0x80:  # most counts and lengths
        return n, pos + 1
    n, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7


def typed(update: bytes) -> list[Insert] | None:
    """The strings `update` inserts, in its order, if that is all it does and each sits
    next to a character (an origin or a right origin); else None."""
    try:
        return _typed(update)
    except (IndexError, UnicodeDecodeError):
        return None


def _typed(buf: bytes) -> list[Insert] | None:
    out: list[Insert] = []
    clients, pos = _uint(buf, 0)
    for _ in range(clients):
        structs, pos = _uint(buf, pos)
        client, pos = _uint(buf, pos)
        clock, pos = _uint(buf, pos)
        for _ in range(structs):
            info = buf[pos]
            pos += 1
            if info & 0x1F != _STRING or info & _PARENT_SUB or not info & (_ORIGIN | _RIGHT):
                return None
            origin = right = None
            if info & _ORIGIN:
                c, pos = _uint(buf, pos)
                k, pos = _uint(buf, pos)
                origin = (c, k)
            if info & _RIGHT:
                c, pos = _uint(buf, pos)
                k, pos = _uint(buf, pos)
                right = (c, k)
            size, pos = _uint(buf, pos)
            text = buf[pos:pos + size].decode("utf-8", "surrogatepass")
            pos += size
            length = len(text.encode("utf-16-le", "surrogatepass")) // 2
            if not length or size != len(buf[pos - size:pos]):
                return None
            out.append(Insert(client, clock, length, origin, right))
            clock += length
    deleted, pos = _uint(buf, pos)
    if deleted or pos != len(buf):
        return None
    return out


def state_vector(state: bytes) -> dict[int, int]:
    """An encoded state vector (Doc.get_state, pycrdt.get_state): client -> next clock."""
    out: dict[int, int] = {}
    n, pos = _uint(state, 0)
    for _ in range(n):
        client, pos = _uint(state, pos)
        clock, pos = _uint(state, pos)
        out[client] = clock
    return out
