"""Where each paragraph of a draft stands against the library: agreed language (an adopted
paragraph holds its words), agreed language that a later resolution has reworded (the
draft cites superseded text), close to agreed language (it departs from it), or new.
What the Secretariat reads before tabling (docs/library.md)."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from penholder.kept import Kept
from penholder.store import Engine

from penholder.library.catalog import LibraryError, version
from penholder.library.search import Query, search
from penholder.library.words import words
from penholder.model import Paragraph, Resolution
from penholder.model.labels import paragraph_labels
from penholder.model.lexicon import match_lead

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


def differing(text: str, other: str) -> list[list[int]]:
    """Spans of `text` (character offsets, runs of adjacent words joined) holding the words
    that `other` does not hold in the same order: where a paragraph departs from the
    wording it is compared with, as word-level matching (library/match.py) sees it."""
    mine = words(text)
    matcher = SequenceMatcher(None, [w.norm for w in mine], [w.norm for w in words(other)], autojunk=False)
    kept = [False] * len(mine)
    for block in matcher.get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            kept[k] = True
    spans: list[list[int]] = []
    for k, w in enumerate(mine):
        if kept[k]:
            continue
        if spans and k > 0 and not kept[k - 1]:
            spans[-1][1] = w.end
        else:
            spans.append([w.start, w.end])
    return spans


def rewording(text: str, newer: str) -> dict[str, Any] | None:
    """The update of a paragraph that cites superseded text to the later wording: the part
    of `text` from its first to its last departing word, `span`, and what replaces it,
    `text` (from `newer`). A bare insertion or deletion takes a word of context on one side,
    so that the spaces around it stay right. None when the words are the same."""
    mine, theirs = words(text), words(newer)
    ops = [op for op in SequenceMatcher(None, [w.norm for w in mine], [w.norm for w in theirs],
                                        autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return None
    i1, j1, i2, j2 = ops[0][1], ops[0][3], ops[-1][2], ops[-1][4]
    if i1 == i2 or j1 == j2:
        if i1 > 0 and j1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        elif i2 < len(mine) and j2 < len(theirs):
            i2, j2 = i2 + 1, j2 + 1
        else:  # the whole paragraph is new or gone
            return None
    start, end = mine[i1].start, mine[i2 - 1].end
    return {"span": [start, end], "text": newer[theirs[j1].start:theirs[j2 - 1].end]}


def marked_spans(text: str, entry: dict[str, Any]) -> list[list[int]]:
    """The words a paragraph's standing is drawn on in the editor: all its words when agreed,
    new or superseded; those that depart from the closest source (near), else all of them
    (the source only has more words). A superseded paragraph's own marks are the words the
    later wording changed (paragraph_standing)."""
    ws = words(text)
    if not ws:
        return []
    whole = [[ws[0].start, ws[-1].end]]
    if entry["status"] == "near":
        return differing(text, entry["source"]["matched"]) or whole
    return whole if entry["status"] in ("agreed", "new", "superseded") else []


# A paragraph's standing depends on its text and the library only: the editor asks again
# after every pause in the typing, so each text is searched once per state of the library.
CACHED = 4096
_cache: Kept[tuple[str, tuple[int, int, str], bool, str], dict[str, Any]] = Kept(CACHED)


def paragraph_standing(engine: Engine, res: Resolution) -> list[dict[str, Any]]:
    """One entry per paragraph and subparagraph with text, in document order."""
    labels = paragraph_labels(res)
    library = version(engine)
    out: list[dict[str, Any]] = []
    for p in res.paragraphs():
        if not p.text.strip():
            continue
        key = (str(engine.url), library, p.kind == "sub", p.text)
        known = _cache.get(key)
        if known is None:
            known = _standing_of(engine, p)
            _cache.put(key, known)
        out.append({"paragraph_id": p.id, "label": labels[p.id]} | known)
    return out


def _standing_of(engine: Engine, p: Paragraph) -> dict[str, Any]:
    found: list[dict[str, Any]] = []
    try:
        found = search(engine, Query(p.text, LIMIT, 0.7), full_text=True)["results"]
        entry = standing(found)
    except LibraryError as exc:  # too long, or common words only ("and")
        entry = {"status": "unchecked", "note": str(exc)}
    if entry["status"] != "superseded":
        return entry | {"spans": marked_spans(p.text, entry)}
    # the whole later paragraph, not only the window of it most like the draft's
    newer = next(r["text"] for r in found if (r["symbol"], r["label"]) == (entry["newer"]["symbol"], entry["newer"]["label"]))
    update = rewording(p.text, newer)
    if update:
        # a rewritten opening brings its own lead (the italic run the page keeps)
        lead = match_lead(update["text"]) if update["span"][0] == 0 and p.kind != "sub" else None
        entry["update"] = update | ({"lead": lead} if lead else {})
    return entry | {"spans": differing(p.text, newer) or ([update["span"]] if update else marked_spans(p.text, entry))}
