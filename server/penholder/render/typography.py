"""Typographic quotes, as issued documents print them: “ ” and ‘ ’ (the apostrophe ’),
whatever mix of straight and curly quotes the text came with.

Length-preserving (one character for one), so footnote offsets and the segments of a
comparison stay valid; a comparison's segments are converted in the context of the whole
text they come from, so that a quote at the edge of a change gets the same form as in
the clean text.
"""

from __future__ import annotations

import copy
import re

from penholder.compare.changes import Comparison, Segment
from penholder.model import Paragraph, Resolution

_OPENS_AFTER = re.compile(r"[\s(\[{\u2014\u2013/-]")


_QUOTE = re.compile("[\"']")


def curly(s: str) -> str:
    """Each straight quote opening (at the start, after a space, a bracket or a dash) or
    closing (an apostrophe is a closing single quote). Only the quotes are visited: the
    text of a paragraph typed into for hours is long, and has few."""
    def one(m: re.Match[str]) -> str:
        i = m.start()
        opening = i == 0 or bool(_OPENS_AFTER.fullmatch(s[i - 1]))
        if m.group() == '"':
            return "\u201c" if opening else "\u201d"
        return "\u2018" if opening else "\u2019"
    return _QUOTE.sub(one, s)


def _paragraph(p: Paragraph) -> None:
    p.text = curly(p.text)
    p.lead = p.text[:len(p.lead)]
    for s in p.subparagraphs:
        _paragraph(s)


def _resolution(res: Resolution) -> None:
    h = res.heading
    for name in ("title", "agenda_title", "meeting"):
        if getattr(h, name):
            setattr(h, name, curly(getattr(h, name)))
    h.sponsors = [curly(name) for name in h.sponsors]
    for p in res.preamble + res.operative:
        _paragraph(p)
    for f in res.footnotes:
        f.text = curly(f.text)


def _segments(segments: list[Segment]) -> None:
    """Convert in the context of the two whole texts the segments spell."""
    old = curly("".join(s.text for s in segments if s.kind != "ins"))
    new = curly("".join(s.text for s in segments if s.kind != "del"))
    o = n = 0
    for s in segments:
        size = len(s.text)
        if s.kind == "del":
            s.text, o = old[o:o + size], o + size
        else:
            s.text = new[n:n + size]
            n += size
            if s.kind == "same":
                o += size


def resolution(res: Resolution) -> Resolution:
    out = copy.deepcopy(res)
    _resolution(out)
    return out


def comparison(c: Comparison) -> Comparison:
    out = copy.deepcopy(c)  # one copy: the changes keep pointing at its paragraphs
    _resolution(out.old)
    _resolution(out.new)
    for ch in out.paragraphs:
        _segments(ch.segments)
    for segs in out.footnote_edits.values():
        _segments(segs)
    for f in out.footnotes_added + out.footnotes_removed:
        f.text = curly(f.text)
    return out
