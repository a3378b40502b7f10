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

A comparison (tracked changes) is the new text carrying its changes: <ins> and <del>
inline, each referring to its author (refersTo="#egypt"), deleted paragraphs where they
stood with status="removed", edited footnotes likewise. A compilation (the draft with
the pending proposals applied) is an expression of its own (eng@pending-proposals),
not authoritative, and says so in its preface. Sponsors and the authors of changes are
organisations the document defines (meta/references/TLCOrganization), so every
refersTo resolves.

Built with xml.etree (no string pasting); the tests validate it against the OASIS
akomantoso30.xsd.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date as Date

from penholder.compare.changes import Author, Comparison, ParagraphChange, Segment
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


COMPILATION = "pending-proposals"  # the expression's version of a compilation


def iris(doc: Resolution, issued: Date, compilation: bool = False) -> dict[str, str]:
    h = doc.heading
    when = h.adopted_on if (h.is_adopted and h.adopted_on) else issued.isoformat()
    work = f"/akn/un/statement/deliberation/unga/{when}/{work_number(h.symbol or 'draft')}"
    expr = f"{work}/eng@" + (COMPILATION if compilation else "")
    return {"work": work, "expression": expr, "manifestation": f"{expr}/!main.xml",
            "date": when}


def identification(meta: ET.Element, doc: Resolution, issued: Date, orgs: dict[str, str],
                   compilation: bool = False) -> None:
    i = iris(doc, issued, compilation)
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
    if compilation:  # not a text anyone issued: the draft with the proposals applied
        sub(e, "FRBRversionNumber", value=COMPILATION)
        sub(e, "FRBRauthoritative", value="false")
        sub(e, "FRBRmasterExpression", href=iris(doc, issued)["expression"], showAs="the draft")
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
    for eid, name in orgs.items():
        sub(refs, "TLCOrganization", eId=eid, href=f"/akn/ontology/organizations/un/{eid}", showAs=name)
    sub(refs, "TLCRole", eId="author", href="/akn/ontology/roles/author", showAs="Author")
    sub(refs, "TLCRole", eId="editor", href="/akn/ontology/roles/editor", showAs="Editor")


@dataclass
class Tracked:
    """What a comparison adds to the text written: the changes of each paragraph (by the
    new paragraph's id), the paragraphs deleted after each surviving one, edited
    footnotes (new number -> segments), and the eId of each author's organisation."""

    changes: dict[str, ParagraphChange] = field(default_factory=dict)
    deleted_after: dict[str | None, list[ParagraphChange]] = field(default_factory=dict)
    # deleted subparagraphs of a paragraph that stays: its id -> (the id of the old
    # sibling each followed, None for the first; the change), in the old order
    deleted_subs: dict[str, list[tuple[str | None, ParagraphChange]]] = field(default_factory=dict)
    notes: dict[int, list[Segment]] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)  # name -> eId
    default: Author | None = None

    def ref(self, author: Author | None) -> str:
        name = (author or self.default or Author("Secretariat")).name
        return "#" + self.orgs[name]


def _put(parent: ET.Element, last: ET.Element | None, s: str) -> None:
    if last is None:
        parent.text = (parent.text or "") + s
    else:
        last.tail = (last.tail or "") + s


def segment_text(p: ET.Element, segments: list[Segment], tracked: Tracked) -> None:
    last: ET.Element | None = None
    for seg in segments:
        if seg.kind == "same":
            _put(p, last, seg.text)
        else:
            last = sub(p, "ins" if seg.kind == "ins" else "del", seg.text, refersTo=tracked.ref(seg.author))


def inline_text(p: ET.Element, para: Paragraph, footnotes: dict[int, str],
                prefix: str, tracked: Tracked | None = None, whole: str | None = None) -> None:
    """The paragraph's text into <p>: the lead in <i>, footnotes as authorialNote; with a
    comparison, its insertions and deletions as <ins> / <del> (`whole`: the paragraph is
    all one: ins | del)."""
    change = tracked.changes.get(para.id) if tracked else None
    if whole:
        p = sub(p, whole, refersTo=tracked.ref(change.author if change else None))
    elif change is not None and change.status in ("changed", "moved") and change.segments:
        segment_text(p, change.segments, tracked)
        return
    text = para.text
    lead = len(para.lead)
    cuts = sorted({0, len(text), lead} | {r.offset for r in para.footnote_refs
                                          if 0 <= r.offset <= len(text)})
    notes: dict[int, list[int]] = {}
    for r in para.footnote_refs:
        notes.setdefault(min(max(r.offset, 0), len(text)), []).append(r.number)
    last: ET.Element | None = None

    for a, b in zip(cuts, cuts[1:] + [None]):
        for n in notes.get(a, []):
            note = sub(p, "authorialNote", marker=str(n), placement="bottom",
                       eId=f"{prefix}__authorialNote_{n}")
            if tracked is not None and n in tracked.notes and whole is None:
                segment_text(sub(note, "p"), tracked.notes[n], tracked)
            else:
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
            _put(p, last, chunk)


def preface(root: ET.Element, doc: Resolution, issued: Date, compilation: bool = False) -> None:
    h = doc.heading
    pf = sub(root, "preface")
    if compilation:
        sub(pf, "p", "Compilation: the draft with the pending proposals applied, each under its "
                     "sponsor; not an issued text.", class_="compilation")
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
            last = sub(p, "docProponent", name, refersTo=f"#{org_id(name)}", as_="#author")
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


def org_id(name: str) -> str:
    """An eId for a delegation's TLCOrganization: "Côte d'Ivoire" -> coteDivoire."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    words = re.findall(r"[A-Za-z0-9]+", plain)
    if not words:
        return "organization"
    first = words[0].lower()
    return (first if first[0].isalpha() else "org" + first) + "".join(w.capitalize() for w in words[1:])


def _kind(para: Paragraph, tracked: Tracked | None) -> str | None:
    change = tracked.changes.get(para.id) if tracked else None
    return "ins" if change is not None and change.status == "added" else None


def _deleted(tracked: Tracked | None, after: str | None, kind: str) -> list[ParagraphChange]:
    if tracked is None:
        return []
    return [c for c in tracked.deleted_after.get(after, []) if (c.old.kind == "op") == (kind == "op")]


def preamble(root: ET.Element, doc: Resolution, fns: dict[int, str],
             tracked: Tracked | None = None, old_fns: dict[int, str] | None = None) -> None:
    pre = sub(root, "preamble")
    formula = sub(pre, "formula", name="enactingFormula")
    opening = sub(formula, "p")
    i = sub(opening, "i", "The General Assembly")
    i.tail = ","

    def removed(after: str | None) -> None:
        for k, c in enumerate(_deleted(tracked, after, "pp"), start=1):
            p = sub(pre, "p", status="removed", eId=f"preamble__p_removed_{_safe(c.old.id)}")
            inline_text(p, c.old, old_fns or {}, p.get("eId"), tracked, whole="del")

    removed(None)
    for k, para in enumerate(doc.preamble, start=1):
        p = sub(pre, "p", eId=f"preamble__p_{k}")
        inline_text(p, para, fns, f"preamble__p_{k}", tracked, _kind(para, tracked))
        for s in para.subparagraphs:  # rare in a preamble; kept as following <p>s
            sp = sub(pre, "p")
            inline_text(sp, s, fns, f"preamble__p_{k}", tracked, _kind(s, tracked))
        removed(para.id)


def _safe(pid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", pid)


def hier(parent: ET.Element, tag: str, eid: str, num: str, para: Paragraph,
         fns: dict[int, str], depth: int, tracked: Tracked | None = None,
         whole: str | None = None, old_fns: dict[int, str] | None = None) -> None:
    e = sub(parent, tag, eId=eid)
    whole = whole or _kind(para, tracked)
    if whole == "del":
        e.set("status", "removed")
    change = tracked.changes.get(para.id) if tracked else None
    if change is not None and change.status == "moved" and change.old_label:
        e.set("title", f"moved from {change.old_label}")
    sub(e, "num", num)
    gone = tracked.deleted_subs.get(para.id, []) if tracked and whole != "del" else []
    if para.subparagraphs or gone:
        inline_text(sub(sub(e, "intro"), "p"), para, fns, eid, tracked, whole)
        drawn: set[int] = set()

        def removed(after: str | None) -> None:
            # a deleted subparagraph where it stood, after the sibling it followed (which
            # may itself be deleted), numbered as it was
            for k, (before, c) in enumerate(gone):
                if k not in drawn and before == after:
                    drawn.add(k)
                    label = (c.old_label or "").rsplit("(", 1)[-1].rstrip(")")
                    hier(e, "point", f"{eid}__point_removed_{_safe(c.old.id)}",
                         f"({label})" if label else "", c.old, old_fns or {}, depth + 1, tracked, "del")
                    removed(c.old.id)

        removed(None)
        for k, s in enumerate(para.subparagraphs):
            label = sub_label(k, depth + 1)
            hier(e, "point", f"{eid}__point_{label}", f"({label})", s, fns, depth + 1, tracked,
                 "del" if whole == "del" else None, old_fns)
            removed(s.id)
        for k, (_, c) in enumerate(gone):  # its old neighbours moved away: at the end
            if k not in drawn:
                drawn.add(k)
                hier(e, "point", f"{eid}__point_removed_{_safe(c.old.id)}", "", c.old,
                     old_fns or {}, depth + 1, tracked, "del")
    else:
        inline_text(sub(sub(e, "content"), "p"), para, fns, eid, tracked, whole)


def main_body(root: ET.Element, doc: Resolution, fns: dict[int, str],
              tracked: Tracked | None = None, old_fns: dict[int, str] | None = None) -> None:
    body = sub(root, "mainBody")

    def removed(after: str | None) -> None:
        for c in _deleted(tracked, after, "op"):
            num = (c.old_label or "").removeprefix("OP")
            hier(body, "paragraph", f"para_removed_{_safe(c.old.id)}", f"{num}." if num else "",
                 c.old, old_fns or {}, 0, tracked, whole="del")

    last = doc.preamble[-1].id if doc.preamble else None
    removed(last)
    for k, para in enumerate(doc.operative, start=1):
        hier(body, "paragraph", f"para_{k}", f"{k}.", para, fns, 0, tracked, old_fns=old_fns)
        removed(para.id)


def conclusions(root: ET.Element, doc: Resolution) -> None:
    h = doc.heading
    if not (h.is_adopted and h.meeting):
        return
    c = sub(root, "conclusions")
    sub(c, "p", h.meeting, class_="meeting")
    if h.adopted_on:
        sub(sub(c, "p", class_="date"), "docDate", un_date(h.adopted_on), date=h.adopted_on)


def _old_parents(doc: Resolution) -> dict[str, tuple[str, str | None]]:
    """subparagraph id -> (its parent's id, the id of the sibling before it)."""
    out: dict[str, tuple[str, str | None]] = {}

    def walk(p: Paragraph) -> None:
        before: str | None = None
        for s in p.subparagraphs:
            out[s.id] = (p.id, before)
            before = s.id
            walk(s)
    for p in doc.preamble + doc.operative:
        walk(p)
    return out


def tracking(c: Comparison) -> Tracked:
    t = Tracked(notes=dict(c.footnote_edits), default=c.default_author)
    previous: str | None = None  # the last top-level paragraph that stays
    parents = _old_parents(c.old)
    kept = {ch.new.id for ch in c.paragraphs if ch.new is not None}
    for ch in c.paragraphs:
        if ch.new is None and ch.old is not None:
            # a deleted paragraph is drawn from the old text: found by its old id, it is
            # under the author who deleted it (stable ids: no kept paragraph has it)
            t.changes.setdefault(ch.old.id, ch)
    for ch in c.paragraphs:
        if ch.new is not None:
            t.changes[ch.new.id] = ch
            if ch.new.kind != "sub":
                previous = ch.new.id
        elif ch.old is not None and ch.old.kind != "sub":
            t.deleted_after.setdefault(previous, []).append(ch)
        elif ch.old is not None and ch.old.id in parents:
            # drawn inside its parent when the parent stays (a deleted parent is drawn
            # whole, its subparagraphs with it)
            parent, before = parents[ch.old.id]
            if parent in kept:
                t.deleted_subs.setdefault(parent, []).append((before, ch))
    authors = [ch.author for ch in c.paragraphs] + [s.author for ch in c.paragraphs for s in ch.segments]
    authors += [s.author for segs in c.footnote_edits.values() for s in segs] + [c.default_author]
    names = [a.name for a in authors if a is not None] + ["Secretariat"]
    for name in dict.fromkeys(names):
        t.orgs[name] = org_id(name)
    return t


def build(obj: Resolution | Comparison, opts: Options | None = None, *,
          compilation: bool = False) -> ET.Element:
    opts = opts or Options()
    tracked = tracking(obj) if isinstance(obj, Comparison) else None
    doc = obj.new if isinstance(obj, Comparison) else obj
    old_fns = {f.number: f.text for f in obj.old.footnotes} if isinstance(obj, Comparison) else {}
    issued = opts.issue_date(doc)
    fns = {f.number: f.text for f in doc.footnotes}
    orgs = {org_id(name): name for name in doc.heading.sponsors}
    if tracked is not None:
        orgs.update({eid: name for name, eid in tracked.orgs.items()})
    orgs = {eid: name for eid, name in orgs.items() if eid not in ("generalAssembly", "penholder")}
    root = ET.Element(q("akomaNtoso"))
    st = sub(root, "statement", name="resolution")
    identification(sub(st, "meta"), doc, issued, orgs, compilation)
    preface(st, doc, issued, compilation)
    preamble(st, doc, fns, tracked, old_fns)
    main_body(st, doc, fns, tracked, old_fns)
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


def write(obj: Resolution | Comparison, opts: Options | None = None, *,
          compilation: bool = False) -> bytes:
    root = build(obj, opts, compilation=compilation)
    indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
