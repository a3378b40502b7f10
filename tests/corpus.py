"""The import corpus: real resolutions with their structure checked by hand, and the
captures a delegation may hold of them (PDF text, Word export, Markdown, .docx, PDF),
clean and damaged the way extraction damages them.

Truth files (tests/data/corpus/*.json) hold each resolution in the document model's
JSON; tests/data/corpus/manifest.json records where each came from and the counts
checked by hand against the official PDF. The captures are generated from the truth,
deterministically (a seeded random generator), so that a test names the damage it
checks and the expected answer is known exactly.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from penholder.model.numbering import letter
from penholder.model import Footnote, FootnoteRef, Heading, Paragraph, Resolution

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text()) if (CORPUS / "manifest.json").exists() else {}

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# -- truth ---------------------------------------------------------------------------------

def _paragraph(d: dict, pid: str, kind: str) -> Paragraph:
    return Paragraph(id=pid, kind=kind, text=d["text"], lead=d.get("lead", ""),  # type: ignore[arg-type]
                     footnote_refs=[FootnoteRef(r["number"], r["offset"]) for r in d["footnote_refs"]],
                     subparagraphs=[_paragraph(s, f"{pid}.{i}", "sub") for i, s in enumerate(d["subparagraphs"])])


def from_json(d: dict) -> Resolution:
    """A Resolution from the document model's JSON (the import contract)."""
    h = Heading(symbol=d["symbol"], session=d.get("session"), committee=d.get("committee"),
                agenda_item=d.get("agenda_item"), agenda_title=d.get("agenda_title"), title=d.get("title"),
                adopted_on=d.get("adopted_on"), meeting=d.get("meeting"), sponsors=list(d.get("sponsors", [])))
    return Resolution(
        heading=h,
        preamble=[_paragraph(p, f"pp{i}", "pp") for i, p in enumerate(d["preamble"], 1)],
        operative=[_paragraph(p, f"op{i}", "op") for i, p in enumerate(d["operative"], 1)],
        footnotes=[Footnote(f["number"], f["text"]) for f in d["footnotes"]],
    )


def truths() -> dict[str, Resolution]:
    """Every resolution of the corpus, by file stem (A_RES_68_262)."""
    return {p.stem: from_json(json.loads(p.read_text())) for p in sorted(CORPUS.glob("*.json"))
            if p.name != "manifest.json"}


# -- comparison ----------------------------------------------------------------------------

def differences(truth: Resolution, got: Resolution, leads: bool = True) -> list[str]:
    """What differs in structure, leads, texts and footnotes; empty when every paragraph
    is exact. `leads=False` for sources that carry no italics (plain text), where a
    lead ends is the lexicon's reading, not the document's."""
    out: list[str] = []
    for part in ("preamble", "operative"):
        a, b = getattr(truth, part), getattr(got, part)
        if len(a) != len(b):
            out.append(f"{part}: {len(b)} paragraphs, expected {len(a)}")
            continue
        for i, (p, q) in enumerate(zip(a, b), 1):
            out.extend(f"{part} {i}: {d}" for d in _para_diff(p, q, leads))
    fa = [(f.number, f.text) for f in truth.footnotes]
    fb = [(f.number, f.text) for f in got.footnotes]
    if fa != fb:
        out.append(f"footnotes: {fb!r}, expected {fa!r}")
    return out


def _para_diff(p: Paragraph, q: Paragraph, leads: bool = True) -> list[str]:
    out = []
    if leads and p.lead != q.lead:
        out.append(f"lead {q.lead!r}, expected {p.lead!r}")
    if p.text != q.text:
        out.append(f"text {_first_difference(p.text, q.text)}")
    if [(r.number, r.offset) for r in p.footnote_refs] != [(r.number, r.offset) for r in q.footnote_refs]:
        out.append(f"footnote refs {[(r.number, r.offset) for r in q.footnote_refs]}, "
                   f"expected {[(r.number, r.offset) for r in p.footnote_refs]}")
    if len(p.subparagraphs) != len(q.subparagraphs):
        out.append(f"{len(q.subparagraphs)} subparagraphs, expected {len(p.subparagraphs)}")
    else:
        for s, t in zip(p.subparagraphs, q.subparagraphs):
            out.extend(_para_diff(s, t, leads))
    return out


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"differs at {i}: {b[max(0, i - 30):i + 30]!r}, expected {a[max(0, i - 30):i + 30]!r}"


# -- captures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Damage:
    """What a capture does to the text. All off is a clean capture."""

    number_alone: bool = False      # "1." on its own line, the text on the next
    mark_after_punct: bool = False  # footnote marks after the closing punctuation: "1994, 1"
    mixed_marks: bool = False       # bare digits for some marks, [^n] for others
    no_symbol_line: bool = False    # no A/RES/... line; the draft's symbol in the heading
    page_breaks: bool = False       # pages of 18 lines, with furniture, cutting paragraphs
    split_words: float = 0.0        # share of words broken by a stray space

    @property
    def name(self) -> str:
        on = [k for k, v in self.__dict__.items() if v]
        return "+".join(on) or "clean"


DAMAGES = [
    Damage(),
    Damage(number_alone=True),
    Damage(mark_after_punct=True),
    Damage(mixed_marks=True),
    Damage(no_symbol_line=True),
    Damage(page_breaks=True),
    Damage(split_words=0.12),
    Damage(number_alone=True, mark_after_punct=True, page_breaks=True, split_words=0.08),
]


def _number(symbol: str) -> str:
    return symbol.removeprefix("A/RES/")


def _committee_line(h: Heading) -> str:
    if h.committee in (None, "plenary"):
        return "[without reference to a Main Committee (A/{}/L.1)]".format(_session_part(h))
    return f"[on the report of the {h.committee} (A/{_session_part(h)}/400)]"


def _session_part(h: Heading) -> str:
    number = _number(h.symbol or "A/RES/0/0")
    # 1284(XIII): a resolution of the first thirty sessions carries no session part
    return number.split("/")[0] if "/" in number else str(h.session or 0)


def _date_words(iso: str) -> str:
    y, m, d = iso.split("-")
    months = "January February March April May June July August September October November December".split()
    return f"{int(d)} {months[int(m) - 1]} {y}"


def _marked(p: Paragraph, style: str, rng: random.Random, damage: Damage) -> str:
    """The paragraph's text with its footnote marks in the capture's notation."""
    out, pos = [], 0
    for r in p.footnote_refs:
        out.append(p.text[pos:r.offset])
        notation = style
        if damage.mixed_marks:
            notation = rng.choice(["bare", "pandoc"])
        if notation == "super":
            mark = str(r.number).translate(_SUPERSCRIPT)
        elif notation == "pandoc":
            mark = f"[^{r.number}]"
        elif notation == "sup":
            mark = f"<sup>{r.number}</sup>"
        else:
            mark = str(r.number)
        before = p.text[r.offset - 1:r.offset]
        if (damage.mark_after_punct and (before in ",;.)" or before.isdigit())) or (
                notation == "bare" and before in ",;."):
            mark = "\u00a0" + mark  # set apart after punctuation or a year, on the same line
        out.append(mark)
        pos = r.offset
    out.append(p.text[pos:])
    return "".join(out)


def _split(text: str, rng: random.Random, share: float) -> str:
    """Break words the way a PDF with per-glyph positioning extracts them."""
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 4 or rng.random() > share:
            return w
        cut = rng.randrange(1, len(w) - 1)
        return w[:cut] + " " + w[cut:]
    return re.sub(r"[A-Za-z]{4,}", one, text)


def pdf_text(res: Resolution, damage: Damage = Damage(), seed: int = 0) -> str:
    """Text as extracted from the official PDF: heading block, hard-wrapped lines, no
    italics, footnote marks as raised digits read as plain ones, footnotes at page foot."""
    rng = random.Random(seed)
    h = res.heading
    sym = h.symbol or ""
    job = f"{rng.randrange(10, 30)}-{rng.randrange(10000, 99999)}"
    head = [] if damage.no_symbol_line else [f"United Nations {sym}"]
    head += ["General Assembly Distr.: General", _date_words(h.adopted_on or "2020-01-01")]
    if damage.no_symbol_line:
        head.insert(0, f"A/{_session_part(h)}/L.2/Rev.1")
        head.insert(0, "United Nations")
    head += [f"{job} (E)", f"*{job.replace('-', '')}*", "Agenda item " + (h.agenda_item or "1"),
             f"Resolution adopted by the General Assembly on {_date_words(h.adopted_on or '2020-01-01')}",
             _committee_line(h), f"{_number(sym)}. {h.title}", "The General Assembly,"]
    body: list[tuple[str, list[int]]] = []  # (line, footnotes first cited on it)
    cited: set[int] = set()

    def add(text: str, refs: list[int], first_prefix: str = "") -> None:
        if damage.split_words:
            text = _split(text, rng, damage.split_words)
        lines = [ln.replace("\u00a0", " ") for ln in textwrap.wrap(first_prefix + text, 88)] or [""]
        new = [n for n in refs if n not in cited]
        cited.update(new)
        for i, ln in enumerate(lines):
            body.append((ln, new if i == len(lines) - 1 else []))

    def add_para(p: Paragraph, prefix: str) -> None:
        marked = _marked(p, "bare", rng, damage)
        refs = [r.number for r in p.footnote_refs]
        if prefix and damage.number_alone:
            body.append((prefix.strip(), []))
            add(marked, refs)
        else:
            add(marked, refs, prefix)
        for i, s in enumerate(p.subparagraphs):
            add_para(s, f"({_label(i, s)}) ")

    for p in res.preamble:
        add_para(p, "")
    for i, p in enumerate(res.operative, 1):
        add_para(p, f"{i}. ")
    if h.meeting:
        body.append((h.meeting, []))
        body.append((_date_words(h.adopted_on or "2020-01-01"), []))

    notes = {f.number: f.text for f in res.footnotes}
    out = list(head)
    page, pending = 1, []
    per_page = 18 if damage.page_breaks else 10**6
    count = 0
    total_pages = max(1, -(-len(body) // per_page))
    for line, refs in body:
        out.append(line)
        pending += refs
        count += 1
        if count % per_page == 0:
            page += 1
            out += _page_foot(pending, notes, job, page - 1, total_pages)
            pending = []
            out += [f"A/RES/{_number(sym)} {h.title}", ""]
    out += _page_foot(pending, notes, job, page, total_pages)
    return "\n".join(out) + "\n"


def _label(i: int, s: Paragraph) -> str:
    return letter(i)


def _page_foot(refs: list[int], notes: dict[int, str], job: str, page: int, total: int) -> list[str]:
    out = []
    if refs:
        out.append("__________________")
        for n in refs:
            out += [str(n), notes[n]]
    out += [f"{job} {page}/{total}", "Please recycle" if page == 1 else ""]
    return out


def word_text(res: Resolution) -> str:
    """A Word original saved as text: tab-indented paragraphs, footnotes at the end."""
    h = res.heading
    out = [h.symbol or "", f"{_number(h.symbol or '')}. {h.title}", "", "\tThe General Assembly,"]
    for p in res.preamble:
        out.append("\t" + _marked(p, "super", random.Random(0), Damage()))
    for i, p in enumerate(res.operative, 1):
        out.append(f"\t{i}.\t" + _marked(p, "super", random.Random(0), Damage()))
        for j, s in enumerate(p.subparagraphs):
            out.append(f"\t({'abcdefghij'[j]})\t" + _marked(s, "super", random.Random(0), Damage()))
    if h.meeting:
        out += ["", f"\t{h.meeting}", f"\t{_date_words(h.adopted_on or '2020-01-01')}"]
    for f in res.footnotes:
        out.append(f"{str(f.number).translate(_SUPERSCRIPT)}\t{f.text}")
    return "\n".join(out) + "\n"


def markdown_text(res: Resolution) -> str:
    """Markdown: italic leads, <sup>n</sup> marks, footnotes as a list at the end."""
    h = res.heading
    out = [f"**{h.symbol}**", "", f"Resolution adopted by the General Assembly on {_date_words(h.adopted_on or '2020-01-01')}",
           "", f"## {_number(h.symbol or '')}. {h.title}", "", "*The General Assembly*,", ""]

    def italic(p: Paragraph, style: str = "sup") -> str:
        marked = _marked(p, style, random.Random(0), Damage())
        if p.lead and marked.startswith(p.lead):
            return f"*{p.lead}*{marked[len(p.lead):]}"
        return marked

    for p in res.preamble:
        out += [italic(p), ""]
    for i, p in enumerate(res.operative, 1):
        out += [f"{i}. {italic(p)}", ""]
        for j, s in enumerate(p.subparagraphs):
            out += [f"({'abcdefghij'[j]}) {_marked(s, 'sup', random.Random(0), Damage())}", ""]
    if h.meeting:
        out += [f"*{h.meeting}*", f"*{_date_words(h.adopted_on or '2020-01-01')}*", ""]
    out.append("---")
    for f in res.footnotes:
        out += [f"<sup>{f.number}</sup> {f.text}", ""]
    return "\n".join(out)
