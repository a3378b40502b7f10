"""Who made each change the update log holds, as the tracked exports credit it
(docs/exports.md): the log replayed paragraph by paragraph, a run of updates to one
paragraph by one author (a burst of typing) being one step, whatever others type in
other paragraphs meanwhile.

A replay is kept per draft and basis (the seq it starts after), where it stands: the
next export of the draft replays only what was logged since, and gives what a replay of
the whole log would. One step per run of the whole log, as this was first written, made
each delegation's keystroke a step of its own while several typed at once: 10,000 such
updates took a minute to export; replayed by paragraph, about a second; kept, what was
typed since the last export.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pycrdt import Doc

from penholder.compare.align import longest_increasing
from penholder.compare.authorship import Authorship
from penholder.compare.changes import Author
from penholder.store import Engine
from penholder.store import log as stored_log
from penholder.store.log import LogEntry
from penholder.store.replay import apply_all
from penholder.sync.edits import paragraph_texts
from penholder.sync.schema import roots

SECRETARIAT = "Secretariat"
KEPT = 8  # replays kept per database: the drafts (and bases) exported lately


def author_of(delegation: str | None, at: datetime | None) -> Author:
    """A delegate's change is its delegation's; staff act for no member state, and what
    they change is the Secretariat's (the technical rollover, a symbol)."""
    if delegation:
        return Author(delegation, at)
    return Author(SECRETARIAT, at, technical=True)


def _entry_author(e: LogEntry) -> Author:
    return author_of(e.delegation, e.at)


@dataclass
class _Run:
    key: tuple[str, str | None, str | None]  # user, delegation, origin
    last: LogEntry                            # its latest update: the run's author and date
    start: str | None                         # the paragraph's text before it (None: absent)


class _Replay:
    """The log after `after_seq` replayed up to `seq`: the document, each paragraph's and
    footnote's text (footnotes keyed `fn:<footnote id>`), the paragraphs' order, the
    steps of the runs that ended, and the runs still open (a run ends when another
    author changes its paragraph, or with the log)."""

    def __init__(self, base: list[bytes], after_seq: int) -> None:
        self.doc = Doc()
        apply_all(self.doc, base)
        _, paragraphs, footnotes = roots(self.doc)
        self.seq = after_seq
        self.last: tuple[Any, bytes] | None = None  # the update at seq, as stored
        self.texts = paragraph_texts(self.doc)  # each text as of the last update applied
        self.texts.update({f"fn:{k}": str(v) for k, v in footnotes.items()})
        self.order = list(paragraph_texts(self.doc))
        # (id, Y.Text) by index, read again only when paragraphs come, go or move:
        # indexing the Y array and map for every keystroke was most of the time
        self.items = [(str(p["id"]), p["text"]) for p in paragraphs]
        self.runs: dict[str, _Run] = {}
        self.who = Authorship()

    def advance(self, entries: list[LogEntry]) -> None:
        """Apply the updates after `seq`, in order, each credited to its author. An update
        that reorders paragraphs is a move of those that left the longest run kept in
        order."""
        doc, texts, runs, who = self.doc, self.texts, self.runs, self.who
        _, paragraphs, footnotes = roots(doc)
        touched: set[int] = set()  # indexes of paragraphs whose text the update changed
        notes: set[str] = set()    # footnotes whose text it changed
        moved = [False]            # the update added, removed or moved paragraphs

        def seen(events: list[Any]) -> None:
            for ev in events:
                if not ev.path:
                    moved[0] = True
                elif len(ev.path) >= 2 and ev.path[1] == "text":
                    touched.add(ev.path[0])

        def seen_notes(events: list[Any]) -> None:
            for ev in events:
                if ev.path:
                    notes.add(f"fn:{ev.path[0]}")
                else:
                    notes.update(f"fn:{k}" for k in footnotes.keys())

        subscription = paragraphs.observe_deep(seen)
        note_subscription = footnotes.observe_deep(seen_notes)
        try:
            for e in entries:
                touched.clear()
                notes.clear()
                moved[0] = False
                doc.apply_update(e.data)
                key = (e.user, e.delegation, e.origin)
                if moved[0]:
                    now = paragraph_texts(doc)
                    changed = {pid: now.get(pid) for pid in now.keys() | texts.keys()
                               if not pid.startswith("fn:") and now.get(pid) != texts.get(pid)}
                    new_order = list(now)
                    for pid in moved_ids(self.order, new_order):
                        who.moved(_entry_author(e), pid)
                    self.order = new_order
                    self.items = [(str(p["id"]), p["text"]) for p in paragraphs]
                else:
                    items = self.items
                    changed = {items[i][0]: str(items[i][1]) for i in touched}
                for fid in notes:
                    text = footnotes.get(fid[3:])
                    changed[fid] = None if text is None else str(text)
                for pid, text in changed.items():
                    run = runs.get(pid)
                    if run is not None and run.key != key:
                        self._close(who, pid, run)
                        run = None
                    if run is None:
                        runs[pid] = _Run(key, e, texts.get(pid))
                    else:
                        run.last = e
                    if text is None:
                        texts.pop(pid, None)
                    else:
                        texts[pid] = text
                self.seq, self.last = e.seq, (e.stamp, e.data)
        finally:
            paragraphs.unobserve(subscription)
            footnotes.unobserve(note_subscription)

    def _close(self, who: Authorship, pid: str, run: _Run) -> None:
        end = self.texts.get(pid)
        who.step(_entry_author(run.last), {} if run.start is None else {pid: run.start},
                 {} if end is None else {pid: end})

    def authorship(self) -> Authorship:
        """The steps so far, the open runs ended here; the replay itself can go on."""
        who = self.who.copy()
        for pid, run in self.runs.items():
            self._close(who, pid, run)
        return who

    def continues(self, entries: list[LogEntry]) -> list[LogEntry] | None:
        """`entries` (read from `seq` on, inclusive) without the one at `seq`, if that one is
        still the update replayed there; else None: the log is not the one replayed."""
        if not entries or self.last is None or entries[0].seq != self.seq \
                or (entries[0].stamp, entries[0].data) != self.last:
            return None
        return entries[1:]


def moved_ids(before: list[str], after: list[str]) -> list[str]:
    """The paragraphs of `after` that moved: those outside the longest run of common
    paragraphs kept in their order (one paragraph moved is one move, not a shift of all
    it jumped over)."""
    common = set(before) & set(after)
    rank = {pid: i for i, pid in enumerate(p for p in before if p in common)}
    seq = [p for p in after if p in common]
    keep = set(longest_increasing([rank[p] for p in seq]))
    return [p for k, p in enumerate(seq) if k not in keep]


# engine -> (draft id, after_seq) -> replay, the latest used last. A replay is taken out
# while it advances, so two exports of one draft at once never share one (the second
# replays the log itself); the engine is weakly held, its replays go with it.
_kept: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[int, int], _Replay]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _take(engine: Engine, key: tuple[int, int]) -> _Replay | None:
    with _lock:
        kept = _kept.get(engine)
        return kept.pop(key, None) if kept is not None else None


def _keep(engine: Engine, key: tuple[int, int], replay: _Replay) -> None:
    with _lock:
        kept = _kept.setdefault(engine, OrderedDict())
        kept[key] = replay
        kept.move_to_end(key)
        while len(kept) > KEPT:
            kept.popitem(last=False)


def forget(engine: Engine) -> None:
    """Drop the replays kept for `engine` (the next export replays the whole log)."""
    with _lock:
        _kept.pop(engine, None)


def log_authorship(engine: Engine, draft_id: int, after_seq: int) -> Authorship:
    """Authorship of everything the log holds after `after_seq`, paragraph by paragraph
    and footnote by footnote: from the replay kept for the draft if the log still
    continues it, else from a replay of the log after `after_seq`."""
    key = (draft_id, after_seq)
    replay = _take(engine, key)
    entries = None
    if replay is not None:
        entries = replay.continues(stored_log.entries(engine, draft_id, replay.seq - 1, stored_log.ALL))
    if replay is None or entries is None:
        base, entries = stored_log.entries_after(engine, draft_id, after_seq)
        replay = _Replay(base, after_seq)
    replay.advance(entries)
    who = replay.authorship()
    if replay.last is not None:
        _keep(engine, key, replay)
    return who
