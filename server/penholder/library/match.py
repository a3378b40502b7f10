"""Where a phrase stands in a paragraph, exactly or nearly: pure functions over words.

Exact means the same words in the same order (case and punctuation aside). Nearly is
word-level similarity: the best window of the paragraph scored by the words it shares
with the phrase in order (difflib's matching blocks) over the longer of the two, so one
word changed or added in a ten-word phrase scores 0.9, and a window holding only part of
the phrase scores that part."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from penholder.library.words import Word


@dataclass(frozen=True)
class Hit:
    start: int  # character span in the paragraph's text
    end: int
    similarity: float  # 1.0 for an exact match

    @property
    def exact(self) -> bool:
        return self.similarity == 1.0


def find_exact(query: list[str], para: list[Word]) -> Hit | None:
    n = len(query)
    if not n:
        return None
    first = query[0]
    for i in range(len(para) - n + 1):
        if para[i].norm == first and all(para[i + k].norm == query[k] for k in range(1, n)):
            return Hit(para[i].start, para[i + n - 1].end, 1.0)
    return None


def find_near(query: list[str], para: list[Word], *, candidates: int = 3) -> Hit | None:
    """The paragraph window most like the phrase, or None when no word is shared."""
    n = len(query)
    want = set(query)
    hits = [i for i, w in enumerate(para) if w.norm in want]
    if not n or not hits:
        return None
    longest = n + max(2, n // 2)  # a window may hold a few words the phrase has not
    # Windows between two hits, ranked first by how many phrase words they hold (cheap),
    # then the best few scored by word-level similarity.
    windows: list[tuple[int, int, int]] = []
    b = 0
    for a in range(len(hits)):
        b = max(b, a)
        while b + 1 < len(hits) and hits[b + 1] - hits[a] < longest:
            b += 1
        windows.append((b - a + 1, hits[a], hits[b]))  # phrase words in the window, repeats counted
    windows.sort(key=lambda w: (-w[0], w[1]))
    best: Hit | None = None
    for _, lo, hi in windows[:candidates]:
        seq = [w.norm for w in para[lo:hi + 1]]
        sm = SequenceMatcher(None, query, seq, autojunk=False)
        blocks = [blk for blk in sm.get_matching_blocks() if blk.size]
        if not blocks:
            continue
        # the match runs from the first to the last word the two share
        s, e = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size - 1
        ratio = sum(blk.size for blk in blocks) / max(n, e - s + 1)
        if best is None or ratio > best.similarity:
            best = Hit(para[s].start, para[e].end, round(ratio, 3))
    return best


def upper_bound(query: list[str], para_norms: set[str]) -> float:
    """The best similarity a paragraph could reach, from the phrase words it holds at all:
    skips paragraphs that cannot reach the threshold before any window is scored."""
    if not query:
        return 0.0
    return sum(1 for w in query if w in para_norms) / len(query)
