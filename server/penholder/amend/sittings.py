"""Direct edits grouped into sittings: consecutive edits to one paragraph by one person,
none more than `gap` after the one before, are one entry of the paragraph's history
(a burst of typing is a few hundred updates; a reader wants "France edited PP7 at 10:02").
Pure: entries in, entries out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from penholder.compare import word_diff

GAP = timedelta(minutes=10)
EDIT_KINDS = ("edit", "technical")


def _at(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["at"])


def group(items: list[dict[str, Any]], gap: timedelta = GAP) -> list[dict[str, Any]]:
    """`items` in time order; direct edits (kind edit | technical, with before/after) of one
    sitting become one entry with the text before the first and after the last, the number
    of updates, and the word segments between them. Other items pass through and end a
    sitting."""
    out: list[dict[str, Any]] = []
    open_: dict[str, Any] | None = None
    for item in items:
        if item["kind"] not in EDIT_KINDS:
            open_ = None
            out.append(item)
            continue
        same_person = open_ is not None and (open_["by"], open_["delegation"], open_["kind"]) == (
            item["by"], item["delegation"], item["kind"])
        if same_person and _at(item) - datetime.fromisoformat(open_["until"]) <= gap:  # type: ignore[index]
            open_["until"] = item["at"]  # type: ignore[index]
            open_["after"] = item["after"]  # type: ignore[index]
            open_["updates"] += 1  # type: ignore[index]
            open_["seqs"][1] = item["seq"]  # type: ignore[index]
            continue
        open_ = {"at": item["at"], "until": item["at"], "kind": item["kind"], "by": item["by"],
                 "delegation": item["delegation"], "origin": item.get("origin"),
                 "before": item["before"], "after": item["after"], "updates": 1, "seqs": [item["seq"], item["seq"]]}
        out.append(open_)
    for entry in out:
        if entry["kind"] in EDIT_KINDS:
            entry["change"] = ("added" if entry["before"] is None else "removed" if entry["after"] is None
                               else "edited")
            entry["segments"] = [{"kind": s.kind, "text": s.text}
                                 for s in word_diff(entry["before"] or "", entry["after"] or "")]
    return out
