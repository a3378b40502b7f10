"""Which paragraph of one version is which of the other, when ids cannot say (a text
imported from outside gets ids of its own): one-to-one matching by text similarity.

The score is difflib's ratio over the paragraphs' words (lower-cased, no punctuation):
2 * words in common, in order / words in both. Paragraphs of one resolution share a
vocabulary ("Encourages States ... the threat posed by improvised explosive devices"),
which lifts the score of two unrelated paragraphs; so, when there are enough paragraphs
to tell (MIN_FOR_BOILERPLATE), the words found in BOILERPLATE or more of them are left
out of the score. On the captured resolutions compared pairwise (71/72, 75/59, 79/53),
the counterparts then score 0.41 and up (rewordings, a recital that grew threefold) and
unrelated pairs 0.38 at most: a pair is a match from THRESHOLD = 0.4. Without that
filter (a handful of paragraphs, subparagraphs), unrelated pairs score higher and the
bar is THRESHOLD_ALL_WORDS = 0.5. Either way the larger half of a split paragraph, or
the larger part of a merged one, stays the match: a half scores 2 * 0.5 / 1.5 = 0.67
against the whole.

A second round looks at what is left on both sides for a paragraph that grew or shrank
a lot but whose shorter version is still in the longer one, in order: the recital
recalling the chain of earlier resolutions gains a resolution every session ("Recalling
its resolution 70/46" -> five resolutions and a decision: ratio 0.3, containment 0.88).
Such a pair matches from CONTAINED = 0.8 of the shorter paragraph's words (at least
MIN_CONTAINED of them); the leftovers of the seeds otherwise reach 0.6 at most. It runs
after the first round so that the second half of a split, contained in the whole too,
never takes the place of the larger half.

Each round is greedy, best pair first, each paragraph used once. Exact scores are costly
(a few hundred microseconds for two long paragraphs) and most pairs are nowhere near, so
pairs sit in a heap under an upper bound of their score that is refined only when the
pair reaches the top (from the lengths, then from the bags of words, then exact). A pair
whose exact score is on top beats every other pair's best possible score, so the result
is the one an exhaustive greedy search would give.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from penholder.compare.tokens import words

THRESHOLD = 0.4
THRESHOLD_ALL_WORDS = 0.5
BOILERPLATE = 0.3
MIN_FOR_BOILERPLATE = 20
CONTAINED = 0.8
MIN_CONTAINED = 5

Words = list[str]
# Scores of a pair (i, j), each an upper bound of the next; the last one is exact.
Scorer = Callable[[int, int], float]


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """difflib ratio of two word lists (1.0 for two empty ones)."""
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def in_common(a: Sequence[str], b: Sequence[str]) -> int:
    """Words of `a` found in `b` in the same order (difflib's matching blocks)."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks)


def boilerplate(word_lists: Sequence[Words]) -> set[str]:
    """Words found in BOILERPLATE or more of the paragraphs; none when they are too few
    to say what is common."""
    if len(word_lists) < MIN_FOR_BOILERPLATE:
        return set()
    counts: Counter[str] = Counter()
    for ws in word_lists:
        counts.update(set(ws))
    return {w for w, c in counts.items() if c >= BOILERPLATE * len(word_lists)}


def match_by_similarity(old_texts: Sequence[str], new_texts: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index), each index at most once, best scores first.
    Ties go to the pair whose relative positions in the two lists are closest."""
    if not old_texts or not new_texts:
        return []
    a = [words(t) for t in old_texts]
    b = [words(t) for t in new_texts]
    common = boilerplate(a + b)
    threshold = THRESHOLD if common else THRESHOLD_ALL_WORDS
    if common:
        # A paragraph made only of common words keeps them all, rather than score as empty.
        a = [[w for w in ws if w not in common] or ws for ws in a]
        b = [[w for w in ws if w not in common] or ws for ws in b]
    bags_a = [Counter(ws) for ws in a]
    bags_b = [Counter(ws) for ws in b]

    def shared(i: int, j: int) -> int:  # words in common, in any order
        return sum((bags_a[i] & bags_b[j]).values())

    def total(i: int, j: int) -> int:
        return len(a[i]) + len(b[j]) or 1

    def shorter(i: int, j: int) -> int:
        return min(len(a[i]), len(b[j])) or 1

    ratio_scores: list[Scorer] = [
        lambda i, j: 2 * min(len(a[i]), len(b[j])) / total(i, j) if a[i] or b[j] else 1.0,
        lambda i, j: 2 * shared(i, j) / total(i, j) if a[i] or b[j] else 1.0,
        lambda i, j: similarity(a[i], b[j]),
    ]
    pairs = _greedy(len(a), len(b), set(), set(), ratio_scores, threshold)

    contained_scores: list[Scorer] = [
        lambda i, j: shared(i, j) / shorter(i, j) if shorter(i, j) >= MIN_CONTAINED else 0.0,
        lambda i, j: in_common(a[i], b[j]) / shorter(i, j),
    ]
    pairs += _greedy(len(a), len(b), {i for i, _ in pairs}, {j for _, j in pairs},
                     contained_scores, CONTAINED)
    return sorted(pairs)


def _greedy(n_a: int, n_b: int, used_a: set[int], used_b: set[int],
            scores: list[Scorer], threshold: float) -> list[tuple[int, int]]:
    """Best-first one-to-one matching of the unused indices whose exact score (the last
    scorer) reaches `threshold`, refining each pair's bound only when it reaches the top."""
    exact = len(scores) - 1
    heap: list[tuple[float, int, float, int, int]] = []
    for i in range(n_a):
        if i in used_a:
            continue
        for j in range(n_b):
            if j in used_b:
                continue
            bound = scores[0](i, j)
            if bound >= threshold:
                # heapq is a min-heap: scores are negated; among equal scores the most
                # refined comes first (a bound equal to an exact score cannot beat it),
                # then the pair whose relative positions are closest.
                heap.append((-bound, 0, abs(i / n_a - j / n_b), i, j))
    heapq.heapify(heap)
    pairs: list[tuple[int, int]] = []
    used_a, used_b = set(used_a), set(used_b)
    while heap:
        neg, neg_level, dist, i, j = heapq.heappop(heap)
        if i in used_a or j in used_b:
            continue
        level = -neg_level
        if level == exact:
            pairs.append((i, j))
            used_a.add(i)
            used_b.add(j)
            continue
        score = scores[level + 1](i, j)
        if score >= threshold:
            heapq.heappush(heap, (-score, -(level + 1), dist, i, j))
    return pairs
