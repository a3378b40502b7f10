"""The y-websocket wire protocol, read strictly.

    message   = varuint type, body
    sync (0)  = varuint step (0: state vector, 1: step 2, 2: update), varbytes payload
    awareness (1) = varbytes update; update = varuint n, n x (varuint client, varuint clock, varstring json)
    auth (2)      = ignored (y-websocket's permission message)
    query awareness (3)

pycrdt's own decoder trusts its input (a truncated message yields a short slice); a
server facing the network must not, so every length is checked here and a message that
does not parse raises ProtocolError saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from pycrdt import get_state


class ProtocolError(ValueError):
    """A message that is not the y-websocket protocol; the text says what is wrong."""


class Kind(IntEnum):
    SYNC = 0
    AWARENESS = 1
    AUTH = 2
    QUERY_AWARENESS = 3


class Step(IntEnum):
    STATE_VECTOR = 0
    DIFF = 1
    UPDATE = 2


EMPTY_UPDATE = b"\x00\x00"


class Message(NamedTuple):  # a tuple: built for every keystroke, cheaper than a dataclass
    kind: Kind
    step: Step | None = None
    payload: bytes = b""


_STEPS = (Step.STATE_VECTOR, Step.DIFF, Step.UPDATE)


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: str  # JSON text; "null" removes the client


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def varuint(self) -> int:
        value, shift = 0, 0
        while True:
            if self.pos >= len(self.data):
                raise ProtocolError("truncated message: a number runs past the end")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
            if shift > 63:
                raise ProtocolError("malformed message: a number longer than 64 bits")

    def varbytes(self) -> bytes:
        length = self.varuint()
        end = self.pos + length
        if end > len(self.data):
            raise ProtocolError(f"truncated message: {length} bytes announced, {len(self.data) - self.pos} present")
        out = self.data[self.pos:end]
        self.pos = end
        return out

    def done(self) -> bool:
        return self.pos == len(self.data)


def varuint(n: int) -> bytes:
    if 0 <= n < 0x80:
        return _ONE_BYTE[n]
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


_ONE_BYTE = tuple(bytes((n,)) for n in range(0x80))


def varbytes(data: bytes) -> bytes:
    return varuint(len(data)) + data


def _sync_header(data: bytes) -> int:
    """Where the payload starts if data is a whole sync message whose payload length
    takes one or two bytes (every keystroke's update), else 0: the general reader then
    reads it, and says what is wrong if anything is."""
    n = len(data)
    if n < 3 or data[0] != 0 or data[1] > 2:
        return 0
    if data[2] < 0x80:
        return 3 if n == 3 + data[2] else 0
    if n > 3 and data[3] < 0x80:
        return 4 if n == 4 + ((data[2] & 0x7F) | data[3] << 7) else 0
    return 0


def _check_update(payload: bytes) -> None:
    try:
        get_state(payload)  # decodes the whole update without applying it
    except Exception as exc:  # pycrdt raises ValueError; be safe with any
        raise ProtocolError(f"malformed update: {exc}") from None


def parse(data: bytes) -> Message:
    start = _sync_header(data)
    if start:
        step, payload = _STEPS[data[1]], data[start:]
        if step is not Step.STATE_VECTOR and payload != EMPTY_UPDATE:
            _check_update(payload)
        return Message(Kind.SYNC, step, payload)
    if not data:
        raise ProtocolError("empty message")
    r = _Reader(data)
    kind = r.varuint()
    if kind == Kind.SYNC:
        step = r.varuint()
        if step not in (0, 1, 2):
            raise ProtocolError(f"unknown sync step {step}")
        payload = r.varbytes()
        if not r.done():
            raise ProtocolError("malformed sync message: bytes after the payload")
        if step != Step.STATE_VECTOR and payload != EMPTY_UPDATE:
            _check_update(payload)
        return Message(Kind.SYNC, _STEPS[step], payload)
    if kind == Kind.AWARENESS:
        payload = r.varbytes()
        parse_awareness(payload)
        return Message(Kind.AWARENESS, None, payload)
    if kind == Kind.AUTH:
        return Message(Kind.AUTH)
    if kind == Kind.QUERY_AWARENESS:
        return Message(Kind.QUERY_AWARENESS)
    raise ProtocolError(f"unknown message type {kind}")


def parse_awareness(payload: bytes) -> list[AwarenessEntry]:
    r = _Reader(payload)
    count = r.varuint()
    if count > 10_000:
        raise ProtocolError(f"awareness update for {count} clients")
    entries = []
    for _ in range(count):
        client, clock = r.varuint(), r.varuint()
        raw = r.varbytes()
        try:
            text = raw.decode("utf-8")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise ProtocolError("malformed awareness state: not JSON") from None
        entries.append(AwarenessEntry(client, clock, text))
    if not r.done():
        raise ProtocolError("malformed awareness message: bytes after the states")
    return entries


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    body = varuint(len(entries)) + b"".join(
        varuint(e.client_id) + varuint(e.clock) + varbytes(e.state.encode()) for e in entries)
    return varuint(Kind.AWARENESS) + varbytes(body)


_SYNC_HEADS = tuple(bytes((Kind.SYNC, step)) for step in _STEPS)


def sync_message(step: Step, payload: bytes) -> bytes:
    return _SYNC_HEADS[step] + varuint(len(payload)) + payload


def decode_state_vector(state: bytes) -> dict[int, int]:
    """A Y state vector (client id -> clock), as get_state and Doc.get_state encode it."""
    r = _Reader(state)
    out = {}
    for _ in range(r.varuint()):
        client = r.varuint()
        out[client] = r.varuint()
    return out


def encode_state_vector(clocks: dict[int, int]) -> bytes:
    return varuint(len(clocks)) + b"".join(varuint(c) + varuint(k) for c, k in clocks.items())
