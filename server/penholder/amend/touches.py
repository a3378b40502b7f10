"""Which paragraphs each update of a draft's log touched, and who sent it: what the
activity and a paragraph's history read. The log is replayed once with observers on the
document, so that an update costs the paragraphs it changed, not a copy of every
paragraph's text (sync.history describes each update in full, which a keystroke-level
log of thousands of updates cannot afford on every request)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc
from penholder.store import Engine
from penholder.store import log as stored_log
from penholder.sync.schema import roots


@dataclass
class Touch:
    seq: int
    at: str
    user: str
    delegation: str | None
    origin: str | None
    technical: bool
    paragraphs: list[str] = field(default_factory=list)  # ids whose text, or presence, changed
    other: bool = False                                  # the heading or the footnotes changed
    before: str | None = None                            # of the paragraph asked about, if touched
    after: str | None = None


def replay(engine: Engine, draft_id: int, paragraph_id: str | None = None) -> list[Touch]:
    """Every update in log order with what it touched; with `paragraph_id`, that
    paragraph's text before and after each update that touched it."""
    entries = stored_log.entries(engine, draft_id, 0, 100_000_000)
    doc = Doc()
    meta, paragraphs, footnotes = roots(doc)
    touched: set[int] = set()
    flags = {"structure": False, "other": False}

    def on_paragraphs(events: list[Any]) -> None:
        for ev in events:
            if not ev.path:
                flags["structure"] = True
            else:
                touched.add(ev.path[0])

    def on_other(_: Any) -> None:
        flags["other"] = True

    subs = [(paragraphs, paragraphs.observe_deep(on_paragraphs)), (meta, meta.observe_deep(on_other)),
            (footnotes, footnotes.observe_deep(on_other))]
    ids: list[str] = []
    wanted: str | None = None  # the asked-for paragraph's text as of the last update
    out: list[Touch] = []
    try:
        for e in entries:
            touched.clear()
            flags["structure"] = flags["other"] = False
            doc.apply_update(e.data)
            changed: list[str] = []
            if flags["structure"]:
                now = [str(p["id"]) for p in paragraphs]
                gone = set(ids) - set(now)
                changed = [pid for pid in now if pid not in set(ids)] + [pid for pid in ids if pid in gone]
                ids = now
            for i in sorted(touched):
                if i < len(ids) and ids[i] not in changed:
                    changed.append(ids[i])
            t = Touch(e.seq, e.at.isoformat(), e.user, e.delegation, e.origin,
                      (e.origin or "").startswith(("technical", "seed")), changed, flags["other"])
            if paragraph_id is not None and paragraph_id in changed:
                t.before = wanted
                wanted = str(paragraphs[ids.index(paragraph_id)]["text"]) if paragraph_id in ids else None
                t.after = wanted
            out.append(t)
    finally:
        for target, sub in subs:
            target.unobserve(sub)
    return out
