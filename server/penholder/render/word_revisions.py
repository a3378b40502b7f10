"""What pandoc's docx writer cannot say about revisions, added to its XML afterwards.

Pandoc writes each `insertion` / `deletion` Span as a w:ins / w:del around its runs, and
that is all. A Secretariat editor needs Word's whole model of revisions, so that Accept
All gives the new text and Reject All the old one, exactly:

- Paragraph marks. An inserted paragraph's mark is inserted too (w:pPr/w:rPr/w:ins), a
  deleted one's deleted; without it, rejecting an inserted paragraph leaves it empty
  instead of gone. render/ast.py marks such paragraphs with an empty Span whose id is
  `phpm<N>` (pandoc writes a bookmark), N indexing `Options.marks`; here the bookmark
  becomes the tracked paragraph mark.
- Moves. The two sides of a moved paragraph are w:moveFrom / w:moveTo inside named move
  ranges (render/ast.py tags their author with MOVE_TAG), so Word shows a move, not an
  unrelated deletion and insertion.
- Revision ids unique across the package (document and footnotes): pandoc counts
  insertions and deletions each from 1 in each part, which Word refuses.
- Track Changes on (w:trackRevisions in settings.xml), so further edits in Word are
  tracked; pandoc's default settings say w:doNotTrackMoves, dropped.
"""

from __future__ import annotations

from lxml import etree

from penholder.render.ast import MOVE_TAG, PARA_MARK, ParaMark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


REVISIONS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}
RANGES = {w("moveFromRangeStart"), w("moveToRangeStart")}
# Other annotations whose w:id shares the space revision ids must not collide with.
ANNOTATIONS = {w("bookmarkStart"), w("commentRangeStart"), w("permStart")}


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(remove_blank_text=False, huge_tree=True))


def dump(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def mark_paragraphs(doc: etree._Element, marks: list[ParaMark]) -> None:
    """Each `phpm<N>` bookmark: its paragraph's mark becomes the revision marks[N-1]."""
    ends = {e.get(w("id")): e for e in doc.iter(w("bookmarkEnd"))}
    moved: dict[tuple[str, int], list[tuple[etree._Element, etree._Element, ParaMark]]] = {}
    for start in list(doc.iter(w("bookmarkStart"))):
        name = start.get(w("name")) or ""
        if not name.startswith(PARA_MARK) or not name[len(PARA_MARK):].isdigit():
            continue
        mark = marks[int(name[len(PARA_MARK):]) - 1]
        para = next(start.iterancestors(w("p")))
        end = ends.get(start.get(w("id")))
        for e in (start, end):
            if e is not None:
                e.getparent().remove(e)
        ppr = para.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            para.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(_revision(mark.kind, mark.author, mark.date))
        if mark.move is not None:
            moved.setdefault((mark.kind, mark.move), []).append((para, ppr, mark))
    for paras in moved.values():  # one range over the paragraphs moved together
        _move_range(paras[0][0], paras[0][1], paras[-1][0], paras[0][2])


def final_mark(doc: etree._Element) -> None:
    """The document's last paragraph mark cannot go (Word keeps one; LibreOffice leaves
    an empty paragraph on Accept All): when the last paragraph is deleted, it is the mark
    before it that is deleted, so that accepting joins the emptied paragraph to the one
    before, and rejecting restores both."""
    body = doc.find(w("body"))
    paras = [p for p in body if p.tag == w("p")] if body is not None else []
    if len(paras) < 2:
        return
    last, before = paras[-1], paras[-2]
    gone = [e for e in last.findall(f"{w('pPr')}/{w('rPr')}/*") if e.tag in (w("del"), w("moveFrom"))]
    if not gone or before.find(f"{w('pPr')}/{w('rPr')}") is not None and any(
            e.tag in REVISIONS for e in before.find(f"{w('pPr')}/{w('rPr')}")):
        return
    mark = gone[0]
    mark.getparent().remove(mark)
    ppr = before.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        before.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
    rpr.append(mark)


def _revision(kind: str, author: str, date: str | None) -> etree._Element:
    e = etree.Element(w(kind))
    e.set(w("author"), author)
    if date:
        e.set(w("date"), date)
    return e


def _move_range(first: etree._Element, ppr: etree._Element, last: etree._Element,
                mark: ParaMark) -> None:
    """A move range from the first paragraph moved together to the last, named after
    the move so that Word pairs where the text went with where it came from."""
    kind = "moveFromRange" if mark.kind == "moveFrom" else "moveToRange"
    start = _revision(kind + "Start", mark.author, mark.date)
    start.set(w("name"), f"move{mark.move}")
    ppr.addnext(start)
    last.append(etree.Element(w(kind + "End")))


def moves(root: etree._Element) -> None:
    """w:ins / w:del whose author carries MOVE_TAG become w:moveTo / w:moveFrom (their
    deleted text plain w:t: moved text is not deleted text)."""
    for e in list(root.iter(w("ins"), w("del"))):
        author = e.get(w("author")) or ""
        if not author.endswith(MOVE_TAG):
            continue
        e.set(w("author"), author[:-len(MOVE_TAG)])
        if e.tag == w("del"):
            e.tag = w("moveFrom")
            for t in e.iter(w("delText")):
                t.tag = w("t")
        else:
            e.tag = w("moveTo")


def number(parts: list[etree._Element]) -> None:
    """Revision and move-range ids 1, 2, 3 ... across all parts, above every other
    annotation id; each range end takes its start's id (ends follow their starts)."""
    taken = [int(e.get(w("id"))) for root in parts for e in root.iter(*ANNOTATIONS)
             if (e.get(w("id")) or "").lstrip("-").isdigit()]
    next_id = max(taken, default=0) + 1
    for root in parts:
        open_ranges: dict[str, list[str]] = {"From": [], "To": []}
        for e in root.iter():
            tag = e.tag
            if tag in REVISIONS or tag in RANGES:
                e.set(w("id"), str(next_id))
                if tag in RANGES:
                    open_ranges["From" if "From" in tag else "To"].append(str(next_id))
                next_id += 1
            elif tag in (w("moveFromRangeEnd"), w("moveToRangeEnd")):
                side = open_ranges["From" if "From" in tag else "To"]
                e.set(w("id"), side.pop(0) if side else str(next_id))


def track_changes_on(settings: etree._Element) -> None:
    for e in settings.findall(w("doNotTrackMoves")):
        settings.remove(e)
    if settings.find(w("trackRevisions")) is not None:
        return
    on = etree.Element(w("trackRevisions"))
    # CT_Settings is a sequence: trackRevisions goes before defaultTabStop and what follows
    follows = settings.find(w("defaultTabStop"))
    if follows is not None:
        follows.addprevious(on)
    else:
        settings.append(on)
