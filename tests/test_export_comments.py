"""Comment threads as Word comments in a tracked .docx (render/word_comments.py): read in
the XML (comments.xml, the ranges and references in document.xml, commentsExtended.xml,
relationships, content types) and as LibreOffice reads them."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from libreoffice_comments import annotations
from penholder.compare import compare
from penholder.compare.changes import Author, Comparison
from penholder.ingest import import_path
from penholder.model import Paragraph, Resolution
from penholder.render import Note, Thread, render

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
WHEN = datetime(2026, 10, 14, 9, 30, tzinfo=timezone.utc)
P = "res-79-53."


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def versions() -> tuple[Resolution, Resolution]:
    old = import_path(ROOT / "drafts" / "A_RES_79_53.txt")
    assert isinstance(old, Resolution)
    new = copy.deepcopy(old)
    op2 = new.operative[1]
    op2.text = op2.text.replace("where appropriate, ", "as a matter of priority, ")
    del new.preamble[3]                               # PP4 deleted
    new.operative.insert(7, new.operative.pop(4))     # OP5 moved after OP8
    new.operative.insert(3, Paragraph("new-1", "op", "Calls upon States to share data;", lead="Calls upon"))
    return old, new


@pytest.fixture(scope="module")
def comparison(versions: tuple[Resolution, Resolution]) -> Comparison:
    old, new = versions
    return compare(old, new, fallback=Author("Mexico", WHEN))


THREADS = [
    Thread([P + "op2"], [Note("Egypt", WHEN, "Too strong?"),
                         Note("France", WHEN + timedelta(hours=1), "Agreed.\nLet us keep it.")]),
    Thread([P + "pp4"], [Note("Secretariat", WHEN, "Deleted on purpose?")], resolved=True),
    Thread([P + "op5"], [Note("Ghana", WHEN, "Why move it?")]),
    Thread(["proposal-9", P + "op7"], [Note("United States of America", WHEN, "See our proposal.")]),
    Thread(["no-such-paragraph"], [Note("Chile", WHEN, "On a paragraph gone before the basis.")]),
]


@pytest.fixture(scope="module")
def tracked(comparison: Comparison) -> bytes:
    return render(comparison, "docx", comments=THREADS)


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def text_of(e: etree._Element) -> str:
    return "".join(t.text or "" for t in e.iter(w("t"), w("delText")))


def test_comments_xml_has_each_comment_under_its_author(tracked: bytes) -> None:
    comments = part(tracked, "word/comments.xml").findall(w("comment"))
    got = [(c.get(w("author")), c.get(w("initials")), c.get(w("date")), text_of(c)) for c in comments]
    # in document order: PP4 (deleted) comes before OP2; the unanchored thread is left out
    assert got == [
        ("Secretariat", "S", "2026-10-14T09:30:00Z", "Deleted on purpose?"),
        ("Egypt", "E", "2026-10-14T09:30:00Z", "Too strong?"),
        ("France", "F", "2026-10-14T10:30:00Z", "Agreed.Let us keep it."),
        ("United States of America", "USA", "2026-10-14T09:30:00Z", "See our proposal."),
        ("Ghana", "G", "2026-10-14T09:30:00Z", "Why move it?"),
    ]
    assert comments[2].find(f".//{w('br')}") is not None  # the reply's two lines


def test_each_comment_is_anchored_on_its_paragraph(tracked: bytes) -> None:
    doc = part(tracked, "word/document.xml")
    ids = [c.get(w("id")) for c in part(tracked, "word/comments.xml").findall(w("comment"))]
    paragraph = {}
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        found = [e.get(w("id")) for e in doc.iter(w(tag))]
        assert sorted(found) == sorted(ids), tag  # one of each per comment
    for e in doc.iter(w("commentRangeStart")):
        p = next(e.iterancestors(w("p")))
        end = [x for x in p.iter(w("commentRangeEnd")) if x.get(w("id")) == e.get(w("id"))]
        assert end, "a range starts and ends in its paragraph"
        paragraph[e.get(w("id"))] = p
    deleted, op2, reply, usa, moved = (paragraph[i] for i in ids)
    assert deleted.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None  # the deleted PP4
    assert "as a matter of priority" in text_of(op2) and reply is op2
    assert text_of(usa).startswith("7.")  # OP7, the paragraph the proposal changes
    # a moved paragraph's thread is where it stands, not where it stood
    assert moved.find(f".//{w('moveTo')}") is not None and moved.find(f".//{w('moveFrom')}") is None


def test_replies_and_resolved_threads_are_in_comments_extended(tracked: bytes) -> None:
    comments = part(tracked, "word/comments.xml").findall(w("comment"))
    para_ids = [c.findall(w("p"))[-1].get(f"{{{W14}}}paraId") for c in comments]
    assert all(para_ids) and len(set(para_ids)) == len(para_ids)
    ex = {e.get(f"{{{W15}}}paraId"): e for e in part(tracked, "word/commentsExtended.xml")}
    assert set(ex) == set(para_ids)
    parents = [ex[p].get(f"{{{W15}}}paraIdParent") for p in para_ids]
    assert parents == [None, None, para_ids[1], None, None]  # France answers Egypt
    assert [ex[p].get(f"{{{W15}}}done") for p in para_ids] == ["1", "0", "0", "0", "0"]


def test_package_declares_the_comment_parts(tracked: bytes) -> None:
    names = set(zipfile.ZipFile(io.BytesIO(tracked)).namelist())
    rels = {r.get("Target"): r.get("Type") for r in part(tracked, "word/_rels/document.xml.rels").iter(REL)}
    assert rels["comments.xml"].endswith("/comments")
    assert rels["commentsExtended.xml"].endswith("/commentsExtended")
    types = {o.get("PartName"): o.get("ContentType") for o in part(tracked, "[Content_Types].xml").iter(CT)}
    for name, kind in (("comments.xml", "comments"), ("commentsExtended.xml", "commentsExtended")):
        assert "word/" + name in names
        assert types["/word/" + name] == f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    rids = [r.get("Id") for r in part(tracked, "word/_rels/document.xml.rels").iter(REL)]
    assert len(rids) == len(set(rids))


def test_libreoffice_reads_the_comments(tracked: bytes) -> None:
    got = annotations(tracked)
    assert [(a["author"], a["initials"], a["text"], a["resolved"]) for a in got] == [
        ("Secretariat", "S", "Deleted on purpose?", True),
        ("Egypt", "E", "Too strong?", False),
        ("France", "F", "Agreed.\nLet us keep it.", False),
        ("United States of America", "USA", "See our proposal.", False),
        ("Ghana", "G", "Why move it?", False),
    ]
    assert [a["date"] for a in got][:3] == ["2026-10-14T09:30:00", "2026-10-14T09:30:00", "2026-10-14T10:30:00"]
    assert "as a matter of priority" in str(got[1]["anchor"])


def test_clean_and_other_formats_carry_no_comments(versions: tuple[Resolution, Resolution],
                                                   comparison: Comparison) -> None:
    _, new = versions
    for data in (render(new, "docx", comments=THREADS), render(comparison, "docx")):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert b"commentRangeStart" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        assert "word/commentsExtended.xml" not in names
        if "word/comments.xml" in names:  # pandoc always writes the part, empty
            assert part(data, "word/comments.xml").find(w("comment")) is None
    assert b"Too strong?" not in render(comparison, "html", comments=THREADS)
