"""Changes since a version, for the page: the live draft's change set against the prior
resolution, a revision, or the text at a chosen time, each change under its author
(the delegation, or the Secretariat for technical changes). The same change set as the
tracked export (exports.comparison, compare/), as JSON.

I/O at the edge like exports.py: reads the log, hands pure data to compare/."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pycrdt import Doc

from penholder import exports
from penholder.compare import compare
from penholder.compare.changes import Author, Comparison
from penholder.store import Engine
from penholder.store import drafts as stored_drafts
from penholder.store import log as stored_log
from penholder.store import revisions as stored_revisions
from penholder.sync.persistence import load_doc
from penholder.store.replay import apply_all
from penholder.sync.schema import read


class BadVersion(ValueError):
    """`against` names no version the API knows how to read (HTTP 422)."""


def parse_time(raw: str) -> datetime:
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadVersion(f"not a time: {raw!r} (ISO 8601, e.g. 2026-11-27T14:30:00Z)") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def comparison(engine: Engine, draft_id: int, against: str, live: bytes | None = None) -> Comparison:
    """`against`: a prior resolution's symbol, `rev:N`, or `at:<ISO time>`; `live`: the open
    room's encoded state (Rooms.state), read here into a document of this thread's own."""
    if stored_drafts.info(engine, draft_id) is None:
        raise exports.ExportError(f"no draft {draft_id}")
    if live is None:
        doc, _ = load_doc(engine, draft_id)
    else:
        doc = Doc()
        doc.apply_update(live)
    return _comparison(engine, draft_id, against, doc)


def _comparison(engine: Engine, draft_id: int, against: str, live: Doc) -> Comparison:
    if against.startswith("at:"):
        at = parse_time(against.removeprefix("at:"))
        seq = stored_log.seq_at(engine, draft_id, at)
        if seq == 0:
            raise BadVersion(f"the draft did not exist yet at {at.isoformat()}")
        return _since_seq(engine, draft_id, seq, live)
    if against == "rev:0":
        seq = stored_revisions.unstored_zero_seq(engine, draft_id)
        if seq is not None:  # the zero draft, not stored until Rev.1 is cut
            return _since_seq(engine, draft_id, seq, live)
    return exports.comparison(engine, draft_id, against, live)


def _since_seq(engine: Engine, draft_id: int, seq: int, live: Doc) -> Comparison:
    old_doc = Doc()
    apply_all(old_doc, stored_log.data_upto(engine, draft_id, seq))
    return compare(read(old_doc), read(live), exports.log_authorship(engine, draft_id, seq).attribute)


def _author(a: Author | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"name": a.name, "technical": a.technical, "date": a.date.isoformat() if a.date else None}


def to_json(c: Comparison) -> dict[str, Any]:
    """Every paragraph in the new text's order (deleted ones where they stood), changed
    ones with their word segments; `authors` is the legend: each author and how many
    changes are theirs."""
    legend: dict[str, dict[str, Any]] = {}

    def note(a: Author | None) -> dict[str, Any] | None:
        out = _author(a)
        if out is not None:
            entry = legend.setdefault(out["name"], {"name": out["name"], "technical": out["technical"], "changes": 0})
            entry["changes"] += 1
        return out

    paragraphs = []
    counts: dict[str, int] = {}
    for p in c.paragraphs:
        counts[p.status] = counts.get(p.status, 0) + 1
        para = p.new or p.old
        item: dict[str, Any] = {
            "paragraph_id": para.id if para else None, "status": p.status,
            "label": p.new_label, "old_label": p.old_label, "kind_changed": p.kind_changed,
            "author": note(p.author) if p.status in ("added", "deleted", "moved") else _author(p.author),
            "text": para.text if para else None}
        if p.status != "same":
            item["segments"] = [{"kind": s.kind, "text": s.text,
                                 "author": note(s.author) if s.kind != "same" else None} for s in p.segments]
        paragraphs.append(item)
    return {"old": c.old.heading.symbol, "new": c.new.heading.symbol, "counts": counts,
            "paragraphs": paragraphs,
            "footnotes_added": [{"number": f.number, "text": f.text} for f in c.footnotes_added],
            "footnotes_removed": [{"number": f.number, "text": f.text} for f in c.footnotes_removed],
            "authors": sorted(legend.values(), key=lambda x: (-x["changes"], x["name"]))}
