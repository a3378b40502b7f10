"""A comparison as text for a terminal (`penholder compare A B`): one block per paragraph
that changed, `[-deleted-]{+inserted+}` (or red and green with colour), the author of a
change in brackets after it, and runs of unchanged paragraphs as a single line.
"""

from __future__ import annotations

from penholder.compare.changes import Author, Comparison, ParagraphChange

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def redline(c: Comparison, color: bool = False, *, unchanged: bool = False) -> str:
    """The comparison as text; `unchanged` prints unchanged paragraphs in full too."""
    blocks: list[str] = [_title(c)]
    run: list[ParagraphChange] = []
    for p in c.paragraphs:
        if p.status == "same" and not unchanged:
            run.append(p)
            continue
        if run:
            blocks.append(_unchanged_run(run, color))
            run = []
        blocks.append(_paragraph(p, color))
    if run:
        blocks.append(_unchanged_run(run, color))
    edited = set(c.footnote_edits)
    for n, segs in sorted(c.footnote_edits.items()):
        blocks.append(f"Footnote {n} edited: " + "".join(
            s.text if s.kind == "same" else _mark(s.kind, s.text, s.author, color) for s in segs))
    for f in c.footnotes_removed:
        if not _edited_from(f, c):
            blocks.append(f"Footnote {f.number} removed: " + _mark("del", f.text, None, color))
    for f in c.footnotes_added:
        if f.number not in edited:
            blocks.append(f"Footnote {f.number} added: " + _mark("ins", f.text, None, color))
    return "\n\n".join(blocks) + "\n"


def _edited_from(f, c: Comparison) -> bool:  # type: ignore[no-untyped-def]
    """Whether a removed footnote is the old text of one shown as edited."""
    return any("".join(s.text for s in segs if s.kind != "ins") == f.text
               for segs in c.footnote_edits.values())


def _title(c: Comparison) -> str:
    old = c.old.heading.symbol or "old version"
    new = c.new.heading.symbol or "new version"
    counts: dict[str, int] = {}
    for p in c.paragraphs:
        counts[p.status] = counts.get(p.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if s != "same")
    return f"{old} -> {new}: {summary or 'no changes'}"


def _unchanged_run(run: list[ParagraphChange], color: bool) -> str:
    first, last = run[0].new_label, run[-1].new_label
    span = first if first == last else f"{first}-{last}"
    text = f"  ... {span} unchanged" if len(run) == 1 else f"  ... {span}: {len(run)} paragraphs unchanged"
    olds = run[0].old_label, run[-1].old_label
    if olds != (first, last):
        text += f" (were {olds[0]}" + (f"-{olds[1]})" if olds[0] != olds[1] else ")")
    return _DIM + text + _RESET if color else text


def _paragraph(p: ParagraphChange, color: bool) -> str:
    note = None
    if p.status in ("added", "deleted"):
        note = p.status
    elif p.status == "moved":
        note = f"moved from {p.old_label}" + (", preamble <-> operative part" if p.kind_changed else "")
    elif p.old_label != p.new_label:
        note = f"was {p.old_label}"  # renumbered, and changed: say where to find it before
    # A deleted paragraph's label is the old one; say so, since the next paragraph may
    # now carry it.
    head = p.new_label or f"old {p.old_label}"
    if note:
        head += f"  ({note})"
    if p.author is not None:
        head += f" [{_who(p.author)}]"
    head = _BOLD + head + _RESET if color else head
    segs = p.segments
    body = []
    for k, s in enumerate(segs):
        if s.kind == "same":
            body.append(s.text)
            continue
        # A deletion and the insertion replacing it, by one author: name them once.
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        # Nor twice an added or deleted paragraph's author, already in its heading.
        shared = nxt is not None and nxt.kind != "same" and nxt.author == s.author
        named = shared or (p.author is not None and s.author == p.author)
        body.append(_mark(s.kind, s.text, None if named else s.author, color))
    return head + "\n" + "".join(body)


def _mark(kind: str, text: str, author: Author | None, color: bool) -> str:
    if color:
        out = (_RED if kind == "del" else _GREEN) + text + _RESET
    else:
        out = f"[-{text}-]" if kind == "del" else f"{{+{text}+}}"
    if author is not None:
        tag = f"[{_who(author)}]"
        out += _DIM + tag + _RESET if color else tag
    return out


def _who(a: Author) -> str:
    return f"{a.name}, technical" if a.technical and a.name != "Secretariat" else a.name
