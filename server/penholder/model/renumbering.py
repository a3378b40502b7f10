"""References after renumbering: when paragraphs are inserted, deleted or moved between
two versions of a resolution, the internal references written against the first
version ("paragraph 5 above") may now name another paragraph. `stale_references` flags
them; `update_references` computes the Secretariat's technical update that makes them
name the same paragraphs again. Pure functions of the two models.

A reference is read as written against `before` when the same paragraph (by its stable
id) held the same reference there; a reference that is new in `after` is judged against
`after` alone (checks.check_references)."""

from __future__ import annotations

from dataclasses import dataclass

from penholder.model.checks import Finding
from penholder.model.labels import paragraph_labels
from penholder.model.numbering import sub_label
from penholder.model.references import Reference, find_references
from penholder.model.resolution import Paragraph, Resolution
from penholder.model.rollover import TechnicalChange


@dataclass(frozen=True)
class _Moved:
    paragraph: Paragraph  # the paragraph holding the reference, in `after`
    ref: Reference  # as it stands in the paragraph's text in `after`
    target: str  # id of the paragraph it named in `before`
    now: Reference | None  # the same target cited in `after`; None when it was deleted


def _resolve(res: Resolution, ref: Reference, holder: Paragraph) -> str | None:
    """The id of the paragraph a reference names in `res`."""
    if ref.number is None:
        top = next((t for t in res.preamble + res.operative if any(x.id == holder.id for x in t.walk())), None)
        node: Paragraph | None = top
        labels = ref.labels
    else:
        if not 1 <= ref.number <= len(res.operative):
            return None
        node, labels = res.operative[ref.number - 1], ref.labels
    for depth, label in enumerate(labels, 1):
        if node is None:
            return None
        names = [sub_label(i, depth) for i in range(len(node.subparagraphs))]
        node = node.subparagraphs[names.index(label)] if label in names else None
    return node.id if node else None


def _cite(res: Resolution, target: str, ref: Reference, holder: Paragraph) -> Reference | None:
    """How `ref` must read in `res` to name paragraph `target` from `holder`."""
    for n, top in enumerate(res.operative, 1):
        path = _path(top, target)
        if path is None:
            continue
        here = next((i for i, t in enumerate(res.operative, 1) if any(x.id == holder.id for x in t.walk())), None)
        where = ref.where
        if where in ("above", "below"):
            where = "below" if here is None or n > here else "above"
        if ref.number is None and here == n and path:  # still a sibling: keep "subparagraph (b)"
            return Reference(None, path[:1], ref.start, ref.end, where)
        return Reference(n, tuple(path), ref.start, ref.end, where)
    return None


def _path(top: Paragraph, target: str) -> list[str] | None:
    if top.id == target:
        return []
    for i, s in enumerate(top.subparagraphs):
        if s.id == target:
            return [sub_label(i, 1)]
        for j, d in enumerate(s.subparagraphs):
            if d.id == target:
                return [sub_label(i, 1), sub_label(j, 2)]
    return None


def _moves(before: Resolution, after: Resolution) -> list[_Moved]:
    old = {p.id: p for p in before.paragraphs()}
    out: list[_Moved] = []
    for p in after.paragraphs():
        was = old.get(p.id)
        if was is None:
            continue
        written = {(r.number, r.labels, r.where) for r in find_references(was.text)}
        for ref in find_references(p.text):
            if (ref.number, ref.labels, ref.where) not in written:
                continue
            target = _resolve(before, ref, was)
            if target is None:
                continue  # it named nothing before either: checks.check_references says so
            now = _cite(after, target, ref, p)
            if now is None or (now.number, now.labels, now.where) != (ref.number, ref.labels, ref.where):
                out.append(_Moved(p, ref, target, now))
    return out


def stale_references(before: Resolution, after: Resolution) -> list[Finding]:
    """References in `after` that name another paragraph than they did in `before`."""
    labels = paragraph_labels(after)
    old_labels = paragraph_labels(before)
    out = []
    for m in _moves(before, after):
        was = f"{m.ref.cite()} {m.ref.where}".replace(" resolution", " of the present resolution")
        if m.now is None:
            message = (f"{was} named {old_labels[m.target]}, which has been deleted: reword or remove "
                       "the reference")
        else:
            message = (f"{was} named {old_labels[m.target]}, now {labels[m.target]}: "
                       f"it should read {_words(m.now)!r}")
        out.append(Finding("reference", labels[m.paragraph.id], m.paragraph.id, m.ref.start, m.ref.end, message))
    return out


def _words(ref: Reference) -> str:
    where = {"above": "above", "below": "below", "resolution": "of the present resolution"}[ref.where]
    return f"{ref.cite()} {where}"


def _span_text(ref: Reference) -> str:
    labels = " ".join(f"({x})" for x in ref.labels)
    if ref.number is None:
        return labels
    return f"{ref.number}" + (f" {labels}" if labels else "")


def update_references(before: Resolution, after: Resolution) -> list[TechnicalChange]:
    """The technical update of `after`: one change per paragraph whose references moved,
    each reference made to name the paragraph it named in `before` (its number, labels
    and 'above'/'below'). References to deleted paragraphs are left for the drafters."""
    by_paragraph: dict[str, list[_Moved]] = {}
    for m in _moves(before, after):
        if m.now is not None:
            by_paragraph.setdefault(m.paragraph.id, []).append(m)
    changes = []
    for pid, moves in by_paragraph.items():
        text = original = moves[0].paragraph.text
        for m in sorted(moves, key=lambda m: m.ref.start, reverse=True):
            assert m.now is not None
            text = text[:m.ref.start] + _span_text(m.now) + text[m.ref.end:]
            if m.now.where != m.ref.where:
                text = _flip_direction(text, m.ref.start + len(_span_text(m.now)), m.ref.where, m.now.where)
        changes.append(TechnicalChange(pid, original, text, "internal references renumbered"))
    return changes


def _flip_direction(text: str, after: int, old: str, new: str) -> str:
    """Replace the 'above'/'below' that closes the reference list starting before `after`."""
    i = text.find(old, after)
    return text if i < 0 else text[:i] + new + text[i + len(old):]
