"""Akoma Ntoso 3.0 XML of a resolution, after the UN's profile (AKN4UN).

    akomaNtoso/statement name="resolution"
      meta/identification   FRBRWork / FRBRExpression / FRBRManifestation, IRIs from the symbol
      meta/references       the General Assembly, Penholder
      preface               docNumber, docStatus, docDate, session, docCommittee, agenda item,
                            docProponent (sponsors), docTitle
      preamble              formula "The General Assembly,"; one <p> per preambular paragraph,
                            its lead in <i>
      mainBody              <paragraph eId="para_1"><num>1.</num><content><p>...; with
                            subparagraphs, the text in <intro> and each (a) a <point>
                            (eId para_4__point_a), each (i) a <point> inside it
      conclusions           the meeting line and the date (adopted texts)
    Footnotes are <authorialNote marker="N" placement="bottom"> where the sign stands.

IRIs (AKN naming convention, as AKN4UN writes GA resolutions):
    work          /akn/un/statement/deliberation/unga/2024-12-02/79-53
    expression    .../eng@
    manifestation .../eng@/!main.xml   (FRBRthis of each level ends in /!main)
The number is session-number for A/RES/ symbols; for a draft it is the symbol with "/"
as "-" (A-C.1-81-L.12), dated by its date of issue.

Built with xml.etree (no string pasting); the tests validate it against the OASIS
akomantoso30.xsd.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date as Date

from penholder.model import Paragraph, Resolution
from penholder.model.numbering import session_words, sub_label
from penholder.render.ast import (
    Options,
    draft_kind,
    resolution_number,
    sponsor_order,
    sponsors_line,
    un_date,
)

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
ET.register_namespace("", NS)


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, q(tag), {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        e.text = text
    return e


def work_number(symbol: str) -> str:
    n = resolution_number(symbol)
    return n.replace("/", "-") if n else symbol.replace("/", "-")


def iris(doc: Resolution, issued: Date) -> dict[str, str]:
    h = doc.heading
    when = h.adopted_on if (h.is_adopted and h.adopted_on) else issued.isoformat()
    work = f"/akn/un/statement/deliberation/unga/{when}/{work_number(h.symbol or 'draft')}"
    expr = f"{work}/eng@"
    return {"work": work, "expression": expr, "manifestation": f"{expr}/!main.xml",
            "date": when}


def identification(meta: ET.Element, doc: Resolution, issued: Date) -> None:
    i = iris(doc, issued)
    ident = sub(meta, "identification", source="#penholder")
    w = sub(ident, "FRBRWork")
    sub(w, "FRBRthis", value=f"{i['work']}/!main")
    sub(w, "FRBRuri", value=i["work"])
    sub(w, "FRBRdate", date=i["date"], name="adoption" if doc.heading.is_adopted else "issue")
    sub(w, "FRBRauthor", href="#generalAssembly", as_="#author")
    sub(w, "FRBRcountry", value="un")
    sub(w, "FRBRnumber", value=work_number(doc.heading.symbol or "draft"))
    e = sub(ident, "FRBRExpression")
    sub(e, "FRBRthis", value=f"{i['expression']}/!main")
    sub(e, "FRBRuri", value=i["expression"])
    sub(e, "FRBRdate", date=i["date"], name="publication")
    sub(e, "FRBRauthor", href="#generalAssembly", as_="#author")
    sub(e, "FRBRlanguage", language="eng")
    m = sub(ident, "FRBRManifestation")
    sub(m, "FRBRthis", value=i["manifestation"])
    sub(m, "FRBRuri", value=i["manifestation"])
    sub(m, "FRBRdate", date=i["date"], name="generation")  # stable: no export time
    sub(m, "FRBRauthor", href="#penholder", as_="#editor")
    refs = sub(meta, "references", source="#penholder")
    sub(refs, "TLCOrganization", eId="generalAssembly",
        href="/akn/ontology/organizations/un/generalAssembly", showAs="General Assembly")
    sub(refs, "TLCOrganization", eId="penholder",
        href="/akn/ontology/organizations/penholder", showAs="Penholder")
    sub(refs, "TLCRole", eId="author", href="/akn/ontology/roles/author", showAs="Author")
    sub(refs, "TLCRole", eId="editor", href="/akn/ontology/roles/editor", showAs="Editor")


def inline_text(p: ET.Element, para: Paragraph, footnotes: dict[int, str],
                prefix: str) -> None:
    """The paragraph's text into <p>: the lead in <i>, footnotes as authorialNote."""
    text = para.text
    lead = len(para.lead)
    cuts = sorted({0, len(text), lead} | {r.offset for r in para.footnote_refs
                                          if 0 <= r.offset <= len(text)})
    notes: dict[int, list[int]] = {}
    for r in para.footnote_refs:
        notes.setdefault(min(max(r.offset, 0), len(text)), []).append(r.number)
    last: ET.Element | None = None

    def add_text(s: str) -> None:
        if last is None:
            p.text = (p.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    for a, b in zip(cuts, cuts[1:] + [None]):
        for n in notes.get(a, []):
            note = sub(p, "authorialNote", marker=str(n), placement="bottom",
                       eId=f"{prefix}__authorialNote_{n}")
            sub(note, "p", footnotes.get(n, ""))
            last = note
        if b is None:
            break
        chunk = text[a:b]
        if not chunk:
            continue
        if b <= lead:
            i = sub(p, "i", chunk)
            last = i
        else:
            add_text(chunk)


def preface(root: ET.Element, doc: Resolution, issued: Date) -> None:
    h = doc.heading
    pf = sub(root, "preface")
    sub(sub(pf, "p", class_="symbol"), "docNumber", h.symbol or "")
    sub(sub(pf, "p", class_="distribution"), "docStatus",
        "Distr.: General" if h.is_adopted else "Distr.: Limited")
    sub(sub(pf, "p", class_="date"), "docDate", un_date(issued), date=issued.isoformat())
    sub(pf, "p", "Original: English", class_="language")
    if h.session:
        sub(sub(pf, "p", class_="session"), "session",
            session_words(h.session).capitalize() + " session", value=str(h.session))
    if h.committee and not h.is_adopted:
        sub(sub(pf, "p", class_="committee"), "docCommittee", h.committee)
    if h.agenda_item:
        sub(pf, "p", "Agenda item " + h.agenda_item, class_="agendaItem")
    if h.agenda_title:
        sub(pf, "p", h.agenda_title, class_="agendaTitle")
    if h.is_adopted:
        on = f" on {un_date(h.adopted_on)}" if h.adopted_on else ""
        sub(pf, "p", "Resolution adopted by the General Assembly" + on, class_="adoption")
    else:
        p = sub(pf, "p", class_="sponsors")
        names = sponsor_order(h.sponsors)
        last = None
        for k, name in enumerate(names):
            if k:
                sep = " and " if k == len(names) - 1 else ", "
                last.tail = sep
            last = sub(p, "docProponent", name, refersTo=f"#{_ref(name)}")
        if last is not None:
            last.tail = ": " + draft_kind(h.symbol)
        else:
            p.text = sponsors_line([], h.symbol)
    title = h.title or ""
    number = resolution_number(h.symbol)
    p = sub(pf, "p", class_="title")
    if number:
        p.text = f"{number}. "
    sub(p, "docTitle", title)


def _ref(name: str) -> str:
    return "".join(ch for ch in name.title() if ch.isalnum())


def preamble(root: ET.Element, doc: Resolution, fns: dict[int, str]) -> None:
    pre = sub(root, "preamble")
    formula = sub(pre, "formula", name="enactingFormula")
    opening = sub(formula, "p")
    i = sub(opening, "i", "The General Assembly")
    i.tail = ","
    for k, para in enumerate(doc.preamble, start=1):
        p = sub(pre, "p", eId=f"preamble__p_{k}")
        inline_text(p, para, fns, f"preamble__p_{k}")
        for s in para.subparagraphs:  # rare in a preamble; kept as following <p>s
            sp = sub(pre, "p")
            inline_text(sp, s, fns, f"preamble__p_{k}")


def hier(parent: ET.Element, tag: str, eid: str, num: str, para: Paragraph,
         fns: dict[int, str], depth: int) -> None:
    e = sub(parent, tag, eId=eid)
    sub(e, "num", num)
    if para.subparagraphs:
        inline_text(sub(sub(e, "intro"), "p"), para, fns, eid)
        for k, s in enumerate(para.subparagraphs):
            label = sub_label(k, depth + 1)
            hier(e, "point", f"{eid}__point_{label}", f"({label})", s, fns, depth + 1)
    else:
        inline_text(sub(sub(e, "content"), "p"), para, fns, eid)


def main_body(root: ET.Element, doc: Resolution, fns: dict[int, str]) -> None:
    body = sub(root, "mainBody")
    for k, para in enumerate(doc.operative, start=1):
        hier(body, "paragraph", f"para_{k}", f"{k}.", para, fns, 0)


def conclusions(root: ET.Element, doc: Resolution) -> None:
    h = doc.heading
    if not (h.is_adopted and h.meeting):
        return
    c = sub(root, "conclusions")
    sub(c, "p", h.meeting, class_="meeting")
    if h.adopted_on:
        sub(sub(c, "p", class_="date"), "docDate", un_date(h.adopted_on), date=h.adopted_on)


def build(doc: Resolution, opts: Options | None = None) -> ET.Element:
    opts = opts or Options()
    issued = opts.issue_date(doc)
    fns = {f.number: f.text for f in doc.footnotes}
    root = ET.Element(q("akomaNtoso"))
    st = sub(root, "statement", name="resolution")
    identification(sub(st, "meta"), doc, issued)
    preface(st, doc, issued)
    preamble(st, doc, fns)
    main_body(st, doc, fns)
    conclusions(st, doc)
    return root


MIXED = {q(t) for t in ("p", "num")}  # inline content: whitespace there is text


def indent(e: ET.Element, level: int = 0) -> None:
    """Pretty-print the structure, never touching mixed content (unlike ET.indent)."""
    if e.tag in MIXED or not len(e):
        return
    pad = "\n" + "  " * (level + 1)
    e.text = pad
    for child in e:
        indent(child, level + 1)
        child.tail = pad
    e[-1].tail = "\n" + "  " * level


def write(doc: Resolution, opts: Options | None = None) -> bytes:
    root = build(doc, opts)
    indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
