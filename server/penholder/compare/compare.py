"""compare(old, new): the change set between two versions of a resolution (changes.py).

Top-level paragraphs (preamble and operative together, so that a paragraph moved from
one part to the other is still found) are aligned first; the subparagraphs of two
matched paragraphs are then aligned among themselves, the same way. A subparagraph that
moved under another paragraph therefore shows as deleted there and added here; the
subparagraphs of an added or deleted paragraph are all added or deleted with it.

Status, most telling first: `moved` (order changed, or crossed between preamble and
operative part, which also sets kind_changed; its segments still show any rewording),
`changed` (text differs), `same`. A `same` paragraph may carry different labels: that is
renumbering, not a change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from penholder.compare.align import align
from penholder.compare.changes import (
    Attribute,
    Author,
    Comparison,
    ParagraphChange,
    Segment,
)
from penholder.compare.words import word_diff
from penholder.model import Footnote, Paragraph, Resolution
from penholder.model.numbering import sub_label


def compare(old: Resolution, new: Resolution, attribute: Attribute | None = None, *,
            by_similarity: bool | None = None, fallback: Author | None = None) -> Comparison:
    """The changes from `old` to `new`. `attribute(paragraph_id, kind, text)` names the
    author of each inserted or deleted text ("ins", "del") and of each added, deleted or
    moved paragraph ("add", "delete", "move"). `by_similarity`: match the paragraphs ids
    leave unmatched by their text; by default, only when the two versions do not share
    most of their ids (a text from outside), since between versions of one draft an
    unmatched id is a paragraph really added or deleted. `fallback`: the author of
    every change `attribute` names nobody for (the comparison's default_author)."""
    if by_similarity is None:
        by_similarity = not same_lineage(old, new)
    if fallback is not None:
        attribute = _or(attribute, fallback)
    out = Comparison(old=old, new=new, default_author=fallback)
    walker = _Walker(out.paragraphs, attribute, by_similarity)
    walker.level(old.preamble + old.operative, _top_labels(old),
                 new.preamble + new.operative, _top_labels(new), depth=0)
    out.footnotes_added, out.footnotes_removed = _footnote_changes(old.footnotes, new.footnotes)
    out.footnote_edits = _footnote_edits(out, walker)
    return out


def _or(attribute: Attribute | None, fallback: Author) -> Attribute:
    def who(paragraph_id: str, kind: str, text: str) -> Author:
        return (attribute(paragraph_id, kind, text) if attribute else None) or fallback
    return who


def _footnote_edits(c: Comparison, walker: _Walker) -> dict[int, list[Segment]]:
    """Footnotes whose sign stays where it was (the k-th sign of a paragraph found in
    both versions, once the signs of footnotes kept word for word are set aside) but
    whose text changed: word by word, like a paragraph."""
    old_text = {f.number: f.text for f in c.old.footnotes}
    new_text = {f.number: f.text for f in c.new.footnotes}
    out: dict[int, list[Segment]] = {}
    for ch in c.paragraphs:
        if ch.old is None or ch.new is None:
            continue
        olds = [r.number for r in ch.old.footnote_refs]
        news = [r.number for r in ch.new.footnote_refs]
        kept = {old_text.get(n) for n in olds} & {new_text.get(n) for n in news}
        olds = [n for n in olds if old_text.get(n) not in kept]
        news = [n for n in news if new_text.get(n) not in kept]
        if len(olds) != len(news):
            continue  # signs added or removed too: shown as such, not paired by guess
        for o, n in zip(olds, news):
            if n in out or o not in old_text or n not in new_text:
                continue
            key = f"footnote:{n}"
            out[n] = word_diff(old_text[o], new_text[n],
                               lambda t, key=key: walker.who(key, "ins", t),
                               lambda t, key=key: walker.who(key, "del", t))
    return out


def same_lineage(old: Resolution, new: Resolution) -> bool:
    """True when at least half the paragraphs of the shorter version have an id found in
    the other: both descend from one text, and ids can be trusted on their own."""
    old_ids = {p.id for p in old.paragraphs()}
    new_ids = {p.id for p in new.paragraphs()}
    smaller = min(len(old_ids), len(new_ids))
    return smaller > 0 and 2 * len(old_ids & new_ids) >= smaller


def _top_labels(res: Resolution) -> list[str]:
    return ([f"PP{k + 1}" for k in range(len(res.preamble))]
            + [f"OP{k + 1}" for k in range(len(res.operative))])


def _sub_labels(parent: str, subs: Sequence[Paragraph], depth: int) -> list[str]:
    return [f"{parent} ({sub_label(k, depth)})" for k in range(len(subs))]


class _Walker:
    """Appends the changes of one level, each paragraph followed by its subparagraphs."""

    def __init__(self, out: list[ParagraphChange], attribute: Attribute | None, by_similarity: bool):
        self.out = out
        self.attribute = attribute
        self.by_similarity = by_similarity

    def who(self, paragraph_id: str, kind: str, text: str) -> Author | None:
        return self.attribute(paragraph_id, kind, text) if self.attribute else None

    def level(self, old: Sequence[Paragraph], old_labels: list[str],
              new: Sequence[Paragraph], new_labels: list[str], depth: int) -> None:
        for pair in align(old, new, by_similarity=self.by_similarity):
            o = old[pair.old] if pair.old is not None else None
            n = new[pair.new] if pair.new is not None else None
            ol = old_labels[pair.old] if pair.old is not None else None
            nl = new_labels[pair.new] if pair.new is not None else None
            if o is not None and n is not None:
                self.matched(o, ol, n, nl, pair.moved)
                self.level(o.subparagraphs, _sub_labels(ol or "", o.subparagraphs, depth + 1),
                           n.subparagraphs, _sub_labels(nl or "", n.subparagraphs, depth + 1),
                           depth + 1)
            elif o is not None:
                self.deleted(o, ol or "", depth)
            elif n is not None:
                self.added(n, nl or "", depth)

    def matched(self, o: Paragraph, ol: str | None, n: Paragraph, nl: str | None, moved: bool) -> None:
        kind_changed = o.kind != n.kind
        if moved or kind_changed:
            status = "moved"
        else:
            status = "changed" if o.text != n.text else "same"
        segments = word_diff(o.text, n.text,
                             lambda t: self.who(n.id, "ins", t),
                             lambda t: self.who(n.id, "del", t))
        author = self.who(n.id, "move", n.text) if status == "moved" else None
        self.out.append(ParagraphChange(status, o, n, ol, nl, segments, author, kind_changed))

    def deleted(self, o: Paragraph, label: str, depth: int) -> None:
        author = self.who(o.id, "delete", o.text)
        seg = Segment("del", o.text, self.who(o.id, "del", o.text) or author)
        self.out.append(ParagraphChange("deleted", o, None, label, None, [seg], author))
        for sub, sl in zip(o.subparagraphs, _sub_labels(label, o.subparagraphs, depth + 1)):
            self.deleted(sub, sl, depth + 1)

    def added(self, n: Paragraph, label: str, depth: int) -> None:
        author = self.who(n.id, "add", n.text)
        seg = Segment("ins", n.text, self.who(n.id, "ins", n.text) or author)
        self.out.append(ParagraphChange("added", None, n, None, label, [seg], author))
        for sub, sl in zip(n.subparagraphs, _sub_labels(label, n.subparagraphs, depth + 1)):
            self.added(sub, sl, depth + 1)


def _footnote_changes(old: list[Footnote], new: list[Footnote]) -> tuple[list[Footnote], list[Footnote]]:
    """Footnotes compared by text (whitespace-normalized): renumbering is no change."""
    def key(f: Footnote) -> str:
        return " ".join(f.text.split())

    old_left = Counter(key(f) for f in old)
    new_left = Counter(key(f) for f in new)
    added = []
    for f in new:
        if old_left[key(f)] > 0:
            old_left[key(f)] -= 1
        else:
            added.append(f)
    removed = []
    for f in old:
        if new_left[key(f)] > 0:
            new_left[key(f)] -= 1
        else:
            removed.append(f)
    return added, removed
