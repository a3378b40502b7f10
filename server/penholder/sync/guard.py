"""What a client may not change in a draft's document, checked before its update is
stored: a copy of the room's document that each client update is applied to first.

The server owns the `proposals` map (the pending amendments, from SQL), the `comments`
map (the count of each thread, from SQL) and the heading
fields in SERVER_META (`sponsors`, from the sponsorship records; `symbol`, issued by the
Secretariat); a paragraph's `id` is what amendments, history and exports refer to, so
two paragraphs may not share one. A CRDT update cannot be inspected for what it changes
without a document to apply it to (an item names its parent only through the items
around it), so the guard applies it to its copy and watches those parts; an update that
touches them is refused, never stored, never sent on, and the copy, now ahead of the
room's document, is rebuilt from it. Updates the server makes or has stored are applied
to the copy unchecked.
"""

from __future__ import annotations

from collections import Counter

from pycrdt import Array, ArrayEvent, Doc, Map, MapEvent

SERVER_META = frozenset({"sponsors", "symbol"})
# Top-level maps the server alone writes, and what a client should do instead.
SERVER_MAPS = {"proposals": "file an amendment instead", "comments": "post a comment through the API instead"}


class Forbidden(ValueError):
    pass


class Guard:
    def __init__(self, state: bytes) -> None:
        self.doc = Doc()
        self.doc.apply_update(state)
        self._paragraphs = self.doc.get("paragraphs", type=Array)
        self._checking = False
        self._problem: str | None = None
        self._structure_changed = False
        self._duplicates = self._duplicate_ids()  # already there: not this update's doing
        self._changed = False
        self._subs = [
            self.doc.observe(self._on_change),
            *(self.doc.get(name, type=Map).observe_deep(self._on_server_map(name)) for name in SERVER_MAPS),
            self.doc.get("meta", type=Map).observe(self._on_meta),
            self._paragraphs.observe(self._on_paragraphs),
        ]
        # Each paragraph's own keys (its id), not the text inside it: a deep observer of
        # the paragraphs would build an event for every keystroke, five times the cost of
        # applying it. Subscribed again when paragraphs come or go.
        self._paragraph_subs: list[tuple[Map, object]] = []
        self._observe_paragraphs()

    def _observe_paragraphs(self) -> None:
        for m, sub in self._paragraph_subs:
            m.unobserve(sub)  # type: ignore[arg-type]
        self._paragraph_subs = [(p, p.observe(self._on_paragraph)) for p in self._paragraphs if isinstance(p, Map)]
        self._paragraphs_moved = False

    def check(self, update: bytes) -> bool:
        """Apply a client's update; raise Forbidden if it changes what the server owns
        or duplicates a paragraph id (the guard must then be rebuilt). Return whether it
        changed anything yet (an update whose items wait for others changes nothing)."""
        self._checking, self._problem, self._structure_changed, self._changed = True, None, False, False
        try:
            self.doc.apply_update(update)
        finally:
            self._checking = False
            if self._paragraphs_moved:
                self._observe_paragraphs()
        if self._problem is None and self._structure_changed:
            extra = self._duplicate_ids() - self._duplicates
            if extra:
                self._problem = f"paragraph id {sorted(extra)[0]!r} is already taken; a new paragraph needs a fresh id"
        if self._problem is not None:
            raise Forbidden(self._problem)
        return self._changed

    def admit(self, update: bytes) -> None:
        """An update the server made or stored: applied unchecked."""
        self.doc.apply_update(update)
        if self._paragraphs_moved:
            self._observe_paragraphs()

    def _on_change(self, event: object) -> None:
        self._changed = True

    def _on_server_map(self, name: str):  # type: ignore[no-untyped-def]
        def refuse(events: object) -> None:
            if self._checking:
                self._problem = f"the {name} are written by the server only ({SERVER_MAPS[name]})"
        return refuse

    def _on_meta(self, event: MapEvent) -> None:
        if self._checking:
            owned = SERVER_META.intersection(event.keys)
            if owned:
                self._problem = f"meta.{sorted(owned)[0]} is written by the server only"

    def _on_paragraphs(self, event: ArrayEvent) -> None:
        self._paragraphs_moved = True  # paragraphs came or went: observe the new ones too
        if self._checking:
            self._structure_changed = True

    def _on_paragraph(self, event: MapEvent) -> None:
        if self._checking and "id" in event.keys:
            self._structure_changed = True

    def _duplicate_ids(self) -> set[str]:
        counts = Counter(p.get("id") for p in self._paragraphs if isinstance(p, Map))
        return {str(pid) for pid, n in counts.items() if n > 1 and pid is not None}
