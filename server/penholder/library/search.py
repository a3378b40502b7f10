""""Where was this agreed?": the library paragraphs that hold a phrase exactly or nearly.

The index (store.library) proposes candidates; every answer is then checked word by word
here (library.match), so stemming and stopwords of either backend widen or narrow the
candidates, never what counts as a match. Exact matches come first,
newest resolution first (the latest agreed language is the one to cite); near ones follow
by similarity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from penholder.library.catalog import LibraryError
from penholder.library.match import Hit, find_exact, find_near, upper_bound
from penholder.library.words import content_words, norms, phrase_pattern, sentence_around, word_set, words
from penholder.model.dates import un_date
from penholder.store import Engine
from penholder.store import library as stored
from penholder.store.library import Candidate

MAX_WORDS = 300
PHRASE_CANDIDATES = 200  # exact candidates read at most (the newest); beyond, `more` says so
NEAR_CANDIDATES = 100


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


def _result(row: Candidate, hit: Hit, full_text: bool) -> dict[str, Any]:
    sentence, offset = sentence_around(row.text, hit.start, hit.end)
    return ({"text": row.text} if full_text else {}) | {
        "symbol": row.symbol, "title": row.title, "adopted_on": row.adopted_on,
        "date": un_date(row.adopted_on), "committee": row.committee,
        "paragraph_id": row.paragraph_id, "label": row.label,
        "match": "exact" if hit.exact else "near", "similarity": hit.similarity,
        "span": [hit.start, hit.end], "matched": row.text[hit.start:hit.end],
        "sentence": sentence, "sentence_span": [offset, offset + hit.end - hit.start],
    }


def near_groups(content: Sequence[str], misses: int) -> list[list[str]]:
    """Groups of the phrase's content words such that a paragraph missing at most
    `misses` of them holds every word of some group: all words but one when one may be
    missing, else misses + 1 consecutive groups (one of them is left intact)."""
    n = len(content)
    if misses <= 0 or n <= 1:
        return [list(content)]
    if misses == 1 and n <= 12:
        return [[w for j, w in enumerate(content) if j != i] for i in range(n)]
    k = min(n, misses + 1)
    return [list(content[i * n // k:(i + 1) * n // k]) for i in range(k)]


def _near(q: list[str], text: str, threshold: float) -> Hit | None:
    if upper_bound(q, word_set(text)) < threshold:
        return None
    ws = words(text)
    hit = find_exact(q, ws) or find_near(q, ws)
    return hit if hit and hit.similarity >= threshold else None


def search(engine: Engine, query: Query, full_text: bool = False) -> dict[str, Any]:
    """`full_text`: each result also carries its paragraph's whole `text` (for comparing a
    draft's paragraph with it, library/agreed.py; the API leaves it out)."""
    q = query.words()
    exact_re = phrase_pattern(q)
    rows = stored.phrase(engine, q, PHRASE_CANDIDATES)
    exact: list[tuple[Candidate, Hit]] = []
    for row in rows:
        m = exact_re.search(row.text)
        if m:
            exact.append((row, Hit(m.start(), m.end(), 1.0)))
    seen = {row.id for row, _ in exact}
    near: list[tuple[Candidate, Hit]] = []
    if len(exact) < query.limit and query.min_similarity < 1.0:
        # Recurring resolutions repeat paragraphs word for word: score each text once.
        scored: dict[str, Hit | None] = {}
        misses = int((1 - query.min_similarity) * len(q) + 1e-9)  # phrase words a near match may lack
        for row in stored.any_group(engine, near_groups(content_words(q), misses), NEAR_CANDIDATES):
            if row.id in seen:
                continue
            if row.text not in scored:
                scored[row.text] = _near(q, row.text, query.min_similarity)
            hit = scored[row.text]
            if hit is not None:
                near.append((row, hit))
    # similarity first, then the newest: two stable sorts
    near.sort(key=lambda n: n[0].adopted_on or "", reverse=True)
    near.sort(key=lambda n: n[1].similarity, reverse=True)
    ranked = (exact + near)[:query.limit]
    return {"query": query.phrase, "words": len(q), "exact": len(exact),
            "more": len(rows) == PHRASE_CANDIDATES or len(exact) + len(near) > query.limit,
            "results": [_result(row, hit, full_text) for row, hit in ranked]}
