"""Alignment of the paragraphs of one level (the top level, or the subparagraphs of two
matched paragraphs): which old paragraph is which new one, which were added, deleted or
moved, and in what order to show them.

Matching: first by id, which survives edits, moves and renumbering; then, if asked, the
paragraphs left over on both sides by text similarity (similar.py). Renumbering needs no
step of its own: numbers are derived from order, so a paragraph that only shifted
because of an insertion before it is matched by id or text and comes out `same`.

Moves: the matched pairs, in new order, keep their old order along a longest increasing
subsequence; only the pairs off it moved. One paragraph moved far down is then the one
move, not everything it jumped over.

Order of the result: the new order, each deleted paragraph after the nearest paragraph
that preceded it in the old version and stayed in place (same kind: a deleted operative
paragraph never lands in the preamble), or, lacking one, at the start of its part.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from penholder.compare.similar import match_by_similarity
from penholder.model import Paragraph

# Where each kind of paragraph sits: preamble before operative part.
_PART = {"pp": 0, "op": 1, "sub": 0}


@dataclass
class Pair:
    old: int | None  # index in the old list; None when added
    new: int | None  # index in the new list; None when deleted
    moved: bool = False


def align(old: Sequence[Paragraph], new: Sequence[Paragraph], *, by_similarity: bool) -> list[Pair]:
    """Every old and every new paragraph exactly once, in the order to show them."""
    matches = _match(old, new, by_similarity)
    moved = _off_order(matches)
    old_to_new = dict(matches)
    pairs_by_new = {j: Pair(i, j, moved=(i, j) in moved) for i, j in matches}
    return _ordered(old, new, pairs_by_new, old_to_new, moved)


def _match(old: Sequence[Paragraph], new: Sequence[Paragraph], by_similarity: bool) -> list[tuple[int, int]]:
    new_index: dict[str, int] = {}
    for j, p in enumerate(new):
        new_index.setdefault(p.id, j)
    matches: list[tuple[int, int]] = []
    taken: set[int] = set()
    for i, p in enumerate(old):
        j = new_index.get(p.id)
        if j is not None and j not in taken:
            matches.append((i, j))
            taken.add(j)
    if by_similarity:
        matched_old = {i for i, _ in matches}
        rest_old = [i for i in range(len(old)) if i not in matched_old]
        rest_new = [j for j in range(len(new)) if j not in taken]
        found = match_by_similarity([old[i].text for i in rest_old], [new[j].text for j in rest_new])
        matches.extend((rest_old[a], rest_new[b]) for a, b in found)
    return sorted(matches, key=lambda m: m[1])


def _off_order(matches: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The matches (sorted by new index) off a longest increasing run of old indices."""
    keep = set(longest_increasing([i for i, _ in matches]))
    return {m for k, m in enumerate(matches) if k not in keep}


def longest_increasing(seq: Sequence[int]) -> list[int]:
    """Positions in `seq` of a longest strictly increasing subsequence (patience sorting,
    O(n log n)). Among equally long ones, the one that ends on the smallest values."""
    tails: list[int] = []       # tails[k]: smallest last value of an increasing run of k+1
    tail_pos: list[int] = []    # position in seq of that value
    back: list[int] = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        back[pos] = tail_pos[k - 1] if k else -1
    out: list[int] = []
    pos = tail_pos[-1] if tail_pos else -1
    while pos != -1:
        out.append(pos)
        pos = back[pos]
    return out[::-1]


def _ordered(old: Sequence[Paragraph], new: Sequence[Paragraph], pairs_by_new: dict[int, Pair],
             old_to_new: dict[int, int], moved: set[tuple[int, int]]) -> list[Pair]:
    after: dict[int, list[Pair]] = {}        # new index -> deleted paragraphs shown after it
    at_start: dict[int, list[Pair]] = {}     # part -> deleted paragraphs opening it
    anchor: int | None = None                # new index of the last stable paragraph seen
    anchor_part: int | None = None
    for i, p in enumerate(old):
        part = _PART.get(p.kind, 0)
        j = old_to_new.get(i)
        if j is not None:
            stays = (i, j) not in moved and _PART.get(new[j].kind, 0) == part
            if stays:
                anchor, anchor_part = j, part
            continue
        deleted = Pair(i, None)
        if anchor is not None and anchor_part == part:
            after.setdefault(anchor, []).append(deleted)
        else:
            at_start.setdefault(part, []).append(deleted)

    out: list[Pair] = []
    for j, p in enumerate(new):
        part = _PART.get(p.kind, 0)
        for k in sorted(at_start):
            if k <= part:
                out.extend(at_start.pop(k))
        out.append(pairs_by_new.get(j) or Pair(None, j))
        out.extend(after.get(j, []))
    for k in sorted(at_start):
        out.extend(at_start[k])
    return out
