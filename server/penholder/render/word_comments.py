"""Comment threads of a draft as Word comments in a tracked .docx.

Each thread is anchored on one paragraph, the first of its `anchors` that the document
draws (a thread on a proposal: the proposal's own paragraph when the export draws the
proposal applied, else the paragraph it changes, or the one it would follow). Pandoc's
docx writer does the comments themselves: a `comment-start` Span (author, date,
initials; its content is the comment's text) before the paragraph's text and a
`comment-end` Span after it become word/comments.xml, w:commentRangeStart / End and the
w:commentReference run, with their relationship and content type.

What pandoc cannot say is which comment answers which, and that a thread was resolved;
Word and LibreOffice read both from word/commentsExtended.xml (w15:commentEx, keyed by
the w14:paraId of each comment's last paragraph: w15:paraIdParent names the comment
replied to, w15:done="1" a resolved thread). `extend` writes it into the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
EXTENDED = "word/commentsExtended.xml"

Inline = dict[str, Any]


@dataclass
class Note:
    """One comment: who (a delegation, or "Secretariat"), when, what."""

    author: str
    date: datetime | None
    text: str


@dataclass
class Thread:
    anchors: list[str]   # paragraph ids, in order of preference
    notes: list[Note]    # the first opens the thread, the others reply to it in order
    resolved: bool = False


@dataclass
class Written:
    """A comment as written: its w:id, the w:id it replies to, its thread resolved."""

    id: int
    parent: int | None
    done: bool


@dataclass
class Anchoring:
    """The threads to draw, each waiting for its paragraph; `written` is filled as
    paragraphs claim them."""

    threads: list[Thread]
    drawn: set[str]                      # ids of the paragraphs the document draws
    written: list[Written] = field(default_factory=list)
    _by_paragraph: dict[str, list[Thread]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.threads:
            at = next((pid for pid in t.anchors if pid in self.drawn), None)
            if at is not None and t.notes:
                self._by_paragraph.setdefault(at, []).append(t)

    def wrap(self, pid: str | None, body: list[Inline]) -> list[Inline]:
        """`body` (a paragraph's inlines) inside the ranges of its threads, once."""
        threads = self._by_paragraph.pop(pid, []) if pid is not None else []
        starts: list[Inline] = []
        ends: list[Inline] = []
        for t in threads:
            root: int | None = None
            for note in t.notes:
                cid = len(self.written)
                self.written.append(Written(cid, root, t.resolved))
                root = cid if root is None else root
                starts.append(_start(cid, note))
                ends.insert(0, _span(cid, "comment-end", [], []))
        return starts + body + ends


def initials(name: str) -> str:
    """"Egypt" -> "E", "United States of America" -> "USA": the capitals of its words."""
    caps = [w[0] for w in re.findall(r"[^\s()\-]+", name) if w[0].isupper()]
    return "".join(caps[:4]) or name[:1].upper()


def _span(cid: int, cls: str, attrs: list[list[str]], inlines: list[Inline]) -> Inline:
    return {"t": "Span", "c": [[str(cid), [cls], attrs], inlines]}


def _start(cid: int, note: Note) -> Inline:
    attrs = [["author", note.author], ["initials", initials(note.author)]]
    if note.date is not None:
        d = note.date.astimezone(timezone.utc) if note.date.tzinfo else note.date
        attrs.append(["date", d.replace(microsecond=0, tzinfo=None).isoformat() + "Z"])
    return _span(cid, "comment-start", attrs, _lines(note.text))


def _lines(s: str) -> list[Inline]:
    out: list[Inline] = []
    for k, line in enumerate(s.splitlines() or [""]):
        if k:
            out.append({"t": "LineBreak"})
        for j, word in enumerate(line.split()):
            if j:
                out.append({"t": "Space"})
            out.append({"t": "Str", "c": word})
    return out


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def extend(parts: dict[str, bytes], written: list[Written]) -> None:
    """Replies and resolved threads into the package: w14:paraId on each comment's last
    paragraph, word/commentsExtended.xml, its relationship and content type."""
    if not written or "word/comments.xml" not in parts:
        return
    meta = {w.id: w for w in written}
    old = etree.fromstring(parts["word/comments.xml"])
    nsmap = dict(old.nsmap)
    nsmap.update({"w14": W14, "mc": MC})
    root = etree.Element(old.tag, nsmap=nsmap)
    root.set(f"{{{MC}}}Ignorable", "w14")
    root.extend(list(old))
    para_ids: dict[int, str] = {}
    for c in root.iter(_w("comment")):
        cid = int(c.get(_w("id")))
        last = c.findall(_w("p"))[-1]
        para_ids[cid] = f"{cid + 1:08X}"  # w14:paraId: 8 hex digits below 0x80000000
        last.set(f"{{{W14}}}paraId", para_ids[cid])
    parts["word/comments.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)

    ex = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
    ex.set(f"{{{MC}}}Ignorable", "w15")
    for cid, pid in para_ids.items():
        e = etree.SubElement(ex, f"{{{W15}}}commentEx")
        e.set(f"{{{W15}}}paraId", pid)
        info = meta.get(cid)
        if info is not None and info.parent is not None and info.parent in para_ids:
            e.set(f"{{{W15}}}paraIdParent", para_ids[info.parent])
        e.set(f"{{{W15}}}done", "1" if info is not None and info.done else "0")
    parts[EXTENDED] = etree.tostring(ex, xml_declaration=True, encoding="UTF-8", standalone=True)

    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    taken = {r.get("Id") for r in rels}
    rid = next(f"rId{n}" for n in range(len(taken) + 1, len(taken) + 1000) if f"rId{n}" not in taken)
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Type=EXTENDED_REL, Id=rid,
                     Target="commentsExtended.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                           encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + EXTENDED, ContentType=EXTENDED_TYPE)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
