"""Write an imported resolution back out as a real .docx or PDF, for round-trip tests.

`to_markdown` renders the document model as pandoc Markdown the way the resolution is
printed (heading lines, "The General Assembly,", preambular paragraphs with the lead in
italics, numbered operative paragraphs, (a) subparagraphs, footnotes); pandoc turns that
into a .docx with real Word footnotes. `to_pdf` lays the same text out with fpdf2's
built-in fonts: hard-wrapped body text, superscript footnote marks, footnotes under a
`____` rule at the foot of the page that cites them or all at the end.
`structure` is what a round trip must keep.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fpdf import FPDF

from penholder.model import Paragraph, Resolution
from penholder.model.numbering import session_words, sub_label

MONTHS = ("January February March April May June July August September October "
          "November December").split()

# fpdf2's built-in fonts are Latin-1: the few other characters of the seeds, one for one
# so that footnote offsets stay where they were.
ASCII_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                            "\u00a0": " "})

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>^~$@#|])")


def long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def heading_lines(res: Resolution) -> list[str]:
    """The heading as the first page of an adopted resolution prints it."""
    h = res.heading
    lines = ["General Assembly"]
    if h.session:
        lines.append(f"{session_words(h.session).capitalize()} session")
    if h.agenda_item:
        lines.append(f"Agenda item {h.agenda_item}")
        if h.agenda_title:
            lines.append(h.agenda_title)
    if h.adopted_on:
        lines.append(f"Resolution adopted by the General Assembly on {long_date(h.adopted_on)}")
    if h.committee == "plenary":
        lines.append("[without reference to a Main Committee]")
    elif h.committee:
        lines.append(f"[on the report of the {h.committee}]")
    m = re.fullmatch(r"A/RES/(\d+)/(\d+)", h.symbol or "")
    if m:
        lines.append(f"{m.group(1)}/{m.group(2)}. {h.title}")
    else:
        lines += [h.symbol or "", h.title or ""]
    return lines


def closing_lines(res: Resolution) -> list[str]:
    h = res.heading
    return [x for x in (h.meeting, long_date(h.adopted_on) if h.adopted_on else None) if x]


def numbered(res: Resolution) -> list[tuple[str, Paragraph, int]]:
    """(number or label, paragraph, level) in document order; "" for preambular ones."""
    out: list[tuple[str, Paragraph, int]] = []

    def subs(p: Paragraph, depth: int) -> None:
        for i, s in enumerate(p.subparagraphs):
            out.append((f"({sub_label(i, depth)})", s, depth))
            subs(s, depth + 1)

    for p in res.preamble:
        out.append(("", p, 0))
        subs(p, 1)
    for i, p in enumerate(res.operative, 1):
        out.append((f"{i}.", p, 0))
        subs(p, 1)
    return out


def segments(p: Paragraph) -> list[tuple[str, str]]:
    """The paragraph as (kind, text) runs: "lead", "text" and "mark" (the number)."""
    cuts = sorted({0, len(p.lead), len(p.text), *(r.offset for r in p.footnote_refs)})
    refs = sorted(p.footnote_refs, key=lambda r: r.offset)
    out: list[tuple[str, str]] = []
    for start, end in zip(cuts, cuts[1:]):
        out += [("mark", str(r.number)) for r in refs if r.offset == start and start > 0]
        out.append(("lead" if end <= len(p.lead) else "text", p.text[start:end]))
    out += [("mark", str(r.number)) for r in refs if r.offset == len(p.text) and p.text]
    return [(k, t) for k, t in out if t]


# -- Markdown for pandoc ------------------------------------------------------------------

def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(res: Resolution, typed: bool = False) -> str:
    """pandoc Markdown: real footnotes as `[^n]`, a footnote cited again as `^n^`.

    Operative numbers and subparagraph labels become Word numbered lists; `typed` types
    them as text instead and indents the body paragraphs (block quotes in pandoc), as
    many delegations' Word files do.
    """
    blocks = [md_escape(line) for line in heading_lines(res)]
    blocks.append("*The General Assembly,*")
    cited: set[int] = set()
    for number, p, level in numbered(res):
        body = ""
        for kind, text in segments(p):
            if kind == "mark":
                n = int(text)
                body += f"[^{n}]" if n not in cited else f"^{n}^"
                cited.add(n)
            elif kind == "lead":
                body += f"*{md_escape(text)}*"
            else:
                body += md_escape(text)
        if typed:
            # `1\.` and `\(a)`: the number is typed text, not a list marker.
            label = number.replace(".", "\\.").replace("(", "\\(")
            blocks.append("> " + (f"{label} {body}" if number else body))
        else:
            indent = "    " * max(level - 1, 0)
            blocks.append(f"{indent}{number} {body}" if number else body)
    closing = closing_lines(res)
    blocks.append("\\\n".join(f"*{line}*" for line in closing))
    for f in res.footnotes:
        blocks.append(f"[^{f.number}]: {md_escape(f.text)}")
    return "\n\n".join(blocks) + "\n"


# -- PDF with fpdf2 -----------------------------------------------------------------------

class _Printed(FPDF):
    """A4, Times 10 pt body, running header and page number, footnotes at the page foot."""

    BODY_BOTTOM = 20.0  # mm kept free under the body when a page has no footnotes
    NOTE_LINE = 3.6

    def __init__(self, res: Resolution, notes_at_page_end: bool) -> None:
        super().__init__(format="A4", unit="mm")
        self.res = res
        self.notes_at_page_end = notes_at_page_end
        self.note_text = {f.number: f.text.translate(ASCII_FOLD) for f in res.footnotes}
        self.page_notes: dict[int, list[int]] = {}
        self.set_margins(25, 20, 25)
        self.set_auto_page_break(True, self.BODY_BOTTOM)

    def header(self) -> None:
        self.set_auto_page_break(True, self.BODY_BOTTOM)
        if self.page_no() > 1 and self.res.heading.symbol:
            self.set_font("Times", "", 9)
            self.cell(0, 5, self.res.heading.symbol, new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

    def notes_height(self, numbers: list[int]) -> float:
        width = self.w - self.l_margin - self.r_margin - 6
        chars_per_line = width / 1.55  # Times 8 pt: about 1.55 mm a character, generously
        lines = sum(len(self.note_text[n]) / chars_per_line + 1 for n in numbers)
        return lines * self.NOTE_LINE + 8

    def cite(self, number: int) -> None:
        """A footnote mark was written on this page: keep room at its foot for the note."""
        if not self.notes_at_page_end:
            return
        notes = self.page_notes.setdefault(self.page_no(), [])
        if number not in [n for page in self.page_notes.values() for n in page]:
            notes.append(number)
            self.set_auto_page_break(True, self.BODY_BOTTOM + self.notes_height(notes))

    def footer(self) -> None:
        notes = self.page_notes.get(self.page_no(), [])
        if notes:
            top = self.h - self.BODY_BOTTOM - self.notes_height(notes) + 4
            self.set_y(max(top, self.get_y() + 4))
            self.write_notes(notes)
        self.set_y(-12)
        self.set_font("Times", "", 9)
        self.cell(0, 5, str(self.page_no()), align="R")

    def write_notes(self, numbers: list[int]) -> None:
        self.set_font("Times", "", 8)
        self.cell(0, 4, "__________________", new_x="LMARGIN", new_y="NEXT")
        for n in numbers:
            self.char_vpos = "SUP"
            self.write(self.NOTE_LINE, str(n))
            self.char_vpos = "LINE"
            self.write(self.NOTE_LINE, " " + self.note_text[n])
            self.ln(self.NOTE_LINE + 1)


def to_pdf(res: Resolution, notes_at_page_end: bool = True) -> bytes:
    pdf = _Printed(res, notes_at_page_end)
    pdf.add_page()
    line = 5.0
    for text in heading_lines(res):
        pdf.set_font("Times", "B" if text == heading_lines(res)[-1] else "", 11)
        pdf.multi_cell(0, line, text.translate(ASCII_FOLD), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("Times", "I", 10)
    pdf.ln(3)
    pdf.write(line, "The General Assembly,")
    pdf.ln(line + 2)
    for number, p, level in numbered(res):
        pdf.set_x(pdf.l_margin + 10 * level)
        if number:
            pdf.set_font("Times", "", 10)
            pdf.write(line, number + "  ")
        for kind, text in segments(p):
            if kind == "mark":
                pdf.set_font("Times", "", 10)
                pdf.char_vpos = "SUP"
                pdf.write(line, text)
                pdf.char_vpos = "LINE"
                pdf.cite(int(text))
            else:
                pdf.set_font("Times", "I" if kind == "lead" else "", 10)
                pdf.write(line, text.translate(ASCII_FOLD))
        pdf.ln(line + 2)
    pdf.ln(4)
    pdf.set_font("Times", "I", 10)
    for text in closing_lines(res):
        pdf.cell(0, line, text, new_x="LMARGIN", new_y="NEXT")
    if not notes_at_page_end and res.footnotes:
        pdf.ln(6)
        pdf.write_notes([f.number for f in res.footnotes])
    return bytes(pdf.output())


# -- What a round trip keeps --------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.split())


def _paragraph(p: Paragraph, fold: bool) -> dict[str, Any]:
    def f(text: str) -> str:
        return _norm(text.translate(ASCII_FOLD) if fold else text)

    return {
        "lead": f(p.lead),
        "text": f(p.text),
        "refs": [(r.number, r.offset) for r in p.footnote_refs],
        "subparagraphs": [_paragraph(s, fold) for s in p.subparagraphs],
    }


def structure(res: Resolution, fold: bool = False) -> dict[str, Any]:
    """Everything a round trip must keep; `fold` maps text as the PDF fonts do."""
    h = res.heading

    def f(text: str | None) -> str | None:
        if text is None:
            return None
        return _norm(text.translate(ASCII_FOLD) if fold else text)

    return {
        "symbol": h.symbol,
        "session": h.session,
        "committee": h.committee,
        "agenda_item": h.agenda_item,
        "agenda_title": f(h.agenda_title),
        "title": f(h.title),
        "adopted_on": h.adopted_on,
        "meeting": h.meeting,
        "preamble": [_paragraph(p, fold) for p in res.preamble],
        "operative": [_paragraph(p, fold) for p in res.operative],
        "footnotes": [(n.number, f(n.text)) for n in res.footnotes],
    }
