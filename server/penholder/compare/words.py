"""Word-level differences inside a paragraph.

Two passes of difflib: first over coarse tokens (a word or mark with the space after
it), which is fast because a paragraph's hundred spaces are not tokens to align; then,
inside each stretch that differs, over fine tokens (words, spaces, each punctuation mark
alone), so that "States, including" -> "States; including" comes out as exactly the
comma replaced by the semicolon. Then a clean-up for readability: an unchanged stretch
too short to be worth showing between two changes (a lone space, "the", "of") is folded
into the changes around it, so that a rewritten clause reads as one deletion and one
insertion instead of a comb of little ones; and the tokens a change begins or ends with
on both sides (the space after a replaced word) are taken back out of it, so that
"develop, adopt and" shows as ", adopt" inserted, not as a space replaced.

Joining the `same` and `del` segments gives `old` exactly; joining `same` and `ins`
gives `new` exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from penholder.compare.changes import Author, Segment, SegmentKind
from penholder.compare.tokens import coarse_tokenize, tokenize

WhoWrote = Callable[[str], Author | None]


@dataclass
class _Chunk:
    """One opcode of the diff: unchanged text (old == new) or a change old -> new."""

    old: str
    new: str
    equal: bool


def word_diff(old: str, new: str, attribute_ins: WhoWrote | None = None,
              attribute_del: WhoWrote | None = None) -> list[Segment]:
    """Segments turning `old` into `new`; deletions come before the insertion that
    replaces them. The callbacks, given the text of an inserted or deleted segment,
    name its author."""
    if old == new:
        return [Segment("same", old)] if old else []
    chunks: list[_Chunk] = []
    for coarse in _diff(coarse_tokenize(old), coarse_tokenize(new)):
        if coarse.equal or not coarse.old or not coarse.new:
            chunks.append(coarse)
        else:
            chunks.extend(_diff(tokenize(coarse.old), tokenize(coarse.new)))
    segments: list[Segment] = []
    chunks = _fold_small_equalities(_merge_neighbours(chunks))
    chunks = _merge_neighbours([part for c in chunks for part in _trim(c)])
    for chunk in chunks:
        if chunk.equal:
            _append(segments, "same", chunk.old, None)
            continue
        if chunk.old:
            _append(segments, "del", chunk.old, attribute_del(chunk.old) if attribute_del else None)
        if chunk.new:
            _append(segments, "ins", chunk.new, attribute_ins(chunk.new) if attribute_ins else None)
    return segments


def _diff(a: list[str], b: list[str]) -> list[_Chunk]:
    # autojunk off: in a long paragraph "the " and "," are frequent, and the heuristic
    # would stop them from anchoring the alignment at all.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        _Chunk("".join(a[i1:i2]), "".join(b[j1:j2]), tag == "equal")
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _merge_neighbours(chunks: list[_Chunk]) -> list[_Chunk]:
    """Adjacent chunks of one kind made one (the second pass can leave an equal stretch
    at the end of one coarse change next to the equal stretch that follows it)."""
    out: list[_Chunk] = []
    for c in chunks:
        if out and out[-1].equal == c.equal:
            out[-1] = _Chunk(out[-1].old + c.old, out[-1].new + c.new, c.equal)
        else:
            out.append(c)
    return out


def _append(segments: list[Segment], kind: SegmentKind, text: str, author: Author | None) -> None:
    last = segments[-1] if segments else None
    if last is not None and last.kind == kind and last.author == author:
        last.text += text
    else:
        segments.append(Segment(kind, text, author))


def _trim(chunk: _Chunk) -> list[_Chunk]:
    """A change without the fine tokens its two sides begin or end with alike."""
    if chunk.equal or not chunk.old or not chunk.new:
        return [chunk]
    a, b = tokenize(chunk.old), tokenize(chunk.new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    head, tail = "".join(a[:start]), "".join(a[len(a) - end:])
    middle = _Chunk("".join(a[start:len(a) - end]), "".join(b[start:len(b) - end]), False)
    return [c for c in (_Chunk(head, head, True), middle, _Chunk(tail, tail, True))
            if c.old or c.new]


def _fold_small_equalities(chunks: list[_Chunk]) -> list[_Chunk]:
    """Fold an unchanged chunk lying between two changes into them when it is only
    whitespace, or no longer than the larger side of each neighbouring change (the rule
    of diff-match-patch's semantic clean-up). Repeated until nothing more folds, since a
    fold makes a bigger change that may swallow the next small equality."""
    out = list(chunks)
    k = 1
    while k < len(out) - 1:
        before, eq, after = out[k - 1], out[k], out[k + 1]
        size = len(eq.old)
        if (eq.equal and not before.equal and not after.equal
                and (eq.old.strip() == ""
                     or (size <= max(len(before.old), len(before.new))
                         and size <= max(len(after.old), len(after.new))))):
            out[k - 1:k + 2] = [_Chunk(before.old + eq.old + after.old,
                                       before.new + eq.new + after.new, False)]
            k = max(k - 2, 1)  # the grown change may now swallow the equality before it
        else:
            k += 1
    return out
