"""The official PDF read by its layout (pdfplumber, on pdfminer.six).

Each word comes with its font, size and position, so what the text alone leaves to
guesswork is read from the page:

- a footnote mark is a run of digits set smaller than the body text and raised above
  its line: written `<sup>n</sup>`, attached to the word before it;
- a lead is set in italics: written `*...*`;
- running headers and footers (symbol, title, job number, page number) are the small
  lines in the top and bottom margins of the page, and are left out;
- footnotes are the lines under the short rule at the foot of the page, set smaller
  than the body: written after a `____` separator, each opening with its raised number.

The result is text in the Markdown the reader already knows, so that structure is
recognized by one set of rules whatever the source.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from penholder.ingest.errors import IngestError

# pdfminer logs what it repairs in a damaged file; the import reports errors itself.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})
_ITALIC = re.compile(r"italic|oblique", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{1,3}$")

SMALL = 0.8  # a mark is set at most this size of the body text
TOP_MARGIN = 0.09  # share of the page height where running headers sit
BOTTOM_MARGIN = 0.075  # ... and footers


@dataclass
class _Line:
    top: float
    bottom: float
    words: list[dict] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)  # raised small digits

    @property
    def size(self) -> float:
        sizes = Counter(round(w["size"], 1) for w in self.words for _ in w["text"])
        return sizes.most_common(1)[0][0] if sizes else 0.0


def _body_size(pages_words: list[list[dict]]) -> float:
    sizes: Counter[float] = Counter()
    for words in pages_words:
        for w in words:
            sizes[round(w["size"], 1)] += len(w["text"])
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _lines(words: list[dict], body: float) -> list[_Line]:
    """Words grouped into lines by their vertical extent; raised small digits go to the
    line they sit on."""
    normal = sorted((w for w in words if not _is_mark(w, body)), key=lambda w: (w["bottom"], w["x0"]))
    lines: list[_Line] = []
    for w in normal:
        # Same line when the word's lower half overlaps the line: a large initial
        # ("A" of "A/RES/...") and the rest of the symbol share a line.
        middle = (w["top"] + w["bottom"]) / 2
        if lines and lines[-1].top - 0.5 <= middle <= lines[-1].bottom + 0.5 or (
                lines and abs(lines[-1].bottom - w["bottom"]) <= 2.0):
            lines[-1].words.append(w)
            lines[-1].top = min(lines[-1].top, w["top"])
            lines[-1].bottom = max(lines[-1].bottom, w["bottom"])
        else:
            lines.append(_Line(w["top"], w["bottom"], [w]))
    for m in (w for w in words if _is_mark(w, body)):
        home = next((ln for ln in lines if ln.top - 1.0 <= m["bottom"] <= ln.bottom + 0.5), None)
        if home is None:
            lines.append(_Line(m["top"], m["bottom"], [dict(m, mark_alone=True)]))
        elif m["size"] > home.size * SMALL and abs(m["bottom"] - home.bottom) < 1.0:
            home.words.append(m)  # a number of a line set small (a footnote's "12 August")
        else:
            home.marks.append(m)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _is_mark(w: dict, body: float) -> bool:
    return bool(_DIGITS.match(w["text"])) and w["size"] <= body * SMALL


def _render(line: _Line) -> str:
    items = sorted(line.words + line.marks, key=lambda w: w["x0"])
    out: list[str] = []
    italic_open = False
    previous: dict | None = None
    for w in items:
        text = w["text"].translate(_LIGATURES)
        glued = previous is not None and w["x0"] - previous["x1"] < 0.5  # no space between them
        previous = w
        if w in line.marks or w.get("mark_alone"):
            if italic_open:
                out.append("*")
                italic_open = False
            out.append(f"<sup>{text}</sup>")
            continue
        italic = bool(_ITALIC.search(w.get("fontname", ""))) and any(c.isalpha() for c in text)
        space = "" if glued or not out else " "
        if italic and not italic_open:
            out.append(space + "*" + text)
            italic_open = True
        elif not italic and italic_open:
            out.append("*" + space + text)
            italic_open = False
        else:
            out.append(space + text)
    if italic_open:
        out.append("*")
    return "".join(out)


def _notes_above(line: _Line, kept: list[_Line], body: float) -> bool:
    """A footnote running on into the bottom margin: small lines set close together."""
    return bool(kept) and kept[-1].size < body * 0.95 and line.top - kept[-1].bottom < body * 0.8


def _separator_top(page, body_top: float) -> float | None:  # type: ignore[no-untyped-def]
    """The top of the short rule above the footnotes, if the page draws one."""
    rules = [r for r in list(page.lines) + list(page.rects)
             if abs(r["bottom"] - r["top"]) <= 2.0 and 40 <= r["x1"] - r["x0"] <= page.width * 0.6
             and r["top"] > body_top]
    return min((r["top"] for r in rules), default=None)


def pdf_layout_text(data: bytes, progress: Callable[[str], None] | None = None) -> str:
    """The PDF's text with its marks, italics and footnotes written as Markdown, and its
    page furniture left out."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"a damaged PDF that cannot be read ({exc})") from exc
    with pdf:
        count = len(pdf.pages)
        pages_words = []
        for i, page in enumerate(pdf.pages):
            if progress:
                progress(f"reading page {i + 1} of {count}")
            try:
                pages_words.append(page.extract_words(extra_attrs=["fontname", "size"]))
            except (PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise IngestError(f"a damaged PDF: page {i + 1} of {count} cannot be read ({exc})") from exc
        body = _body_size(pages_words)
        out: list[str] = []
        for i, (page, words) in enumerate(zip(pdf.pages, pages_words)):
            out.extend(_page_text(page, words, body, first=i == 0))
    return "\n".join(out) + "\n"


def _page_text(page, words: list[dict], body: float, first: bool) -> list[str]:  # type: ignore[no-untyped-def]
    lines = _lines(words, body)
    height = page.height
    body_top = next((ln.top for ln in lines if ln.size >= body * 0.95), 0.0)
    graphic_rule = _separator_top(page, body_top)
    kept: list[_Line] = []
    for ln in lines:
        small = ln.size < body * 0.95
        under_rule = graphic_rule is not None and ln.top > graphic_rule
        if (ln.bottom > height * (1 - BOTTOM_MARGIN) and small and not _notes_above(ln, kept, body)
                and not (under_rule and ln.marks and _render(ln).startswith("<sup>"))):
            continue  # footer: job number, page number, barcode
        if not first and ln.top < height * TOP_MARGIN and small:
            continue  # running header: symbol and title
        kept.append(ln)
    rule = graphic_rule
    typed = next((ln.top for ln in kept if ln.words and _TYPED_RULE.match(_render(ln))), None)
    if typed is not None and (rule is None or typed < rule):
        rule = typed - 0.1  # a rule typed as underscores
    out: list[str] = []
    in_notes = False
    for ln in kept:
        below_rule = rule is not None and ln.top > rule
        note = below_rule and ln.size < body * 0.95
        if note and not in_notes:
            if not (out and _TYPED_RULE.match(out[-1])):
                out.append("__________________")
            in_notes = True
            if _TYPED_RULE.match(_render(ln)):
                continue
        elif not note and in_notes:
            in_notes = False
        text = _render(ln)
        lead_mark = _LEADING_MARK.match(text)
        if lead_mark and not in_notes and out and not out[-1].startswith("____"):
            # A mark wrapped to the start of a line belongs to the word that ends the
            # line before; left there it would read as a footnote's number.
            out[-1] += lead_mark.group(0).rstrip()
            text = text[lead_mark.end():]
        out.append(text)
    return out


_TYPED_RULE = re.compile(r"^\s*_{3,}\s*$")
_LEADING_MARK = re.compile(r"^(?:<sup>\d+</sup>)+\s*")
