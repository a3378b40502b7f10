"""Where each paragraph of a draft stands against the library: agreed language (an adopted
paragraph holds its words), agreed language that a later resolution has reworded (the
draft cites superseded text), close to agreed language (it departs from it), or new.
What the Secretariat reads before tabling (docs/library.md)."""

from __future__ import annotations

from typing import Any

from penholder.store import Engine

from penholder.library.catalog import LibraryError
from penholder.library.search import Query, search
from penholder.model import Resolution
from penholder.model.labels import paragraph_labels

# A later paragraph this close to the draft's wording is taken for the same paragraph
# reworded, not for another that shares some words with it.
REWORDED = 0.8
LIMIT = 20  # enough for every recurrence of a paragraph in a library of a few hundred texts


def _source(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r[k] for k in ("symbol", "label", "adopted_on", "date", "match", "similarity", "matched")}


def standing(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The standing of one paragraph from its search results (exact first, newest first;
    then near ones by similarity)."""
    exact = [r for r in found if r["match"] == "exact"]
    near = [r for r in found if r["match"] == "near"]
    if exact:
        newest = exact[0]
        later = [r for r in near if r["similarity"] >= REWORDED and (r["adopted_on"] or "") > (newest["adopted_on"] or "")]
        if later:
            return {"status": "superseded", "source": _source(newest), "newer": _source(later[0])}
        return {"status": "agreed", "source": _source(newest)}
    if near:
        return {"status": "near", "source": _source(near[0])}
    return {"status": "new"}


def paragraph_standing(engine: Engine, res: Resolution) -> list[dict[str, Any]]:
    """One entry per paragraph and subparagraph with text, in document order."""
    labels = paragraph_labels(res)
    out: list[dict[str, Any]] = []
    for p in res.paragraphs():
        if not p.text.strip():
            continue
        entry: dict[str, Any] = {"paragraph_id": p.id, "label": labels[p.id]}
        try:
            entry |= standing(search(engine, Query(p.text, LIMIT, 0.7))["results"])
        except LibraryError as exc:  # too long, or common words only ("and")
            entry |= {"status": "unchecked", "note": str(exc)}
        out.append(entry)
    return out
