"""Who changed what, when: the update log replayed, each update described by the
paragraphs, heading fields and footnotes it changed."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc
from penholder.store import Engine
from penholder.store.log import entries_after
from penholder.store.replay import apply_all
from penholder.sync.schema import roots


def _state(doc: Doc) -> dict[str, str]:
    meta, paragraphs, footnotes = roots(doc)
    out = {f"paragraph:{p['id']}": str(p["text"]) for p in paragraphs}
    out.update({f"heading:{k}": str(v) for k, v in (meta.to_py() or {}).items()})
    out.update({f"footnote:{k}": str(v) for k, v in footnotes.items()})
    return out


def _changes(before: dict[str, str], after: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for target in list(after) + [t for t in before if t not in after]:
        old, new = before.get(target), after.get(target)
        if old == new:
            continue
        kind = "added" if old is None else "removed" if new is None else "edited"
        out.append({"target": target, "change": kind, "before": old, "after": new})
    return out


def history(engine: Engine, draft_id: int, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    base, entries = entries_after(engine, draft_id, after, limit)
    doc = Doc()
    apply_all(doc, base)
    state = _state(doc)
    out = []
    for e in entries:
        doc.apply_update(e.data)
        new_state = _state(doc)
        out.append({
            "seq": e.seq,
            "at": e.at.isoformat(),
            "user": e.user,
            "role": e.role,
            "delegation": e.delegation,
            "origin": e.origin,
            "technical": (e.origin or "").startswith(("technical", "seed")),
            "changes": _changes(state, new_state),
        })
        state = new_state
    return out
