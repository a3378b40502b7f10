""""Where was this agreed?": the library paragraphs that hold a phrase exactly or nearly.

The index (library.index) proposes candidates; every answer is then checked word by word
here (library.match), so both backends give the same answers. Exact matches come first,
newest resolution first (the latest agreed language is the one to cite); near ones follow
by similarity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row

from penholder.library.catalog import LibraryError
from penholder.library.index import index_for
from penholder.library.match import Hit, find_exact, find_near, upper_bound
from penholder.library.words import content_words, norms, sentence_around, words
from penholder.model.dates import un_date

MAX_WORDS = 300
PHRASE_CANDIDATES = 400  # exact candidates read at most; beyond, `more` says so
NEAR_CANDIDATES = 60


@dataclass(frozen=True)
class Query:
    phrase: str
    limit: int = 20
    min_similarity: float = 0.7

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= 200:
            raise LibraryError("limit must be between 1 and 200")
        if not 0.3 <= self.min_similarity <= 1.0:
            raise LibraryError("min_similarity must be between 0.3 and 1")

    def words(self) -> list[str]:
        ws = norms(self.phrase)
        if not ws:
            raise LibraryError("give a phrase to search for: it has no words")
        if len(ws) > MAX_WORDS:
            raise LibraryError(f"the phrase has {len(ws)} words; search at most {MAX_WORDS}")
        if not content_words(ws):
            raise LibraryError("the phrase has only common words ('the', 'of', ...): add a word "
                               "that says what it is about")
        return ws


def _result(row: Row, hit: Hit) -> dict[str, Any]:
    sentence, offset = sentence_around(row.text, hit.start, hit.end)
    return {
        "symbol": row.symbol, "title": row.title, "adopted_on": row.adopted_on,
        "date": un_date(row.adopted_on), "committee": row.committee,
        "paragraph_id": row.paragraph_id, "label": row.label,
        "match": "exact" if hit.exact else "near", "similarity": hit.similarity,
        "span": [hit.start, hit.end], "matched": row.text[hit.start:hit.end],
        "sentence": sentence, "sentence_span": [offset, offset + hit.end - hit.start],
    }


def search(engine: Engine, query: Query) -> dict[str, Any]:
    q = query.words()
    with engine.connect() as conn:
        index = index_for(conn)
        rows = index.phrase(conn, q, PHRASE_CANDIDATES)
        exact: list[dict[str, Any]] = []
        seen: set[int] = set()
        for row in rows:
            hit = find_exact(q, words(row.text))
            if hit:
                exact.append(_result(row, hit))
                seen.add(row.id)
        near: list[tuple[float, str, dict[str, Any]]] = []
        if len(exact) < query.limit and query.min_similarity < 1.0:
            for row in index.any_of(conn, content_words(q), NEAR_CANDIDATES):
                if row.id in seen:
                    continue
                ws = words(row.text)
                if upper_bound(q, {w.norm for w in ws}) < query.min_similarity:
                    continue
                hit = find_exact(q, ws) or find_near(q, ws)
                if hit and hit.similarity >= query.min_similarity:
                    near.append((hit.similarity, row.adopted_on or "", _result(row, hit)))
    # similarity first, then the newest: two stable sorts
    near.sort(key=lambda n: n[1], reverse=True)
    near.sort(key=lambda n: n[0], reverse=True)
    results = (exact + [r for *_, r in near])[:query.limit]
    return {"query": query.phrase, "words": len(q), "exact": len(exact),
            "more": len(rows) == PHRASE_CANDIDATES or len(exact) + len(near) > query.limit,
            "results": results}
