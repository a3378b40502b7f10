"""The derived part of a draft's document: the `proposals` map, the pending amendments
as the amendment records say (docs/amendments.md), and the `comments` map, the count of
each comment thread's target (open threads, comments, the last one's time). It is sent to the room's clients as
Y updates, so that a stock client reads it where it reads the rest of the document, but
it is not the draft's text: it is never appended to the update log (the audit trail of
the text) and a draft nobody has open is not loaded to publish it.

Each room holds it in a Y document of its own, written under a client id from a range
no client uses (VIEW_FLOOR and up; Yjs clients take 32-bit ids, pycrdt's are random
below 2^53), so that its items can be told apart in what a client sends. A client that
kept the view of an earlier room or process sends those items back when it reconnects
(they are in its document, not in the server's); the room takes them into its view and
asserts its entries again over them, which deletes what is no longer pending in that
client too. Those items are accepted only if they hold nothing but view entries:
anything else a client sends under such an id is refused.
"""

from __future__ import annotations

import secrets
from typing import Any

from pycrdt import Doc, Map, get_state, get_update

from penholder.sync.protocol import EMPTY_UPDATE, decode_state_vector, encode_state_vector

VIEW_FLOOR = 2**53 - 2**24
ROOTS = ("proposals", "comments")  # the top-level maps the view writes

Entries = dict[str, Any]  # one map's keys and values


class NotAView(ValueError):
    pass


def split(update: bytes) -> tuple[bytes, bytes | None]:
    """A client's update as (its own part, the part under view ids or None). Both keep
    the update's delete set."""
    clocks = decode_state_vector(get_state(update))
    view = {c: k for c, k in clocks.items() if c >= VIEW_FLOOR}
    if not view:
        return update, None
    own = {c: k for c, k in clocks.items() if c < VIEW_FLOOR}
    return get_update(update, encode_state_vector(view)), get_update(update, encode_state_vector(own))


class View:
    def __init__(self) -> None:
        self.doc = Doc(client_id=VIEW_FLOOR + secrets.randbelow(2**24))
        self._maps = {root: self.doc.get(root, type=Map) for root in ROOTS}
        self.entries: dict[str, Entries] = {root: {} for root in ROOTS}

    def set(self, view: dict[str, Entries]) -> bytes | None:
        """Make the view's maps named in `view` hold these entries; the update that does
        it, None if nothing changed."""
        self.entries |= view
        before = self.doc.get_state()
        with self.doc.transaction(origin="view"):
            for root, entries in view.items():
                live = self._maps[root]
                for key in list(live.keys()):
                    if key not in entries:
                        del live[key]
                for key, value in entries.items():
                    if live.get(key) != value:
                        live[key] = value
        update = self.doc.get_update(before)
        return None if update == EMPTY_UPDATE else update

    def patch(self, root: str, entries: Entries, gone: set[str]) -> bytes | None:
        """Change only these entries of one map (and remove the `gone` keys): the cost
        of one amendment's change, however many are pending."""
        self.entries[root] = {k: v for k, v in self.entries[root].items() if k not in gone} | entries
        live = self._maps[root]
        before = self.doc.get_state()
        with self.doc.transaction(origin="view"):
            for key in gone:
                if key in live:
                    del live[key]
            for key, value in entries.items():
                live[key] = value
        update = self.doc.get_update(before)
        return None if update == EMPTY_UPDATE else update

    def absorb(self, part: bytes) -> bytes | None:
        """Take view items a client sent back (see the module's docstring), then assert
        the entries again; return what the room's clients need (those items and the
        assertion), None if nothing. Raises NotAView for anything but view entries."""
        scratch = Doc()
        scratch.apply_update(self.doc.get_update())
        before = decode_state_vector(scratch.get_state())
        scratch.apply_update(part)
        after = decode_state_vector(scratch.get_state())
        sent = decode_state_vector(get_state(part))
        if set(scratch.keys()) - set(ROOTS) or any(after.get(c, 0) < k for c, k in sent.items()):
            raise NotAView("only the server writes under this client id")
        if after == before:
            return None
        # Through a document of its own: only items it integrated, and its own deletions
        # (the client's delete set may name items of the text, which are not the view's).
        taken = scratch.get_update(self.doc.get_state())
        self.doc.apply_update(taken)
        again = self.set(self.entries)
        return taken if again is None else merge(taken, again)

    def state(self) -> bytes:
        return self.doc.get_update()


def merge(*updates: bytes) -> bytes:
    from pycrdt import merge_updates
    return merge_updates(*updates)
